/**
 * `npm run lab` — the student's command.
 *
 *   npm run lab                 list the labs
 *   npm run lab 3               first time: copy lab 3's starter into work/03-slug/; then: grade it
 *   npm run lab -- 3 --json     the JSON report on stdout
 *
 * Exit codes: 0 all checks pass, 1 a check fails, 2 bad input or usage. This file is the
 * only place that sets the exit code; everything it calls throws typed errors. Heavy modules
 * (the simulator, the grader) are imported only when grading, so listing stays instant.
 */
import { cp, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExitCode, KubelabError, UsageError, formatError } from '../errors.ts';
import type { Lab } from '../lab/load.ts';
import type { Report } from '../checks/report.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LABS = path.join(ROOT, 'labs');
// Workspaces live in work/ (git-ignored); tests point KUBELAB_WORK_DIR elsewhere.
const WORK = process.env.KUBELAB_WORK_DIR ? path.resolve(process.env.KUBELAB_WORK_DIR) : path.join(ROOT, 'work');

interface Opts {
  submission?: string;
  solution?: boolean;
  json?: boolean;
  watch?: boolean;
  cluster: 'sim' | 'kind';
  labDir?: string;
  explain?: boolean;
  seed: number;
  color: boolean;
  showHidden?: boolean;
  kubeContext?: string;
  keepCluster?: boolean;
}

const rel = (p: string) => {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

function parseSeed(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 2 ** 32 - 1) throw new InvalidArgumentError('the seed is a whole number between 0 and 4294967295');
  return Number(v);
}

function program(): Command {
  return new Command()
    .name('npm run lab --')
    .description('List the labs, start one, and grade your manifests on a simulated cluster.')
    .argument('[lab]', 'lab number (3 or 03) or slug; leave out to list the labs')
    .option('--submission <dir>', 'grade this folder instead of your workspace work/NN-slug/')
    .option('--solution', "grade the lab's reference solution (lab authors)")
    .option('--json', 'print the JSON report on stdout, nothing else')
    .option('--watch', 'grade again each time a file in the submission changes')
    .addOption(new Option('--cluster <name>', 'where to grade').choices(['sim', 'kind']).default('sim'))
    .option('--lab-dir <dir>', 'a lab folder outside labs/ (instructors writing a lab)')
    .option('--explain', 'show every piece of evidence, request traces and the cluster state')
    .option('--seed <n>', 'seed of the simulation (same seed, same result)', parseSeed, 1)
    .option('--no-color', 'plain output without colours')
    .option('--show-hidden', 'show hidden checks in full (instructors)')
    .option('--kube-context <name>', 'with --cluster kind: use this existing cluster instead of creating one')
    .option('--keep-cluster', 'with --cluster kind: keep the cluster after grading')
    .addHelpText('after', '\nExit codes: 0 all checks pass, 1 some check fails, 2 bad input or usage.\nWith npm, put options after --, e.g. `npm run lab -- 3 --explain`.')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
}

export async function main(argv: string[]): Promise<number> {
  const cmd = program();
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return ExitCode.ok;
      process.stderr.write('  hint: run `npm run lab -- --help` for the options\n');
      return ExitCode.badInput;
    }
    throw err;
  }
  const opts = cmd.opts<Opts>();
  const labArg = cmd.args[0];
  if ((opts.kubeContext || opts.keepCluster) && opts.cluster !== 'kind') throw new UsageError('--kube-context and --keep-cluster only apply with --cluster kind', 'add --cluster kind, or leave them out');
  if (opts.solution && opts.submission) throw new UsageError('--solution and --submission both say what to grade', 'use one of them');
  const color = opts.color && !process.env.NO_COLOR && Boolean(process.stdout.isTTY);

  const { findLab, listLabs, loadLab } = await import('../lab/find.ts');
  if (!labArg && !opts.labDir) {
    if (opts.submission || opts.solution || opts.watch || opts.json) throw new UsageError('say which lab to grade', 'e.g. `npm run lab -- 3 --json`; run `npm run lab` to list the labs');
    return listCommand(await listLabs(LABS), color);
  }
  const lab = opts.labDir ? await loadLab(opts.labDir) : await findLab(LABS, labArg!);
  if (opts.labDir && labArg && String(lab.spec.id) !== String(Number(labArg)) && lab.spec.slug !== labArg && lab.folder !== labArg) {
    throw new UsageError(`--lab-dir ${opts.labDir} holds lab ${lab.spec.id} (${lab.spec.slug}), not "${labArg}"`, 'leave out the lab number when you use --lab-dir');
  }

  let target: string;
  if (opts.submission) target = path.resolve(opts.submission);
  else if (opts.solution) target = lab.solutionDir;
  else {
    target = path.join(WORK, lab.folder);
    if (!(await exists(target))) {
      await startWorkspace(lab, target, opts.json ? process.stderr : process.stdout);
      if (!opts.json && !opts.watch) return ExitCode.ok;
    }
  }
  if (!(await exists(target))) throw new UsageError(`the folder ${rel(target)} does not exist`, opts.submission ? 'give the folder that holds your manifests' : 'check the lab folder');

  if (opts.watch) return watchCommand(lab, target, opts, color);
  const report = await grade(lab, target, opts);
  await output(report, target, opts, color);
  const { allPassed } = await import('../checks/grade.ts');
  return allPassed(report) ? ExitCode.ok : ExitCode.checksFailed;
}

function listCommand({ labs, errors }: { labs: Lab[]; errors: { folder: string; error: KubelabError }[] }, color: boolean): number {
  const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);
  if (labs.length === 0 && errors.length === 0) {
    process.stdout.write(`No labs yet in ${rel(LABS)}.\n`);
    return ExitCode.ok;
  }
  const rows = labs.map((l) => [String(l.spec.id).padStart(2, '0'), l.spec.title, l.spec.difficulty, `${l.spec.estimatedMinutes} min`, l.spec.concepts.join(', ')]);
  const head = ['#', 'title', 'difficulty', 'time', 'concepts'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ');
  const out = [dim(line(head)), ...rows.map(line), '', 'Start a lab with `npm run lab N` (e.g. `npm run lab 1`); run it again to grade your work.'];
  process.stdout.write(`${out.join('\n')}\n`);
  for (const { folder, error } of errors) process.stderr.write(`warning: lab folder ${folder} is broken: ${error.message}\n`);
  return ExitCode.ok;
}

async function startWorkspace(lab: Lab, target: string, to: NodeJS.WritableStream): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  if (await exists(lab.starterDir)) await cp(lab.starterDir, target, { recursive: true });
  else await mkdir(target, { recursive: true });
  to.write(
    [
      `Lab ${lab.spec.id} · ${lab.spec.title}`,
      '',
      `Your workspace is ${rel(target)}/ (a copy of the lab's starter).`,
      `  1. Read the instructions:   ${rel(path.join(lab.dir, 'README.md'))}`,
      `  2. Edit your manifests in:  ${rel(target)}/`,
      `  3. Grade your work:         npm run lab ${lab.spec.id}   (add -- --watch to re-grade on every save)`,
      '',
    ].join('\n'),
  );
}

async function grade(lab: Lab, target: string, opts: Opts): Promise<Report> {
  const { gradeSubmission } = await import('../checks/grade.ts');
  const kind = { ...(opts.kubeContext ? { kubeContext: opts.kubeContext } : {}), ...(opts.keepCluster ? { keepCluster: true } : {}) };
  return gradeSubmission({ lab, submission: target, backend: opts.cluster, seed: opts.seed, explain: opts.explain, backendOptions: { kind } });
}

async function output(report: Report, target: string, opts: Opts, color: boolean): Promise<void> {
  const { redactHidden, reportJson } = await import('../checks/grade.ts');
  const shown = opts.showHidden ? report : redactHidden(report);
  if (opts.json) {
    process.stdout.write(reportJson(shown));
    return;
  }
  const { renderReport } = await import('../checks/render.ts');
  process.stdout.write(renderReport(shown, { color, explain: Boolean(opts.explain), subject: `grading ${rel(target)}`, showHidden: opts.showHidden }));
}

/** Re-grade on every save, debounced; bad input is shown and waited out, never fatal. */
async function watchCommand(lab: Lab, target: string, opts: Opts, color: boolean): Promise<number> {
  const { watch } = await import('chokidar');
  const { loadLab } = await import('../lab/load.ts');
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      if (color && !opts.json) process.stdout.write('\x1b[2J\x1b[H');
      const current = opts.labDir ? await loadLab(opts.labDir) : lab;
      const report = await grade(current, target, opts);
      await output(report, target, opts, color);
    } catch (err) {
      // In watch mode every problem is shown and waited out: the next save may fix it.
      process.stderr.write(`${formatError(err)}\n`);
    } finally {
      running = false;
      process.stderr.write(`\nwatching ${rel(target)} for changes (Ctrl-C to stop)\n`);
      if (again) {
        again = false;
        void run();
      }
    }
  };
  const watched = opts.labDir ? [target, lab.dir] : [target];
  const watcher = watch(watched, { ignoreInitial: true, ignored: (p) => p.includes(`${path.sep}node_modules${path.sep}`) });
  watcher.on('all', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), 200);
  });
  await run();
  return new Promise<number>((resolve) => {
    process.once('SIGINT', () => {
      void watcher.close().then(() => resolve(ExitCode.ok));
    });
  });
}

/** Run the command and set the exit code: the only place that decides it. */
export function runMain(argv: string[]): Promise<void> {
  if (argv.includes('kind')) {
    // A real cluster must not keep a submission's namespaces (or a created cluster) because
    // grading was interrupted: Ctrl-C runs the backend's cleanup first.
    process.once('SIGINT', () => {
      process.stderr.write('\ninterrupted: cleaning up the kind cluster…\n');
      void import('../backend/kind/cleanup.ts').then(({ runCleanups }) => runCleanups()).finally(() => process.exit(130));
    });
  }
  return main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${formatError(err)}\n`);
      if (!(err instanceof KubelabError) && process.env.KUBELAB_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
      process.exitCode = err instanceof KubelabError ? err.exitCode : ExitCode.badInput;
    },
  );
}

// Entry point when run directly (node --import tsx grader/cli/lab.ts); grader/cli/launch.mjs calls runMain.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void runMain(process.argv.slice(2));
}
