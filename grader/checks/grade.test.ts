import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeSubmission, redactHidden, stableReportJson } from './grade.ts';
import { FakeBackend, docs, makeLab, webApp } from './fixtures/fake-backend.ts';
import type { KubeObject } from '../sim/api/types.ts';

const objectsOf = (kinds: string[]) => webApp().filter((o) => kinds.includes(o.kind));

function labWithSetup(checks: unknown[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-grade-'));
  mkdirSync(path.join(dir, 'setup'));
  writeFileSync(path.join(dir, 'setup', 'client.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-setup\n');
  return makeLab({ setup: ['setup'], checks }, dir);
}

const checks = [
  { id: 'svc', title: 'Service web exists', hint: 'Create a Service named web.', type: 'object', target: { kind: 'Service', name: 'web' }, points: 2 },
  { id: 'setup-first', title: 'setup applied', hint: 'n/a', type: 'object', target: { kind: 'ConfigMap', name: 'from-setup' } },
  { id: 'http', title: 'web answers', hint: 'Select the pods.', type: 'http', request: { url: 'http://web/' }, expect: { status: 200 }, hidden: true },
  {
    id: 'pods-gone', title: 'scenario deletes pods', hint: 'n/a', type: 'scenario',
    steps: [{ do: { deletePod: { selector: { app: 'web' } } } }, { assert: { object: { select: { kind: 'Pod', selector: { app: 'web' } }, count: { max: 0 } } } }],
  },
  { id: 'after', title: 'pods still there for later checks', hint: 'n/a', type: 'object', select: { kind: 'Pod', selector: { app: 'web' } }, count: { min: 3 } },
];

function factory(created: FakeBackend[], initial: KubeObject[] = []) {
  return () => {
    const b = new FakeBackend(initial);
    created.push(b);
    return b;
  };
}

describe('gradeSubmission', () => {
  it('applies setup and submission, runs checks in order, and isolates scenarios on fresh backends', async () => {
    const created: FakeBackend[] = [];
    const lab = labWithSetup(checks);
    const report = await gradeSubmission({ lab, submission: docs(webApp()), backendFactory: factory(created), seed: 7 });
    expect(report.lab).toEqual({ id: 99, slug: 'test-lab', title: 'Test lab' });
    expect(report.seed).toBe(7);
    expect(report.backend).toBe('sim');
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([['svc', 'pass'], ['setup-first', 'pass'], ['http', 'pass'], ['pods-gone', 'pass'], ['after', 'pass']]);
    expect(report.score).toBe(6);
    expect(report.maxScore).toBe(6);
    expect(report.apply).toEqual({ applied: webApp().length, errors: [], warnings: [] });
    // One shared backend plus one for the scenario; both stopped.
    expect(created).toHaveLength(2);
    expect(created.every((b) => b.started && b.stopped)).toBe(true);
    expect(report.checks[2]!.hidden).toBe(true);
  });

  it('reports apply errors as the backend prints them, and scores failures with hints', async () => {
    const objs = webApp().filter((o) => !(o.kind === 'Service' && o.metadata.name === 'web'));
    objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', annotations: { 'fake/reject': 'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767' } }, spec: {} });
    const report = await gradeSubmission({ lab: labWithSetup(checks), submission: docs(objs), backendFactory: factory([]) });
    expect(report.apply.errors).toEqual([{ file: 'app.yaml', line: 1 + (objs.length - 1) * 10, message: expect.stringContaining('The Service "web" is invalid') }]);
    const svc = report.checks.find((c) => c.id === 'svc')!;
    expect(svc.status).toBe('fail');
    expect(svc.hint).toBe('Create a Service named web.');
    expect(report.score).toBe(3);
    expect(report.maxScore).toBe(6);
  });

  it('turns a check that throws into status error without stopping the others', async () => {
    const lab = makeLab({ checks: [
      { id: 'bad', title: 'bad placeholder', hint: 'h', type: 'http', request: { url: 'http://{{bogus:x}}/' }, expect: { status: 200 } },
      { id: 'good', title: 'good', hint: 'h', type: 'object', target: { kind: 'Service', name: 'web' } },
    ] });
    const report = await gradeSubmission({ lab, submission: docs(webApp()), backendFactory: factory([]) });
    expect(report.checks[0]).toMatchObject({ status: 'error', points: 0, message: 'the check could not run: unknown placeholder {{bogus}}: use one of nodeIP, nodePort, loadBalancerIP, clusterIP, ingressIP' });
    expect(report.checks[1]!.status).toBe('pass');
  });

  it('is deterministic apart from durationMs', async () => {
    const lab = labWithSetup(checks);
    const a = await gradeSubmission({ lab, submission: docs(objectsOf(['Pod', 'Service', 'EndpointSlice', 'Node'])), backendFactory: factory([]), seed: 3 });
    const b = await gradeSubmission({ lab, submission: docs(objectsOf(['Pod', 'Service', 'EndpointSlice', 'Node'])), backendFactory: factory([]), seed: 3 });
    expect(stableReportJson(a)).toBe(stableReportJson(b));
    expect(JSON.parse(stableReportJson(a)).durationMs).toBe(0);
  });

  it('redacts hidden checks for students, keeping status and points', async () => {
    const report = await gradeSubmission({ lab: labWithSetup(checks), submission: docs(webApp()), backendFactory: factory([]) });
    const red = redactHidden(report);
    const hidden = red.checks.filter((c) => c.hidden);
    expect(hidden).toEqual([{ id: 'hidden-1', title: 'hidden check', status: 'pass', points: 1, maxPoints: 1, hidden: true, message: 'hidden check', evidence: [] }]);
    expect(JSON.stringify(red)).not.toContain('web answers');
  });

  it('leaves skipped checks out of the maximum', async () => {
    const lab = makeLab({ checks: [
      { id: 'svc', title: 't', hint: 'h', type: 'object', target: { kind: 'Service', name: 'web' } },
      { id: 'long', title: 't', hint: 'h', type: 'scenario', kind: { skip: 'too long for kind' }, points: 3, steps: [{ do: { advance: '6m' } }] },
    ] });
    const report = await gradeSubmission({ lab, submission: docs(webApp()), backend: 'kind', backendFactory: () => new FakeBackend([], {}, 'kind') });
    expect(report.checks[1]!.status).toBe('skipped');
    expect(report.maxScore).toBe(1);
    expect(report.score).toBe(1);
  });
});

describe('loadLabFiles', () => {
  it('reads a lab file once per loaded lab, and again after a failure', async () => {
    const { loadLabFiles } = await import('./grade.ts');
    const lab = labWithSetup(checks.slice(0, 1));
    const first = await loadLabFiles(lab, 'setup');
    expect(first.map((d) => d.object.metadata?.name)).toEqual(['from-setup']);
    // Changing the file does not change what this lab applies: it was read for this lab already.
    writeFileSync(path.join(lab.dir, 'setup', 'client.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: changed\n');
    expect(await loadLabFiles(lab, 'setup')).toBe(first);
    // A lab loaded again (a new Lab object) reads the files again.
    const again = { ...lab };
    expect((await loadLabFiles(again, 'setup')).map((d) => d.object.metadata?.name)).toEqual(['changed']);
    // A missing file fails each time rather than once for good.
    await expect(loadLabFiles(lab, 'missing')).rejects.toThrow(/missing/);
    mkdirSync(path.join(lab.dir, 'missing'));
    writeFileSync(path.join(lab.dir, 'missing', 'x.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n');
    expect((await loadLabFiles(lab, 'missing')).map((d) => d.object.metadata?.name)).toEqual(['late']);
  });
});
