import { describe, expect, it } from 'vitest';
import { workloadCluster } from '../../nodes/test-harness.ts';

const ds = (tolerations = '', image = 'nginx:1.25') => `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
${tolerations}
      containers: [{name: a, image: "${image}"}]
`;

describe('DaemonSet', () => {
  it('runs one pod per worker, and on the control plane only when it tolerates the taint', () => {
    const c = workloadCluster();
    c.apply(ds());
    c.waitForRollout();
    expect(c.pods().map((p) => p.spec.nodeName).sort()).toEqual(['kind-worker', 'kind-worker2', 'kind-worker3']);
    expect(c.ops.rolloutStatus()[0]!.message).toBe('daemon set "agent" successfully rolled out');
    const d = workloadCluster();
    d.apply(ds('      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]'));
    d.waitForRollout();
    expect(d.pods().map((p) => p.spec.nodeName).sort()).toEqual(['kind-control-plane', 'kind-worker', 'kind-worker2', 'kind-worker3']);
    expect(d.pods()[0]!.spec.tolerations?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.tolerationSeconds === undefined)).toBe(true);
  });

  it('follows nodes: a new worker gets a pod; a lost node keeps its pod (tolerated), a deleted one loses it', () => {
    const c = workloadCluster();
    c.apply(ds());
    c.waitForRollout();
    expect(c.ops.act({ type: 'addNode' })).toBe('added node kind-worker4 (172.18.0.6, podCIDR 10.244.4.0/24)');
    c.waitForRollout();
    expect(c.pods().filter((p) => p.spec.nodeName === 'kind-worker4')).toHaveLength(1);
    c.ops.act({ type: 'killNode', node: 'kind-worker2' });
    c.advance(400);
    expect(c.pods().filter((p) => p.spec.nodeName === 'kind-worker2' && !p.metadata.deletionTimestamp)).toHaveLength(1);
    expect(c.get('DaemonSet', 'default', 'agent')!.status.desiredNumberScheduled).toBe(3);
  });

  it('rolls a new template out one node at a time', () => {
    const c = workloadCluster();
    c.apply(ds());
    c.waitForRollout();
    c.apply(ds('', 'nginx:1.26'));
    expect(c.pods().filter((p) => p.metadata.deletionTimestamp)).toHaveLength(1);
    c.waitForRollout();
    expect(c.pods().filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0]!.image)).toEqual(['nginx:1.26', 'nginx:1.26', 'nginx:1.26']);
  });
});
