import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLab, type Lab } from '../lab/load.ts';
import { InlineExecutor } from './executor/inline.ts';
import { buildClass, classLimits, listTree, type Expected } from './fixtures/class-builder.ts';
import { gradeSubmission as fakeGrade } from './fixtures/fake-grader.ts';
import { BatchInterrupted, runBatch, type BatchOptions } from './run.ts';
import type { GradeFn } from './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let lab: Lab;
let root: string;
let cls: { dir: string; expected: Record<string, Expected>; outside: string };

beforeAll(async () => {
  lab = await loadLab(path.join(here, 'fixtures', 'lab'));
  root = await mkdtemp(path.join(os.tmpdir(), 'kubelab-batch-'));
  cls = await buildClass(lab, path.join(root, 'class'), { fakeGraderHooks: true });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function opts(outDir: string, grade: GradeFn = fakeGrade, extra: Partial<BatchOptions> = {}): BatchOptions {
  return { lab, submissionsDir: cls.dir, outDir, executor: new InlineExecutor({ grade, concurrency: 3 }), graderVersion: 'test-1', limits: classLimits, ...extra };
}

function assertRows(rows: { student: string; status: string; score: number; message?: string }[]) {
  expect(rows.map((r) => r.student).sort()).toEqual(Object.keys(cls.expected).sort());
  for (const r of rows) {
    const want = cls.expected[r.student]!;
    if (want.status === 'graded') expect({ student: r.student, status: r.status, score: r.score }).toEqual({ student: r.student, status: 'graded', score: want.score });
    else {
      expect({ student: r.student, status: r.status }).toEqual({ student: r.student, status: 'error' });
      expect(r.message, r.student).toMatch(want.message);
    }
  }
}

describe('runBatch on a generated class', () => {
  it('grades every submission, refuses every hostile one with its own row, and writes nothing outside', async () => {
    const out = path.join(root, 'out-all');
    const res = await runBatch(opts(out));
    assertRows(res.rows);
    // Nothing escaped: no evil.yaml anywhere under the temp root, the canary untouched.
    const everything = await listTree(root);
    expect(everything.filter((f) => path.basename(f) === 'evil.yaml')).toEqual([]);
    expect(await readdir(cls.outside)).toEqual(['secret.yaml']);
    // The staging folder is gone after the run.
    await expect(stat(path.join(out, '.work'))).rejects.toThrow();

    const csv = parse(await readFile(path.join(out, 'grades.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    assertRows(csv.map((r) => ({ student: r.student!, status: r.status!, score: Number(r.score), message: r.message })));
    expect(Object.keys(csv[0]!)).toEqual(['student', 'id', 'name', 'status', 'score', 'max_score', 'final_score', ...lab.spec.checks.map((c) => c.id), 'message']);
    // The summary lists every error and counts the most-failed check.
    expect(res.summary.errorList.map((e) => e.student).sort()).toEqual(Object.entries(cls.expected).filter(([, e]) => e.status === 'error').map(([s]) => s).sort());
    expect(res.summary.graded).toBe(Object.values(cls.expected).filter((e) => e.status === 'graded').length);
  });

  it('one poisoned submission leaves every other grade intact', async () => {
    const clean = await runBatch(opts(path.join(root, 'out-clean')));
    // The same class, but alice's grading crashes: only her row changes.
    const poisoned: GradeFn = async (o) => {
      if (typeof o.submission === 'string' && o.submission.includes(`${path.sep}alice${path.sep}`)) throw new RangeError('Maximum call stack size exceeded');
      return fakeGrade(o);
    };
    const res = await runBatch(opts(path.join(root, 'out-poisoned'), poisoned));
    for (const r of res.rows) {
      const before = clean.rows.find((c) => c.student === r.student)!;
      if (r.student === 'alice') {
        expect(r.status).toBe('error');
        expect(r.errorReason).toBe('crash');
        expect(r.message).toMatch(/grader failed on this submission \(Maximum call stack/);
      } else expect({ s: r.student, status: r.status, score: r.score, message: r.message }).toEqual({ s: before.student, status: before.status, score: before.score, message: before.message });
    }
  });

  it('resumes after an interrupted run, grading only what is left', async () => {
    const out = path.join(root, 'out-resume');
    const ctl = new AbortController();
    let calls = 0;
    const k = 3;
    const stopping: GradeFn = async (o) => {
      if (++calls === k) ctl.abort();
      return fakeGrade(o);
    };
    const err = await runBatch({ ...opts(out, stopping), executor: new InlineExecutor({ grade: stopping, concurrency: 1 }), signal: ctl.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BatchInterrupted);
    expect((err as BatchInterrupted).exitCode).toBe(130);
    // Killed before the end: no aggregate output, but k results persisted.
    await expect(stat(path.join(out, 'grades.csv'))).rejects.toThrow();
    expect(await readdir(path.join(out, '.state', 'submissions'))).toHaveLength(k);

    let second = 0;
    const counting: GradeFn = async (o) => {
      second++;
      return fakeGrade(o);
    };
    const res = await runBatch(opts(out, counting));
    assertRows(res.rows);
    const gradable = Object.keys(cls.expected).length - res.counts.unreadable;
    expect(res.counts).toMatchObject({ reused: k, graded: gradable - k });
    expect(second).toBe(gradable - k);
  });

  it('a re-run reuses unchanged results, is identical, and --force grades everything again', async () => {
    const out = path.join(root, 'out-rerun');
    const first = await runBatch(opts(out));
    const csv1 = await readFile(path.join(out, 'grades.csv'), 'utf8');
    const strip = (s: string) => s.replace(/"durationMs": \d+/g, '"durationMs": 0');
    const json1 = strip(await readFile(path.join(out, 'results.json'), 'utf8'));
    const again = await runBatch(opts(out));
    // Grader crashes are retried; everything else, including refused YAML, is reused.
    const crashes = first.rows.filter((r) => r.errorReason === 'crash').length;
    expect(crashes).toBe(1);
    expect(again.counts.graded).toBe(crashes);
    expect(again.counts.reused).toBe(first.counts.graded - crashes);
    const forced = await runBatch(opts(out, fakeGrade, { force: true }));
    expect(forced.counts.reused).toBe(0);
    expect(await readFile(path.join(out, 'grades.csv'), 'utf8')).toBe(csv1);
    expect(strip(await readFile(path.join(out, 'results.json'), 'utf8'))).toBe(json1);
    expect(forced.changes).toEqual([]);
  });

  it('re-grades when the seed or grader changes, and reports changed grades', async () => {
    const out = path.join(root, 'out-changes');
    await runBatch(opts(out));
    const res = await runBatch(opts(out, fakeGrade, { seed: 2 }));
    expect(res.counts.reused).toBe(0);
    const harsher: GradeFn = async (o) => {
      const r = await fakeGrade(o);
      return { ...r, score: Math.max(0, r.score - 1) };
    };
    const res2 = await runBatch(opts(out, harsher, { seed: 2, graderVersion: 'test-2' }));
    expect(res2.counts.reused).toBe(0);
    const full = lab.spec.checks.reduce((s, c) => s + c.points, 0);
    expect(res2.changes).toContainEqual({ student: 'alice', before: `${full}/${full}`, after: `${full - 1}/${full}` });
    // Students graded 0 stay 0: not reported as changed.
    expect(res2.changes.find((c) => c.student === 'bob')).toBeUndefined();
  });
});
