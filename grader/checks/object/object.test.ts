import { describe, expect, it } from 'vitest';
import { runOne } from '../fixtures/run-check.ts';

describe('object check', () => {
  it('passes when the named object has the expected fields (lists in any order)', async () => {
    const r = await runOne({ type: 'object', target: { kind: 'Service', name: 'web' }, match: { spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }] } }, points: 2 });
    expect(r.status).toBe('pass');
    expect(r.points).toBe(2);
    expect(r.hint).toBeUndefined();
  });
  it('fails with the field path and both values when a field differs', async () => {
    const r = await runOne({ type: 'object', target: { kind: 'Service', name: 'web' }, match: { spec: { ports: [{ port: 80, targetPort: 9090 }] } } });
    expect(r.status).toBe('fail');
    expect(r.points).toBe(0);
    expect(r.message).toBe('Service default/web has spec.ports[0].targetPort = 8080, expected 9090');
    expect(r.evidence[0]).toMatchObject({ path: 'Service default/web spec.ports[0].targetPort', expected: 9090, observed: 8080 });
    expect(r.hint).toBe('Think about it.');
  });
  it('accepts dotted keys in match', async () => {
    const ok = await runOne({ type: 'object', target: { kind: 'Service', name: 'web' }, match: { 'spec.type': 'NodePort' } });
    expect(ok.status).toBe('pass');
    const bad = await runOne({ type: 'object', target: { kind: 'Service', name: 'web' }, match: { 'spec.type': 'LoadBalancer' } });
    expect(bad.message).toContain('spec.type = NodePort, expected LoadBalancer');
  });
  it('says which objects exist when the named one is missing, and where a same-named one lives', async () => {
    const r = await runOne({ type: 'object', target: { kind: 'Service', name: 'db' } });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('Service default/db does not exist: the Services there are: web; a Service named db exists in namespace data');
  });
  it('says that kubectl apply rejected a missing object, with file, line and the apiserver\'s words', async () => {
    const message = 'The Service "db" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767';
    const rejected = [
      { file: 'other.yaml', line: 1, ref: { kind: 'Service', namespace: 'prod', name: 'db' }, message: 'elsewhere' },
      { file: 'db.yaml', line: 12, ref: { kind: 'Service', name: 'db' }, message },
    ];
    const r = await runOne({ type: 'object', target: { kind: 'Service', name: 'db' } }, { rejected });
    expect(r.status).toBe('fail');
    expect(r.message).toBe(`Service default/db does not exist: kubectl apply rejected it (db.yaml:12): ${message}`);
    expect(r.evidence[0]).toMatchObject({ path: 'Service default/db', expected: 'present', observed: `rejected by the apiserver: ${message}` });
    // A rejection of another object changes nothing.
    const other = await runOne({ type: 'object', target: { kind: 'Service', name: 'db' } }, { rejected: rejected.slice(0, 1) });
    expect(other.message).toBe('Service default/db does not exist: the Services there are: web; a Service named db exists in namespace data');
  });
  it('checks absence', async () => {
    expect((await runOne({ type: 'object', target: { kind: 'Service', name: 'nope' }, absent: true })).status).toBe('pass');
    const r = await runOne({ type: 'object', target: { kind: 'Service', name: 'web' }, absent: true });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('Service default/web exists, but it should not');
  });
  it('counts objects by selector and matches each of them', async () => {
    const ok = await runOne({ type: 'object', select: { kind: 'Pod', selector: { app: 'web' } }, count: { min: 3, max: 3 } });
    expect(ok.status).toBe('pass');
    expect(ok.message).toContain('found 3 Pods with app=web in namespace default (web-a, web-b, web-c)');
    const few = await runOne({ type: 'object', select: { kind: 'Pod', selector: { app: 'web' } }, count: { min: 4 } });
    expect(few.message).toContain('expected at least 4');
    const many = await runOne({ type: 'object', select: { kind: 'Pod', selector: { app: 'web' } }, count: { max: 2 } });
    expect(many.message).toContain('expected at most 2');
    // Evidence states the bound in words, not as the lab file's object.
    expect(ok.evidence[0]).toMatchObject({ path: 'Pods with app=web in namespace default', expected: 'exactly 3', observed: ['web-a', 'web-b', 'web-c'] });
    expect(few.evidence[0]!.expected).toBe('at least 4');
    expect(many.evidence[0]!.expected).toBe('at most 2');
    const between = await runOne({ type: 'object', select: { kind: 'Pod', selector: { app: 'web' } }, count: { min: 2, max: 4 } });
    expect(between.evidence[0]!.expected).toBe('between 2 and 4');
    const none = await runOne({ type: 'object', select: { kind: 'Pod', selector: { app: 'nothing' } }, absent: true });
    expect(none).toMatchObject({ status: 'pass' });
    expect(none.evidence[0]!.expected).toBe('none');
    const field = await runOne({ type: 'object', select: { kind: 'Pod', selector: { app: 'web' } }, match: { metadata: { labels: { track: 'stable' } } } });
    expect(field.status).toBe('fail');
    expect(field.message).toBe('Pod default/web-c has metadata.labels.track = canary, expected stable');
  });
  it('treats cluster-scoped kinds without a namespace', async () => {
    const r = await runOne({ type: 'object', target: { kind: 'Node', name: 'kind-worker' } });
    expect(r.status).toBe('pass');
    expect(r.message).toBe('Node kind-worker exists');
  });
});

describe('object check list messages', () => {
  it('says which list entry is missing and how many more differences there are', async () => {
    const r = await runOne({ type: 'object', select: { kind: 'EndpointSlice', selector: { 'kubernetes.io/service-name': 'web' } }, match: { ports: [{ port: 80 }], endpoints: [{ conditions: { ready: true } }] } });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('EndpointSlice default/web-abc has no ports (expected {"port":80})');
    const objects = (await import('../fixtures/fake-backend.ts')).webApp();
    const slice = objects.find((o) => o.kind === 'EndpointSlice')!;
    slice.ports = [];
    slice.endpoints = [];
    const r2 = await runOne({ type: 'object', select: { kind: 'EndpointSlice', selector: { 'kubernetes.io/service-name': 'web' } }, match: { ports: [{ port: 80 }], endpoints: [{ conditions: { ready: true } }] } }, { objects });
    expect(r2.message).toBe('EndpointSlice default/web-abc has no ports entry matching {"port":80} (and 1 more difference)');
  });
});

describe('object check wording of kinds', () => {
  it('puts kinds in the plural the English way and agrees with the count', async () => {
    const none = await runOne({ type: 'object', select: { kind: 'Ingress' } });
    expect(none.message).toBe('found 0 Ingresses in namespace default, expected at least 1');
    const one = await runOne({ type: 'object', select: { kind: 'Pod', selector: { app: 'web', track: 'canary' } }, count: { min: 3 } });
    expect(one.message).toBe('found 1 Pod with app=web,track=canary in namespace default (web-c), expected at least 3');
    expect(one.evidence[0]!.path).toBe('Pods with app=web,track=canary in namespace default');
    const policy = await runOne({ type: 'object', target: { kind: 'NetworkPolicy', name: 'deny' } });
    expect(policy.message).toBe('NetworkPolicy default/deny does not exist: there is no NetworkPolicy there at all');
  });
});

describe('kindPlural', () => {
  it('follows the resource names kubectl uses', async () => {
    const { kindPlural } = await import('../util/refs.ts');
    expect(['Ingress', 'NetworkPolicy', 'Endpoints', 'Service', 'IngressClass'].map((k) => kindPlural(k))).toEqual(['Ingresses', 'NetworkPolicies', 'Endpoints', 'Services', 'IngressClasses']);
    expect(kindPlural('Pod', 1)).toBe('Pod');
  });
});

describe('pod status in object-check messages', () => {
  it('says why a pod is not running, as kubectl get pods would', async () => {
    const { podStatusNote } = await import('./object.ts');
    const pod = (status: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] }, status });
    expect(podStatusNote(pod({ phase: 'Pending', containerStatuses: [{ name: 'web', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:latset"' } } }] })))
      .toBe('; container web is waiting: ImagePullBackOff (Back-off pulling image "nginx:latset")');
    expect(podStatusNote(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', message: '0/4 nodes are available' }] })))
      .toBe('; the pod is not scheduled: 0/4 nodes are available');
    expect(podStatusNote(pod({ phase: 'Running', containerStatuses: [{ name: 'web', state: { running: {} } }] }))).toBe('');
    expect(podStatusNote({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } })).toBe('');
  });
});
