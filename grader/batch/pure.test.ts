import { describe, expect, it } from 'vitest';
import { UsageError, InputError } from '../errors.ts';
import { validateEntryPath } from './archive/entry-path.ts';
import { gradeChanges, toLastRun } from './changes.ts';
import { gradeKey } from './hash.ts';
import { applyPenalty, computeLateness, parseDeadline, parsePenalty } from './lateness.ts';
import { SubmissionProblem } from './limits.ts';
import { isManifestPath } from './manifest-files.ts';
import { fileKey, studentName } from './names.ts';
import { planBatch } from './plan.ts';
import { matchRoster, parseRoster } from './roster.ts';
import type { StateEntry } from './state.ts';
import type { PreparedOk, StudentRow } from './types.ts';

describe('archive entry paths', () => {
  const root = '/runs/out/.work/alice/files';
  it.each([
    ['k8s/service.yaml', 'k8s/service.yaml'],
    ['./a/./b.yaml', 'a/b.yaml'],
    ['dir/', 'dir'],
  ])('accepts %s', (name, rel) => expect(validateEntryPath(root, name, 16)).toBe(rel));
  it.each([
    ['../evil.yaml', /climbs out/],
    ['a/../../evil.yaml', /climbs out/],
    ['/etc/passwd', /absolute path/],
    ['C:/windows/x.yaml', /absolute path/],
    ['a\\..\\b.yaml', /backslashes/],
    ['a\0b.yaml', /NUL/],
    ['', /empty name/],
    [`${'d/'.repeat(20)}x.yaml`, /nested 21 folders deep/],
  ])('refuses %j', (name, msg) => {
    expect(() => validateEntryPath(root, name, 16)).toThrow(SubmissionProblem);
    expect(() => validateEntryPath(root, name, 16)).toThrow(msg);
  });
});

describe('manifest selection and names', () => {
  it.each([
    ['service.yaml', true],
    ['k8s/deep/er/app.YML', true],
    ['list.json', true],
    ['.github/workflows/classroom.yml', false],
    ['.git/config.yaml', false],
    ['node_modules/x/package.yaml', false],
    ['__MACOSX/._service.yaml', false],
    ['package.json', false],
    ['README.md', false],
  ])('%s is a manifest: %s', (rel, want) => expect(isManifestPath(rel)).toBe(want));

  it('names students after folders and archives, and file keys are safe and distinct', () => {
    expect(studentName('lab3-bob.tar.gz', false)).toBe('lab3-bob');
    expect(studentName('alice.zip', false)).toBe('alice');
    expect(studentName('carol.zip', true)).toBe('carol.zip');
    expect(fileKey('alice')).toBe('alice');
    const a = fileKey('José Müller');
    const b = fileKey('José_Müller');
    expect(a).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(a).not.toBe(b);
    expect(fileKey('..')).not.toMatch(/^\./);
  });
});

describe('roster', () => {
  it('reads GitHub Classroom exports and matches clones named <assignment>-<user>', () => {
    const roster = parseRoster('"identifier","github_username","github_id","name"\n"s1","alice","1","Alice A"\n"s2","bob","2","Bob B"\n"s3","al","3","Al C"\n', 'roster.csv');
    expect(roster).toEqual([
      { key: 'alice', id: 's1', name: 'Alice A' },
      { key: 'bob', id: 's2', name: 'Bob B' },
      { key: 'al', id: 's3', name: 'Al C' },
    ]);
    const m = matchRoster(['lab3-alice', 'bob', 'lab3-zed'], roster);
    expect(m.matched.get('lab3-alice')?.id).toBe('s1');
    expect(m.matched.get('bob')?.id).toBe('s2');
    expect(m.unknown).toEqual(['lab3-zed']);
    expect(m.missing.map((r) => r.key)).toEqual(['al']);
  });
  it('refuses a roster without a key column or with duplicates', () => {
    expect(() => parseRoster('x,y\n1,2\n', 'r.csv')).toThrow(InputError);
    expect(() => parseRoster('student,id\na,1\na,2\n', 'r.csv')).toThrow(/appears twice/);
  });
});

describe('lateness', () => {
  it('parses policies and deadlines, refusing vague ones', () => {
    expect(parsePenalty('10%/day')).toMatchObject({ kind: 'per', percent: 10, unit: 'day' });
    expect(parsePenalty('none')).toEqual({ kind: 'none' });
    expect(() => parsePenalty('10 per day')).toThrow(UsageError);
    expect(() => parseDeadline('2025-03-01 23:59')).toThrow(UsageError);
    expect(parseDeadline('2025-03-01T23:59:00+01:00')).toBe('2025-03-01T22:59:00.000Z');
  });
  it('charges every started unit, caps at 100%, and leaves on-time work alone', () => {
    const p = parsePenalty('25%/day');
    const dl = '2025-03-01T00:00:00.000Z';
    expect(computeLateness(dl, '2025-02-28T00:00:00.000Z', 'git', p)).toMatchObject({ lateMs: 0, penaltyPercent: 0 });
    expect(computeLateness(dl, '2025-03-01T00:00:01.000Z', 'git', p).penaltyPercent).toBe(25);
    expect(computeLateness(dl, '2025-03-09T00:00:00.000Z', 'git', p).penaltyPercent).toBe(100);
    const l = computeLateness(dl, '2025-03-02T12:00:00.000Z', 'mtime', p);
    expect(applyPenalty(7, l)).toBe(3.5);
    expect(computeLateness(dl, '2025-03-02T12:00:00.000Z', 'mtime', parsePenalty('none')).penaltyPercent).toBe(0);
  });
});

describe('planning', () => {
  const prep = (student: string, contentHash: string): PreparedOk => ({ ok: true, source: { student, kind: 'dir', path: `/s/${student}` }, stagedDir: `/o/${student}`, files: ['a.yaml'], contentHash, notes: [] });
  const base = { labHash: 'L', seed: 1, graderVersion: 'g', backend: 'sim' };
  const entry = (student: string, contentHash: string, outcome: StateEntry['outcome']): StateEntry => ({ version: 1, student, key: gradeKey({ contentHash, ...base }), outcome });
  const report = { kind: 'report' as const, report: {} as never };

  it('reuses unchanged results, grades changed or new ones, retries infrastructure errors', () => {
    const previous = new Map<string, StateEntry>([
      ['same', entry('same', 'h1', report)],
      ['changed', entry('changed', 'old', report)],
      ['timedout', entry('timedout', 'h3', { kind: 'error', reason: 'timeout', message: 't', cacheable: false })],
      ['badyaml', entry('badyaml', 'h4', { kind: 'error', reason: 'submission', message: 'y', cacheable: true })],
    ]);
    const prepared = [prep('same', 'h1'), prep('changed', 'h2'), prep('timedout', 'h3'), prep('badyaml', 'h4'), prep('new', 'h5'), { ok: false as const, source: { student: 'broken', kind: 'zip' as const, path: '/s/broken.zip' }, message: 'bad' }];
    const plan = planBatch({ prepared, previous, force: false, ...base });
    expect(plan.reuse.map((r) => r.prepared.source.student)).toEqual(['same', 'badyaml']);
    expect(plan.grade.map((r) => r.prepared.source.student)).toEqual(['changed', 'timedout', 'new']);
    expect(plan.failed.map((f) => f.source.student)).toEqual(['broken']);
    expect(planBatch({ prepared, previous, force: true, ...base }).reuse).toEqual([]);
    expect(planBatch({ prepared, previous, force: false, ...base, seed: 2 }).reuse).toEqual([]);
    expect(planBatch({ prepared, previous, force: false, ...base, labHash: 'L2' }).reuse).toEqual([]);
  });
});

describe('grade changes', () => {
  const row = (student: string, finalScore: number, status: StudentRow['status'] = 'graded'): StudentRow => ({ student, fileKey: student, status, score: finalScore, maxScore: 6, finalScore });
  it('lists students whose grade changed, appeared or disappeared', () => {
    const last = toLastRun([row('a', 6), row('b', 3), row('c', 0, 'error')]);
    expect(gradeChanges(last, [row('a', 6), row('b', 4), row('c', 0), row('d', 1)])).toEqual([
      { student: 'b', before: '3/6', after: '4/6' },
      { student: 'c', before: 'error', after: '0/6' },
      { student: 'd', after: '1/6' },
    ]);
    expect(gradeChanges(last, [row('a', 6)])).toEqual([
      { student: 'b', before: '3/6' },
      { student: 'c', before: 'error' },
    ]);
    expect(gradeChanges(undefined, [row('a', 6)])).toEqual([]);
  });
});
