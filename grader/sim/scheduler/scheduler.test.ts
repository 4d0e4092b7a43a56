import { describe, expect, it } from 'vitest';
import { nginxDeploymentYaml, workloadCluster } from '../nodes/test-harness.ts';
import type { Pod } from '../api/types.ts';
import { cpuMillis, memoryBytes } from './quantity.ts';
import { fitErrorMessage } from './fit-error.ts';
import { naturalCompare } from './scoring.ts';

const pod = (name: string, extra = '') => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
${extra}
  containers: [{name: c, image: nginx}]
`;

function scheduledCond(p: Pod | undefined) {
  return p?.status?.conditions?.find((c) => c.type === 'PodScheduled');
}

describe('quantities', () => {
  it('parses CPU and memory as the apiserver does', () => {
    expect(cpuMillis('500m')).toBe(500);
    expect(cpuMillis('0.5')).toBe(500);
    expect(cpuMillis(2)).toBe(2000);
    expect(memoryBytes('128Mi')).toBe(128 * 2 ** 20);
    expect(memoryBytes('1Gi')).toBe(2 ** 30);
    expect(memoryBytes('1G')).toBe(1e9);
    expect(memoryBytes('1e3')).toBe(1000);
  });
});

describe('FailedScheduling wording', () => {
  it('counts reasons per node, sorted, with the preemption summary', () => {
    expect(fitErrorMessage(4, [
      { reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'], unresolvable: true },
      { reasons: ['Insufficient cpu'], unresolvable: false },
      { reasons: ['Insufficient cpu'], unresolvable: false },
      { reasons: ['Insufficient cpu'], unresolvable: false },
    ])).toBe('0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.');
    expect(fitErrorMessage(4, [], 'pod has unbound immediate PersistentVolumeClaims')).toBe('0/4 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.');
  });
  it('orders node names naturally', () => {
    expect(['kind-worker10', 'kind-worker2', 'kind-worker'].sort(naturalCompare)).toEqual(['kind-worker', 'kind-worker2', 'kind-worker10']);
  });
});

describe('scheduler', () => {
  it('never places ordinary pods on the tainted control plane, and spreads an owner across workers', () => {
    const c = workloadCluster();
    c.apply(nginxDeploymentYaml('web', 6));
    const nodes = c.pods().map((p) => p.spec.nodeName);
    expect(nodes).not.toContain('kind-control-plane');
    const counts = new Map<string, number>();
    for (const n of nodes) counts.set(n!, (counts.get(n!) ?? 0) + 1);
    expect([...counts.values()]).toEqual([2, 2, 2]);
  });

  it('reports Insufficient cpu with the real message and retries when room appears', () => {
    const c = workloadCluster();
    c.apply(pod('big', '  nodeSelector: {}\n  containers: [{name: c, image: nginx, resources: {requests: {cpu: "10"}}}]').replace(/\n  containers: \[\{name: c, image: nginx\}\]\n$/, '\n'));
    const p = c.get('Pod', 'default', 'big') as Pod;
    const cond = scheduledCond(p);
    expect(cond?.status).toBe('False');
    expect(cond?.reason).toBe('Unschedulable');
    expect(cond?.message).toBe('0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.');
    expect(c.events.for('Pod', 'default', 'big').map((e) => e.reason)).toContain('FailedScheduling');
    expect(p.spec.nodeName).toBeUndefined();
  });

  it('honours tolerations, nodeSelector and required node affinity', () => {
    const c = workloadCluster();
    c.apply(pod('cp', '  tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]\n  nodeSelector: {node-role.kubernetes.io/control-plane: ""}'));
    expect((c.get('Pod', 'default', 'cp') as Pod).spec.nodeName).toBe('kind-control-plane');
    c.apply(pod('w3', '  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [kind-worker3]}]}]}}}'));
    expect((c.get('Pod', 'default', 'w3') as Pod).spec.nodeName).toBe('kind-worker3');
    c.apply(pod('nowhere', '  nodeSelector: {disktype: ssd}'));
    expect(scheduledCond(c.get('Pod', 'default', 'nowhere') as Pod)?.message).toBe("0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.");
    // Labelling a node makes the pending pod schedulable: node updates requeue it.
    const n = structuredClone(c.get('Node', undefined, 'kind-worker2')!);
    n.metadata.labels = { ...n.metadata.labels, disktype: 'ssd' };
    c.api.update(n);
    c.settle();
    expect((c.get('Pod', 'default', 'nowhere') as Pod).spec.nodeName).toBe('kind-worker2');
  });

  it('fits one hostPort user per node (the minio StatefulSet case)', () => {
    const c = workloadCluster();
    c.apply(`
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: minio}
spec:
  replicas: 4
  podManagementPolicy: Parallel
  serviceName: minio
  selector: {matchLabels: {app: minio}}
  template:
    metadata: {labels: {app: minio}}
    spec:
      containers: [{name: minio, image: minio/minio, args: [server, /data], ports: [{containerPort: 9000, hostPort: 9000}]}]
`);
    c.advance(5);
    const pods = c.pods();
    expect(pods).toHaveLength(4);
    const placed = pods.filter((p) => p.spec.nodeName);
    expect(new Set(placed.map((p) => p.spec.nodeName)).size).toBe(3);
    const pending = pods.find((p) => !p.spec.nodeName)!;
    expect(scheduledCond(pending)?.message).toBe("0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't have free ports for the requested pod ports. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.");
  });

  it('keeps pods with required anti-affinity on different hostnames', () => {
    const c = workloadCluster({ workers: 2 });
    c.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: spread}
spec:
  replicas: 3
  selector: {matchLabels: {app: spread}}
  template:
    metadata: {labels: {app: spread}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: spread}}
            topologyKey: kubernetes.io/hostname
      containers: [{name: c, image: nginx}]
`);
    const pods = c.pods();
    const placed = pods.filter((p) => p.spec.nodeName);
    expect(placed.map((p) => p.spec.nodeName).sort()).toEqual(['kind-worker', 'kind-worker2']);
    expect(scheduledCond(pods.find((p) => !p.spec.nodeName))?.message).toContain("2 node(s) didn't match pod anti-affinity rules");
  });

  it('holds pods whose immediate-binding claim is unbound, and names a missing claim', () => {
    const c = workloadCluster();
    c.apply(pod('noclaim', '  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]'));
    expect(scheduledCond(c.get('Pod', 'default', 'noclaim') as Pod)?.message).toBe('0/4 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.');
    c.apply(`
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: k8s.io/minikube-hostpath
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {storageClassName: fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`);
    expect(scheduledCond(c.get('Pod', 'default', 'noclaim') as Pod)?.message).toBe('0/4 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.');
  });

  it('leaves pods for another scheduler alone', () => {
    const c = workloadCluster();
    c.apply(pod('other', '  schedulerName: my-scheduler'));
    const p = c.get('Pod', 'default', 'other') as Pod;
    expect(p.spec.nodeName).toBeUndefined();
    expect(scheduledCond(p)).toBeUndefined();
  });
});
