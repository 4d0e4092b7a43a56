/**
 * `npm run grade -- --lab N SUBMISSIONS --out DIR`: batch grading for instructors, and
 * `--gradescope` for running inside a Gradescope autograder. The only place that exits.
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import { ExitCode, KubelabError, formatError } from '../errors.ts';
import { gradeCommand, type GradeCommandOptions } from '../batch/command.ts';
import { formatSummary } from '../batch/outputs/summary.ts';
import { progressBar } from '../batch/progress.ts';

const program = new Command('grade')
  .description('Grade every submission of a lab: folders, .zip/.tar.gz archives or git checkouts, one per student.')
  .argument('[submissions]', 'folder with one folder or archive per student')
  .option('--lab <id>', 'lab number (from labs/)')
  .option('--lab-dir <dir>', 'lab folder, instead of --lab')
  .option('--out <dir>', 'output folder', '.grade-out')
  .option('--roster <csv>', 'CSV mapping submission names to student ids and names')
  .option('--seed <n>', 'seed of the simulated cluster', '1')
  .option('--cluster <sim|kind>', 'cluster to grade on: the simulator (default) or kind')
  .addOption(new Option('--backend <sim|kind>', 'older name of --cluster').hideHelp())
  .option('--workers <n>', 'parallel gradings (default: all cores; 1 on kind)')
  .option('--timeout <seconds>', 'time limit per submission', '120')
  .option('--memory <MB>', 'memory limit per submission', '1024')
  .option('--force', 'grade again even submissions unchanged since the last run')
  .option('--deadline <iso>', 'deadline, e.g. 2025-03-14T23:59:00+01:00; records lateness')
  .option('--late-penalty <policy>', 'e.g. 10%/day, 2%/hour, none', 'none')
  .option('--hidden-visibility <v>', 'Gradescope visibility of hidden checks: after_published or hidden', 'after_published')
  .option('--gradescope', 'grade one submission inside a Gradescope autograder')
  .option('--gradescope-submission <dir>', 'submission folder in --gradescope mode', process.env.KUBELAB_GRADESCOPE_SUBMISSION)
  .option('--gradescope-results <file>', 'results file in --gradescope mode', process.env.KUBELAB_GRADESCOPE_RESULTS)
  .option('--no-progress', 'no progress bar')
  .addOption(new Option('--grader <module#export>', 'grading function (tests and benchmarks)').hideHelp())
  .addOption(new Option('--grader-version <v>', 'cache key of the grader instead of its source hash (tests)').hideHelp())
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

async function main(): Promise<number> {
  try {
    program.parse(process.argv);
  } catch (err) {
    const code = (err as { exitCode?: number; code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return ExitCode.ok;
    return ExitCode.badInput;
  }
  const opts = program.opts<Omit<GradeCommandOptions, 'submissions'> & { progress: boolean }>();
  const bar = opts.progress ? progressBar(process.stderr) : undefined;
  const ctl = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    // First Ctrl-C: finish the gradings in flight and keep them; second: stop now.
    if (++interrupts > 1) process.exit(130);
    ctl.abort();
    process.stderr.write('\nstopping after the gradings in progress (Ctrl-C again to stop now)…\n');
  });
  try {
    const res = await gradeCommand({ ...opts, submissions: program.args[0], signal: ctl.signal, onProgress: bar ? (p) => bar.update(p) : undefined });
    bar?.stop();
    if (res.mode === 'gradescope') {
      process.stdout.write(`score ${res.results.score}/${res.results.max_score} written to ${res.resultsFile}\n`);
      return ExitCode.ok;
    }
    const r = res.result;
    const outAbs = path.dirname(r.outputs.csv);
    const rel = path.relative(process.cwd(), outAbs);
    const out = rel === '' ? '.' : rel.startsWith('..') ? outAbs : rel;
    process.stdout.write(`${formatSummary(r.summary, r.changes)}\n\n`);
    // The summary above counts students; this line says what this run itself did.
    process.stdout.write(`this run: ${r.counts.graded} submission(s) graded now, ${r.counts.reused} kept from the last run (unchanged)${r.counts.unreadable ? `, ${r.counts.unreadable} unreadable` : ''}\n`);
    if (r.ignored.length) process.stdout.write(`ignored (not a folder or .zip/.tar.gz/.tgz): ${r.ignored.join(', ')}\n`);
    if (r.notOnRoster.length) process.stdout.write(`not on the roster: ${r.notOnRoster.join(', ')}\n`);
    process.stdout.write(`outputs in ${out}/: grades.csv, results.json, junit.xml, feedback/, gradescope/\n`);
    return ExitCode.ok;
  } catch (err) {
    bar?.stop();
    process.stderr.write(`${formatError(err)}\n`);
    // Anything untyped is a grader bug, not bad input: exit 1 so scripts can tell the two apart.
    return err instanceof KubelabError ? err.exitCode : 1;
  }
}

process.exit(await main());
