import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadLab, type Lab } from '../../lab/load.ts';
import { buildClass, classLimits } from '../fixtures/class-builder.ts';
import { runBatch } from '../run.ts';
import { PoolExecutor } from './pool.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let lab: Lab;
let root: string;

beforeAll(async () => {
  lab = await loadLab(path.join(here, '..', 'fixtures', 'lab'));
  root = await mkdtemp(path.join(os.tmpdir(), 'kubelab-pool-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

it('grades in worker threads; a busy loop, a memory hog and a crash each cost only their own row', async () => {
  const cls = await buildClass(lab, path.join(root, 'class'), { poolOnly: true, fakeGraderHooks: true });
  const executor = new PoolExecutor({ workers: 2, timeoutMs: 8_000, memoryMb: 96, grader: { module: path.join(here, '..', 'fixtures', 'fake-grader.ts'), export: 'gradeSubmission' } });
  try {
    const res = await runBatch({ lab, submissionsDir: cls.dir, outDir: path.join(root, 'out'), executor, graderVersion: 'pool-test', limits: classLimits });
    expect(res.rows.map((r) => r.student).sort()).toEqual(Object.keys(cls.expected).sort());
    for (const r of res.rows) {
      const want = cls.expected[r.student]!;
      if (want.status === 'graded') expect({ s: r.student, status: r.status, score: r.score }).toEqual({ s: r.student, status: 'graded', score: want.score });
      else {
        expect({ s: r.student, status: r.status }).toEqual({ s: r.student, status: 'error' });
        expect(r.message).toMatch(want.message);
      }
    }
    expect(res.rows.find((r) => r.student === 'mallory-hang')!.errorReason).toBe('timeout');
    expect(res.rows.find((r) => r.student === 'mallory-oom')!.errorReason).toBe('memory');
    expect(res.rows.find((r) => r.student === 'mallory-crash')!.errorReason).toBe('crash');
  } finally {
    await executor.close();
  }
});
