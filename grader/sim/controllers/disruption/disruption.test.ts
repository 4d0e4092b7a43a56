import { describe, expect, it } from 'vitest';
import { nginxDeploymentYaml, workloadCluster } from '../../nodes/test-harness.ts';
import type { Pod } from '../../api/types.ts';
import { computePdb, scaledValue } from './status.ts';

const sts = (replicas: number) => `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: zk}
spec:
  replicas: ${replicas}
  serviceName: zk-hs
  selector: {matchLabels: {app: zk}}
  template:
    metadata: {labels: {app: zk}}
    spec: {containers: [{name: c, image: nginx}]}
`;
const pdb = (spec: string, name = 'zk-pdb') => `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: ${name}}
spec: ${spec}
`;

describe('disruption controller', () => {
  it('maxUnavailable 1 over a 3-replica StatefulSet: 3 healthy, 2 desired, 1 allowed (the zookeeper tutorial)', () => {
    const c = workloadCluster();
    c.apply(sts(3));
    c.apply(pdb('{maxUnavailable: 1, selector: {matchLabels: {app: zk}}}'));
    c.waitForRollout();
    const p = c.get('PodDisruptionBudget', 'default', 'zk-pdb')!;
    expect(p.status).toMatchObject({ observedGeneration: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 });
    expect(p.status!.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1 })]);
  });

  it('follows pods: a deleted pod drops currentHealthy and forbids disruptions until it is back', () => {
    const c = workloadCluster();
    c.apply(sts(2));
    c.apply(pdb('{minAvailable: 2, selector: {matchLabels: {app: zk}}}'));
    c.waitForRollout();
    expect(c.get('PodDisruptionBudget', 'default', 'zk-pdb')!.status).toMatchObject({ currentHealthy: 2, desiredHealthy: 2, expectedPods: 2, disruptionsAllowed: 0 });
    expect(c.get('PodDisruptionBudget', 'default', 'zk-pdb')!.status!.conditions[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
    c.apply(sts(3));
    c.waitForRollout();
    // minAvailable as an int: expectedPods is the number of matching pods, no controller needed.
    expect(c.get('PodDisruptionBudget', 'default', 'zk-pdb')!.status).toMatchObject({ currentHealthy: 3, expectedPods: 3, disruptionsAllowed: 1 });
    const flip = c.get('PodDisruptionBudget', 'default', 'zk-pdb')!.status!.conditions[0];
    expect(flip).toMatchObject({ status: 'True', reason: 'SufficientPods' });
  });

  it('percentages round up against the Deployment\'s replicas (through its ReplicaSet)', () => {
    const c = workloadCluster();
    c.apply(nginxDeploymentYaml('web', 5));
    c.apply(pdb('{minAvailable: "50%", selector: {matchLabels: {app: web}}}', 'web'));
    c.waitForRollout();
    expect(c.get('PodDisruptionBudget', 'default', 'web')!.status).toMatchObject({ currentHealthy: 5, desiredHealthy: 3, expectedPods: 5, disruptionsAllowed: 2 });
  });

  it('a PDB without matching pods records NoPods and allows nothing', () => {
    const c = workloadCluster();
    c.apply(pdb('{maxUnavailable: 1, selector: {matchLabels: {app: none}}}', 'empty'));
    c.settle();
    expect(c.get('PodDisruptionBudget', 'default', 'empty')!.status).toMatchObject({ currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 });
    expect(c.events.for('PodDisruptionBudget', 'default', 'empty').map((e) => e.reason)).toEqual(['NoPods']);
  });

  it('bare pods under maxUnavailable are unmanaged (warning, not counted); pods of a DaemonSet fail the sync', () => {
    const c = workloadCluster();
    c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: solo, labels: {app: solo}}
spec: {containers: [{name: c, image: nginx}]}
`);
    c.apply(pdb('{maxUnavailable: 1, selector: {matchLabels: {app: solo}}}', 'solo'));
    c.advance(5);
    expect(c.get('PodDisruptionBudget', 'default', 'solo')!.status).toMatchObject({ currentHealthy: 1, expectedPods: 0, disruptionsAllowed: 0 });
    expect(c.events.for('PodDisruptionBudget', 'default', 'solo').map((e) => e.reason)).toEqual(['UnmanagedPods']);

    c.apply(`
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: c, image: nginx}]}
`);
    c.apply(pdb('{maxUnavailable: 1, selector: {matchLabels: {app: agent}}}', 'agent'));
    c.waitForRollout();
    const st = c.get('PodDisruptionBudget', 'default', 'agent')!.status!;
    expect(st.disruptionsAllowed).toBe(0);
    expect(st.conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed' });
    expect(st.conditions[0].message).toMatch(/^found no controllers for pod "agent-/);
  });
});

describe('computePdb', () => {
  const ready = (name: string, ok = true, owner?: string): Pod => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: owner, uid: `uid-${owner}`, controller: true }] } : {}) },
    spec: { containers: [] },
    status: { conditions: [{ type: 'Ready', status: ok ? 'True' : 'False' }] },
  } as unknown as Pod);
  const find = () => ({ uid: 'uid-s', scale: 4 });
  const budget = (spec: object) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b', generation: 1 }, spec });

  it('maxUnavailable "25%" of 4 replicas rounds up to 1; unready pods are not healthy', () => {
    const out = computePdb(budget({ maxUnavailable: '25%' }), [ready('a', true, 's'), ready('b', true, 's'), ready('c', true, 's'), ready('d', false, 's')], find);
    expect(out).toEqual({ ok: true, unmanaged: [], counts: { currentHealthy: 3, desiredHealthy: 3, expectedPods: 4, disruptionsAllowed: 0 } });
  });

  it('expectedPods comes from the controller scale, not the pod count', () => {
    const out = computePdb(budget({ minAvailable: '50%' }), [ready('a', true, 's')], find);
    expect(out).toMatchObject({ ok: true, counts: { expectedPods: 4, desiredHealthy: 2, currentHealthy: 1, disruptionsAllowed: 0 } });
  });

  it('scaledValue rounds percentages up', () => {
    expect(scaledValue('34%', 3)).toBe(2);
    expect(scaledValue(2, 10)).toBe(2);
    expect(scaledValue('x', 10)).toBeUndefined();
  });
});
