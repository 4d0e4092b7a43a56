/**
 * The `npm run grade` entry point as an instructor runs it: a real process with worker threads,
 * exit codes, a run killed with SIGKILL and resumed, and the Gradescope mode.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'csv-parse/sync';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLab, type Lab } from '../lab/load.ts';
import { GIT_COMMIT_TIME, buildClass, expectedScore, type Expected } from './fixtures/class-builder.ts';
import { computeLateness, parsePenalty } from './lateness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const labDir = path.join(here, 'fixtures', 'lab');
const fake = path.join(here, 'fixtures', 'fake-grader.ts');
let lab: Lab;
let root: string;
let cls: { dir: string; expected: Record<string, Expected> };

function grade(args: string[], env: Record<string, string> = {}) {
  return execa('node', ['--import', 'tsx', path.join(repo, 'grader', 'cli', 'grade.ts'), ...args], { cwd: repo, reject: false, env: { ...env }, timeout: 120_000 });
}
const common = () => ['--lab-dir', labDir, '--grader', fake, '--grader-version', 'cli-test', '--workers', '2', '--no-progress'];

beforeAll(async () => {
  lab = await loadLab(labDir);
  root = await mkdtemp(path.join(os.tmpdir(), 'kubelab-cli-'));
  cls = await buildClass(lab, path.join(root, 'class'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// These two depend on the limits, which the CLI leaves at their defaults (the class is sized for smaller ones).
const limitDependent = new Set(['mallory-entries', 'mallory-huge']);

async function readGrades(out: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path.join(out, 'grades.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
}

function assertGrades(csv: Record<string, string>[]) {
  expect(csv.map((r) => r.student).sort()).toEqual(Object.keys(cls.expected).sort());
  for (const r of csv) {
    const want = cls.expected[r.student!]!;
    if (limitDependent.has(r.student!)) continue;
    if (want.status === 'graded') expect({ s: r.student, status: r.status, score: Number(r.score) }).toEqual({ s: r.student, status: 'graded', score: want.score });
    else expect({ s: r.student, status: r.status }).toEqual({ s: r.student, status: 'error' });
  }
}

describe('npm run grade', () => {
  it('exits 2 for bad usage or input, naming the problem', async () => {
    const noLab = await grade(['--lab', '999', cls.dir, '--out', path.join(root, 'o1')]);
    expect(noLab.exitCode).toBe(2);
    expect(noLab.stderr).toMatch(/no lab 999/);
    const missing = await grade([...common(), path.join(root, 'nope'), '--out', path.join(root, 'o2')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/submissions folder .*nope does not exist/);
    const noArg = await grade([...common(), '--out', path.join(root, 'o3')]);
    expect(noArg.exitCode).toBe(2);
    expect(noArg.stderr).toMatch(/give the SUBMISSIONS folder/);
    const badPenalty = await grade([...common(), cls.dir, '--deadline', '2025-03-01T00:00:00Z', '--late-penalty', 'lots']);
    expect(badPenalty.exitCode).toBe(2);
    expect(badPenalty.stderr).toMatch(/not a penalty policy/);
    expect(noLab.stderr + missing.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('resumes a run killed mid-way, grading only what was not persisted', async () => {
    const out = path.join(root, 'out-killed');
    const counter = path.join(root, 'counter');
    await mkdir(counter);
    const killed = await grade([...common(), '--workers', '1', cls.dir, '--out', out], { KUBELAB_FAKE_KILL_AFTER: '4', KUBELAB_FAKE_COUNTER_DIR: counter });
    expect(killed.signal).toBe('SIGKILL');
    await expect(stat(path.join(out, 'grades.csv'))).rejects.toThrow();
    const persisted = (await readdir(path.join(out, '.state', 'submissions'))).filter((f) => f.endsWith('.json'));
    expect(persisted.length).toBeGreaterThan(0);
    expect(persisted.length).toBeLessThanOrEqual(4);

    const resumed = await grade([...common(), cls.dir, '--out', out]);
    expect(resumed.exitCode).toBe(0);
    const m = /this run: (\d+) submission\(s\) graded now, (\d+) kept from the last run/.exec(resumed.stdout)!;
    expect(Number(m[2])).toBe(persisted.length);
    assertGrades(await readGrades(out));
    // Every output format is there, and no temporary file was left behind.
    const files = await readdir(out);
    expect(files.filter((f) => !f.startsWith('.')).sort()).toEqual(['feedback', 'grades.csv', 'gradescope', 'junit.xml', 'results.json']);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const results = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8'));
    expect(results.students).toHaveLength(Object.keys(cls.expected).length);
    expect(results.students.find((s: { student: string }) => s.student === 'alice').report.score).toBe(expectedScore(lab, []));
    expect((await readdir(path.join(out, 'feedback'))).length).toBe(2 * Object.keys(cls.expected).length);
  });

  it('adds roster ids and lateness from git commit times', async () => {
    const out = path.join(root, 'out-roster');
    const roster = path.join(root, 'roster.csv');
    await writeFile(roster, 'identifier,github_username,name\nS-1,alice,Alice Example\nS-5,mutant-wrong-port,Erin Example\nS-9,zoe,Zoe Absent\n');
    const deadline = '2025-03-01T00:00:00Z';
    const res = await grade([...common(), cls.dir, '--out', out, '--roster', roster, '--deadline', deadline, '--late-penalty', '10%/day']);
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toMatch(/not on the roster: .*bob/);
    const csv = await readGrades(out);
    const git = csv.find((r) => r.student === 'lab-mutant-wrong-port')!;
    const want = computeLateness(new Date(deadline).toISOString(), new Date(GIT_COMMIT_TIME).toISOString(), 'git', parsePenalty('10%/day'));
    expect(git).toMatchObject({ id: 'S-5', name: 'Erin Example', submitted_at: want.submittedAt, penalty_percent: String(want.penaltyPercent) });
    expect(Number(git.final_score)).toBeCloseTo((Number(git.score) * (100 - want.penaltyPercent)) / 100, 2);
    expect(csv.find((r) => r.student === 'zoe')).toMatchObject({ status: 'missing', id: 'S-9' });
    expect(csv.find((r) => r.student === 'alice')).toMatchObject({ id: 'S-1', name: 'Alice Example' });
  });

  it('runs as a Gradescope autograder with overridable paths', async () => {
    const schema = JSON.parse(await readFile(path.join(here, 'schemas', 'gradescope-results.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: true }).compile(schema);
    const resultsFile = path.join(root, 'autograder', 'results', 'results.json');
    const ok = await grade([...common(), '--gradescope', '--gradescope-submission', path.join(cls.dir, 'alice'), '--gradescope-results', resultsFile]);
    expect(ok.exitCode).toBe(0);
    const good = JSON.parse(await readFile(resultsFile, 'utf8'));
    expect(validate(good)).toBe(true);
    expect(good.score).toBe(expectedScore(lab, []));
    expect(good.tests.filter((t: { visibility: string }) => t.visibility === 'after_published')).toHaveLength(lab.spec.checks.filter((c) => c.hidden).length);
    // Paths from the environment, as an autograder's run_autograder script may set them.
    const bad = await grade([...common(), '--gradescope'], { KUBELAB_GRADESCOPE_SUBMISSION: path.join(cls.dir, 'mallory-fslink'), KUBELAB_GRADESCOPE_RESULTS: resultsFile });
    expect(bad.exitCode).toBe(0);
    const refused = JSON.parse(await readFile(resultsFile, 'utf8'));
    expect(validate(refused)).toBe(true);
    expect(refused).toMatchObject({ score: 0, tests: [] });
    expect(refused.output).toMatch(/symbolic link[\s\S]*What to do/);
    expect(await readdir(path.dirname(resultsFile))).toEqual(['results.json']);
  });
});
