/**
 * Batch throughput: grade N generated submissions of one lab (its solution, starter and
 * mutants in turn, as student folders) with 1 worker and with every core, and report
 * submissions per second and peak memory. Target: 1,000 submissions in under 20 s on 2 cores.
 *
 * Options: `lab=<folder>` (default: the batch fixture lab), `n=<count>` (default 1000, 60 with
 * --quick), `grader=real|fake` (default real: grader/checks/grade.ts; `fake` measures the
 * batch machinery alone with the fixture grader, which only understands the fixture lab).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_GRADER } from '../batch/command.ts';
import { PoolExecutor } from '../batch/executor/pool.ts';
import { runBatch } from '../batch/run.ts';
import type { GraderRef } from '../batch/types.ts';
import { loadLab, type Lab } from '../lab/load.ts';
import { withPeakRss } from './peak-memory.ts';
import type { BenchSection } from './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureLab = path.join(here, '..', 'batch', 'fixtures', 'lab');
const fakeGrader: GraderRef = { module: path.join(here, '..', 'batch', 'fixtures', 'fake-grader.ts'), export: 'gradeSubmission' };

async function manifests(dir: string, skip: string[] = []): Promise<Map<string, Buffer>> {
  const m = new Map<string, Buffer>();
  try {
    for (const n of (await readdir(dir)).sort()) if (/\.(ya?ml|json)$/.test(n) && !skip.includes(n)) m.set(n, await readFile(path.join(dir, n)));
  } catch {
    // A lab without a starter folder simply contributes no starter variant.
  }
  return m;
}

/** The variants students are drawn from: solution, starter, and each mutant laid over the solution. */
async function variants(lab: Lab): Promise<Map<string, Buffer>[]> {
  const solution = await manifests(lab.solutionDir);
  const out = [solution];
  const starter = await manifests(lab.starterDir);
  if (starter.size) out.push(starter);
  for (const m of lab.mutants) out.push(new Map([...solution, ...(await manifests(m.dir, ['mutant.yaml']))]));
  return out;
}

export async function generateClass(lab: Lab, dir: string, n: number): Promise<void> {
  const vs = await variants(lab);
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < n; i++) {
    const sdir = path.join(dir, `student-${String(i).padStart(4, '0')}`);
    await mkdir(sdir);
    // A comment with the student number makes every submission's content hash distinct.
    for (const [name, body] of vs[i % vs.length]!) await writeFile(path.join(sdir, name), Buffer.concat([Buffer.from(`# student ${i}\n`), body]));
  }
}

export const batchSection: BenchSection = {
  name: 'batch',
  description: 'batch grading throughput (submissions/s, peak memory) for 1 worker and all cores',
  async run(ctx) {
    const lab = await loadLab(ctx.options.lab ?? fixtureLab);
    const n = Number(ctx.options.n ?? (ctx.quick ? 60 : 1000));
    const which = ctx.options.grader ?? 'real';
    const grader = which === 'fake' ? fakeGrader : DEFAULT_GRADER;
    const subs = path.join(ctx.tmpDir, 'batch-submissions');
    ctx.log(`generating ${n} submissions of lab ${lab.spec.id} (${lab.folder})…`);
    await generateClass(lab, subs, n);
    const cores = os.availableParallelism();
    const rows = [];
    for (const workers of [...new Set([1, cores])]) {
      const out = path.join(ctx.tmpDir, `batch-out-${workers}`);
      await rm(out, { recursive: true, force: true });
      ctx.log(`grading with ${workers} worker${workers > 1 ? 's' : ''}…`);
      const executor = new PoolExecutor({ workers, timeoutMs: 120_000, memoryMb: 1024, grader });
      const t0 = performance.now();
      try {
        const { value: res, peakRssMb } = await withPeakRss(() => runBatch({ lab, submissionsDir: subs, outDir: out, executor, graderVersion: 'bench', force: true }));
        const s = (performance.now() - t0) / 1000;
        rows.push([workers, n, res.summary.graded, res.summary.errors, s, n / s, peakRssMb, (s * 1000) / n]);
      } finally {
        await executor.close();
      }
    }
    return [
      {
        title: `batch: ${n} submissions of lab ${lab.spec.id}, ${which} grader`,
        columns: ['workers', 'submissions', 'graded', 'errors', 'seconds', 'subm/s', 'peak RSS MB', 'ms/subm'],
        rows,
        notes: [`target: 1,000 submissions in under 20 s on 2 cores (≥ 50 subm/s); this machine has ${cores} cores`],
      },
    ];
  },
};
