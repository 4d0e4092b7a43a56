import { describe, expect, it } from 'vitest';
import { workloadCluster } from './nodes/test-harness.ts';
import type { KubeObject } from './api/types.ts';

const app = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: m, image: "mysql:8.0", env: [{name: MYSQL_ALLOW_EMPTY_PASSWORD, value: "1"}]}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;

function dump(c: ReturnType<typeof workloadCluster>): string {
  const out: KubeObject[] = [];
  for (const k of c.store.kinds()) out.push(...c.store.list(k));
  return JSON.stringify({ objects: out, events: c.events.events });
}

function scenario(seed: number) {
  const c = workloadCluster({ seed });
  c.apply(app);
  c.waitForRollout();
  c.ops.act({ type: 'killNode', node: 'kind-worker' });
  c.advance(400);
  c.ops.act({ type: 'setImage', kind: 'Deployment', namespace: 'default', name: 'web', container: 'c', image: 'nginx:1.27' });
  c.waitForRollout();
  return dump(c);
}

describe('installWorkloads', () => {
  it('creates the kind topology: control plane plus workers, addresses and pod CIDRs in order', () => {
    const c = workloadCluster({ workers: 2 });
    const nodes = c.store.list('Node');
    expect(nodes.map((n) => [n.metadata.name, n.status.addresses[0].address, n.spec.podCIDR])).toEqual([
      ['kind-control-plane', '172.18.0.2', '10.244.0.0/24'],
      ['kind-worker', '172.18.0.3', '10.244.1.0/24'],
      ['kind-worker2', '172.18.0.4', '10.244.2.0/24'],
    ]);
    expect(nodes[0]!.metadata.labels).toMatchObject({ 'node-role.kubernetes.io/control-plane': '', 'ingress-ready': 'true', 'kubernetes.io/hostname': 'kind-control-plane', 'kubernetes.io/os': 'linux' });
    expect(nodes[1]!.status.allocatable).toMatchObject({ pods: '110' });
    // A cluster without workers schedules on the control plane (kind removes the taint).
    const solo = workloadCluster({ workers: 0 });
    expect(solo.store.list('Node')[0]!.spec.taints).toBeUndefined();
  });

  it('is deterministic: the same seed gives the same store and events; another seed other pod names', () => {
    const a = scenario(7);
    expect(scenario(7)).toBe(a);
    expect(scenario(8)).not.toBe(a);
  });

  it('reports unknown objects in actions like kubectl', () => {
    const c = workloadCluster();
    expect(() => c.ops.act({ type: 'killNode', node: 'kind-worker9' })).toThrow('Error from server (NotFound): nodes "kind-worker9" not found');
    expect(() => c.ops.act({ type: 'scale', kind: 'Deployment', namespace: 'default', name: 'nope', replicas: 1 })).toThrow('deployments.apps "nope" not found');
    c.apply(app);
    expect(() => c.ops.act({ type: 'setImage', kind: 'Deployment', namespace: 'default', name: 'web', container: 'x', image: 'nginx' })).toThrow('unable to find container named "x"');
  });

  it('scales to 100 nodes and 5,000 pods across Deployments', () => {
    const c = workloadCluster({ workers: 100 });
    let y = '';
    for (let i = 0; i < 50; i++) {
      y += `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app${i}}
spec:
  replicas: 100
  selector: {matchLabels: {app: app${i}}}
  template:
    metadata: {labels: {app: app${i}}}
    spec: {containers: [{name: c, image: nginx, resources: {requests: {cpu: 10m, memory: 16Mi}}}]}
`;
    }
    c.apply(y);
    const status = c.waitForRollout();
    expect(status.every((w) => w.ready)).toBe(true);
    const pods = c.pods();
    expect(pods).toHaveLength(5000);
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
    expect(perNode.has('kind-control-plane')).toBe(false);
    expect(perNode.size).toBe(100);
    expect(Math.max(...perNode.values())).toBe(50);
    expect(new Set(pods.map((p) => p.status?.podIP)).size).toBe(5000);
  }, 60_000);
});
