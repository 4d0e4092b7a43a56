import { describe, expect, it } from 'vitest';
import { podStatusWord, workloadCluster } from '../../nodes/test-harness.ts';
import type { Node, Pod } from '../../api/types.ts';
import { isPodReady } from '../../kubelet/conditions.ts';
import { listenersOf } from '../../kubelet/api.ts';
import { evictionTime } from './nodelifecycle.ts';

const manifests = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: redis, image: "redis:7.2"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: bare}
spec:
  nodeName: kind-worker2
  containers: [{name: c, image: busybox, command: [sleep, infinity]}]
`;

function setup() {
  const c = workloadCluster();
  c.apply(manifests);
  c.waitForRollout();
  c.advance(2);
  return c;
}
const node = (c: ReturnType<typeof workloadCluster>, n: string) => c.get('Node', undefined, n) as Node | undefined;
const ready = (n: Node | undefined) => n?.status.conditions.find((x) => x.type === 'Ready')?.status;
const onWorker2 = (c: ReturnType<typeof workloadCluster>) => c.pods().filter((p) => p.spec.nodeName === 'kind-worker2');

describe('node loss timeline (kind-worker2 stopped)', () => {
  it('NotReady at 40 s, evictions at +300 s, replacements elsewhere, StatefulSet pod stuck, bare pod gone with the node', () => {
    const c = setup();
    const web2 = onWorker2(c).find((p) => p.metadata.name.startsWith('web-'))!;
    const db2 = onWorker2(c).find((p) => p.metadata.name.startsWith('db-'))!;
    expect(web2 && db2).toBeTruthy();
    c.ops.act({ type: 'killNode', node: 'kind-worker2' });
    // The processes are gone at once even though the API still says Ready.
    expect(listenersOf(c.ctx, c.get('Pod', 'default', web2.metadata.name) as Pod)).toEqual([]);
    c.advance(39);
    expect(ready(node(c, 'kind-worker2'))).toBe('True');
    expect(onWorker2(c).every(isPodReady)).toBe(true);

    c.advance(1);
    const n = node(c, 'kind-worker2')!;
    expect(ready(n)).toBe('Unknown');
    expect(n.status.conditions.find((x) => x.type === 'Ready')).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(n.spec.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    expect(onWorker2(c).some(isPodReady)).toBe(false);
    expect(onWorker2(c).every((p) => !p.metadata.deletionTimestamp)).toBe(true);

    c.advance(299);
    expect(onWorker2(c).every((p) => !p.metadata.deletionTimestamp)).toBe(true);
    c.advance(1);
    expect(onWorker2(c).map(podStatusWord)).toEqual(['Terminating', 'Terminating', 'Terminating']);
    expect(c.events.for('Pod', 'default', web2.metadata.name).some((e) => e.reason === 'TaintManagerEviction')).toBe(true);

    c.waitForRollout(60);
    const webs = c.pods().filter((p) => p.metadata.name.startsWith('web-') && !p.metadata.deletionTimestamp);
    expect(webs).toHaveLength(3);
    const replacement = webs.find((p) => p.metadata.creationTimestamp! > web2.metadata.creationTimestamp!)!;
    expect(replacement.metadata.name).not.toBe(web2.metadata.name);
    expect(replacement.spec.nodeName).not.toBe('kind-worker2');
    expect(replacement.status?.podIP).not.toBe(web2.status?.podIP);
    expect(isPodReady(replacement)).toBe(true);

    // The StatefulSet will not make a second db-N while the old object exists.
    c.advance(600);
    expect(podStatusWord(c.get('Pod', 'default', db2.metadata.name) as Pod)).toBe('Terminating');
    expect(c.get('Pod', 'default', db2.metadata.name)?.metadata.uid).toBe(db2.metadata.uid);
    expect(c.ops.rolloutStatus().find((w) => w.ref.name === 'db')?.ready).toBe(false);

    c.ops.act({ type: 'deletePod', namespace: 'default', name: db2.metadata.name, force: true });
    c.waitForRollout(60);
    const back = c.get('Pod', 'default', db2.metadata.name) as Pod;
    expect(back.metadata.uid).not.toBe(db2.metadata.uid);
    expect(back.spec.nodeName).not.toBe('kind-worker2');
    expect(isPodReady(back)).toBe(true);

    // Deleting the Node object: pod GC removes what was bound to it after its quarantine.
    c.ops.act({ type: 'deleteNode', node: 'kind-worker2' });
    c.advance(39);
    expect(c.get('Pod', 'default', 'bare')).toBeDefined();
    c.advance(1);
    expect(c.get('Pod', 'default', 'bare')).toBeUndefined();
    expect(c.get('Pod', 'default', web2.metadata.name)).toBeUndefined();
    c.advance(600);
    expect(c.get('Pod', 'default', 'bare')).toBeUndefined();
  });

  it('a restored node clears its taints; its evicted pods finish terminating and its others restart', () => {
    const c = setup();
    c.ops.act({ type: 'killNode', node: 'kind-worker2' });
    c.advance(60);
    expect(ready(node(c, 'kind-worker2'))).toBe('Unknown');
    c.ops.act({ type: 'restoreNode', node: 'kind-worker2' });
    c.settle();
    expect(ready(node(c, 'kind-worker2'))).toBe('True');
    expect(node(c, 'kind-worker2')!.spec.taints).toBeUndefined();
    c.advance(2);
    const pods = onWorker2(c);
    expect(pods.every(isPodReady)).toBe(true);
    expect(pods.every((p) => p.status!.containerStatuses![0]!.restartCount === 1)).toBe(true);
    // Nobody was evicted: the node came back before the 300 s toleration ran out.
    expect(c.pods().filter((p) => p.metadata.name.startsWith('web-'))).toHaveLength(3);
  });

  it('evictionTime honours tolerationSeconds, none, and unbounded tolerations', () => {
    const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2024-01-01T00:00:00Z' };
    const t0 = Date.parse(taint.timeAdded);
    const pod = (tolerations: unknown[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [], tolerations } }) as unknown as Pod;
    expect(evictionTime(pod([{ key: taint.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]), [taint], t0)).toBe(t0 + 30_000);
    expect(evictionTime(pod([]), [taint], t0)).toBe('now');
    expect(evictionTime(pod([{ operator: 'Exists' }]), [taint], t0)).toBeUndefined();
  });
});
