/**
 * Per-lab grading cost, two ways:
 *  - in-process: gradeSubmission on the simulator for each labs/NN-*\/solution (documents loaded
 *    once beforehand), after one warm-up pass over all labs, median of `reps` runs of the lab
 *    in a row, as a batch grades one lab's submissions. Target: under 20 ms per lab.
 *  - whole command: wall time of `node grader/cli/launch.mjs lab N --solution --json` as a
 *    student runs it (process start, bundle load, grading, output). Target: under 1 s per lab.
 *    The first command may rebuild the bundle; it is run once untimed for that.
 *
 * Options: `reps=N` (default 15, 3 with --quick), `cli=0` to skip the whole-command column,
 * `labs=<folder>` (default labs/).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { listLabs } from '../lab/load.ts';
import { gradeSubmission, loadSubmission } from '../checks/grade.ts';
import type { BenchSection, Cell } from './types.ts';
import { median } from './sim-memory.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const labsRoot = path.join(here, '..', '..', 'labs');
const launcher = path.join(here, '..', 'cli', 'launch.mjs');
const run = promisify(execFile);

async function commandMs(labId: string): Promise<number> {
  const t0 = performance.now();
  // A failing grade exits non-zero; the time still counts, so the rejection is ignored.
  await run(process.execPath, [launcher, 'lab', labId, '--solution', '--json'], { maxBuffer: 64 * 2 ** 20 }).catch(() => undefined);
  return performance.now() - t0;
}

export const gradingSection: BenchSection = {
  name: 'grading',
  description: 'per lab: in-process gradeSubmission of the solution (target < 20 ms) and the `lab N --solution` command (target < 1 s)',
  async run(ctx) {
    // 15: on a shared machine a median of fewer runs moved by a third from one bench to the next.
    const reps = Number(ctx.options.reps ?? (ctx.quick ? 3 : 15));
    const withCli = (ctx.options.cli ?? (ctx.quick ? '0' : '1')) !== '0';
    const { labs, errors } = await listLabs(ctx.options.labs ?? labsRoot);
    const rows: Cell[][] = [];
    let overGrade = 0;
    let overCli = 0;
    if (withCli && labs[0]) await commandMs(String(labs[0].spec.id)); // bundle (re)build, untimed
    const documentsOf = new Map<string, Awaited<ReturnType<typeof loadSubmission>>>();
    for (const lab of labs) documentsOf.set(lab.folder, await loadSubmission(lab.solutionDir));
    // One untimed pass over every lab first: lazy imports, the boot cache and the JIT's view of
    // the shared code are then as in a grading process that has run a while (batch grading).
    // A student's single cold run is what the whole-command column measures.
    for (const lab of labs) await gradeSubmission({ lab, submission: documentsOf.get(lab.folder)!, backend: 'sim', seed: 1 });
    for (const lab of labs) {
      const documents = documentsOf.get(lab.folder)!;
      const times: number[] = [];
      let score = '';
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        const report = await gradeSubmission({ lab, submission: documents, backend: 'sim', seed: 1 });
        times.push(performance.now() - t0);
        score = `${report.score}/${report.maxScore}`;
      }
      const ms = median(times);
      if (ms > 20) overGrade++;
      rows.push([lab.folder, lab.spec.checks.length, lab.spec.checks.filter((c) => c.type === 'scenario').length, score, ms, Math.min(...times), '']);
      ctx.log(`${lab.folder}: ${ms.toFixed(1)} ms`);
    }
    // The commands after all in-process runs, so no child process runs between two labs'
    // in-process measurements.
    if (withCli) {
      for (const [i, lab] of labs.entries()) {
        const c = await commandMs(String(lab.spec.id));
        if (c > 1000) overCli++;
        rows[i]![6] = c;
        ctx.log(`${lab.folder}: command ${c.toFixed(0)} ms`);
      }
    }
    return [
      {
        title: `grading: ${labs.length} lab solutions (in-process median of ${reps}, after one warm-up pass over all labs${withCli ? '; command wall time once' : ''})`,
        columns: ['lab', 'checks', 'scenarios', 'score', 'grade ms (median)', 'grade ms (min)', 'command ms'],
        rows,
        notes: [
          `target: in-process grading under 20 ms per lab — ${overGrade === 0 ? 'met by every lab' : `${overGrade} lab(s) over`}`,
          ...(withCli ? [`target: \`lab N --solution\` under 1,000 ms per lab — ${overCli === 0 ? 'met by every lab' : `${overCli} lab(s) over`}`] : []),
          ...errors.map((e) => `lab ${e.folder} not loaded: ${e.error.message}`),
        ],
      },
    ];
  },
};
