/**
 * Batch grading with the real grading API (grader/checks/grade.ts) on the simulator, in
 * worker threads: the generated class must get the grades the lab's solution, starter and
 * mutants promise, and the manifest loader's refusals (alias bombs, deep nesting, malformed
 * YAML) must become those students' rows.
 *
 * While the simulator is still being built, gradeSubmission throws "not implemented"; the test
 * is skipped then, and runs as soon as the simulator can grade the fixture lab.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { gradeSubmission } from '../checks/grade.ts';
import { loadLab } from '../lab/load.ts';
import { DEFAULT_GRADER } from './command.ts';
import { PoolExecutor } from './executor/pool.ts';
import { buildClass, classLimits } from './fixtures/class-builder.ts';
import { runBatch } from './run.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const lab = await loadLab(path.join(here, 'fixtures', 'lab'));
const simReady = await gradeSubmission({ lab, submission: lab.solutionDir, seed: 1 }).then(
  () => true,
  (err: unknown) => !/not implemented/.test(String((err as Error)?.message)),
);
if (!simReady) console.warn('real-grader.test.ts skipped: the simulator is not implemented yet');

const root = await mkdtemp(path.join(os.tmpdir(), 'kubelab-real-'));
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

it.skipIf(!simReady)('grades a generated class with the real grader and turns loader refusals into rows', async () => {
  const cls = await buildClass(lab, path.join(root, 'class'));
  const deep = path.join(cls.dir, 'mallory-deep');
  await mkdir(deep);
  await writeFile(path.join(deep, 'deep.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: {x: "1"}\nextra: ${'['.repeat(500)}${']'.repeat(500)}\n`);
  const executor = new PoolExecutor({ workers: 2, timeoutMs: 120_000, memoryMb: 1024, grader: DEFAULT_GRADER });
  try {
    const res = await runBatch({ lab, submissionsDir: cls.dir, outDir: path.join(root, 'out'), executor, graderVersion: 'real-test', limits: classLimits });
    for (const r of res.rows) {
      if (r.student === 'mallory-deep') {
        expect(r.status).toBe('error');
        expect(r.message).toMatch(/deep\.yaml/);
        expect(r.errorReason).toBe('submission');
        continue;
      }
      const want = cls.expected[r.student]!;
      if (want.status === 'graded') expect({ s: r.student, status: r.status, score: r.score, message: r.message }).toEqual({ s: r.student, status: 'graded', score: want.score, message: undefined });
      else {
        expect({ s: r.student, status: r.status }).toEqual({ s: r.student, status: 'error' });
        expect(r.message).toMatch(want.message);
      }
    }
    expect(res.rows).toHaveLength(Object.keys(cls.expected).length + 1);
    // Same seed, same results: a forced re-grade writes the same results.json (durationMs aside).
    const strip = (s: string) => s.replace(/"durationMs": \d+/g, '"durationMs": 0');
    const first = strip(await readFile(res.outputs.results, 'utf8'));
    const again = await runBatch({ lab, submissionsDir: cls.dir, outDir: path.join(root, 'out'), executor, graderVersion: 'real-test', limits: classLimits, force: true });
    expect(again.counts.reused).toBe(0);
    expect(strip(await readFile(again.outputs.results, 'utf8'))).toBe(first);
  } finally {
    await executor.close();
  }
});
