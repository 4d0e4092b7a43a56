import { describe, expect, it } from 'vitest';
import { workloadCluster } from '../../nodes/test-harness.ts';
import type { Pod } from '../../api/types.ts';

const claim = (name: string, spec: string, meta = '') => `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}${meta}}
spec: ${spec}
`;
const user = (name: string, claimName: string) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers: [{name: c, image: nginx, volumeMounts: [{name: d, mountPath: /usr/share/nginx/html}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: ${claimName}}}]
`;
const phase = (c: ReturnType<typeof workloadCluster>, n: string) => c.get('PersistentVolumeClaim', 'default', n)?.status?.phase;

describe('volumes on kind', () => {
  it('has the default class `standard` (local-path, WaitForFirstConsumer)', () => {
    const c = workloadCluster();
    const sc = c.get('StorageClass', undefined, 'standard')!;
    expect(sc.provisioner).toBe('rancher.io/local-path');
    expect(sc.volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class']).toBe('true');
  });

  it('binds a class-less claim only once a pod uses it, on that pod\'s node', () => {
    const c = workloadCluster();
    c.apply(claim('data', '{accessModes: [ReadWriteOnce], resources: {requests: {storage: 20Gi}}}'));
    c.advance(30);
    expect(phase(c, 'data')).toBe('Pending');
    expect(c.events.for('PersistentVolumeClaim', 'default', 'data').map((e) => e.reason)).toContain('WaitForFirstConsumer');
    c.apply(user('u', 'data'));
    c.advance(2);
    expect(phase(c, 'data')).toBe('Bound');
    const pvc = c.get('PersistentVolumeClaim', 'default', 'data')!;
    expect(pvc.status.capacity).toEqual({ storage: '20Gi' });
    const pv = c.get('PersistentVolume', undefined, pvc.spec.volumeName)!;
    expect(pv.metadata.name).toBe(`pvc-${pvc.metadata.uid}`);
    expect(pv.spec.claimRef.name).toBe('data');
    expect(pv.status.phase).toBe('Bound');
    const pod = c.get('Pod', 'default', 'u') as Pod;
    expect(pod.status?.phase).toBe('Running');
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([pod.spec.nodeName]);
  });

  it('leaves claims of unknown classes, or of provisioners kind does not run, Pending', () => {
    const c = workloadCluster();
    c.apply(claim('nosuch', '{storageClassName: fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}'));
    expect(c.events.for('PersistentVolumeClaim', 'default', 'nosuch').find((e) => e.reason === 'ProvisioningFailed')?.message).toBe('storageclass.storage.k8s.io "fast" not found');
    c.apply(`
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: k8s.io/minikube-hostpath
`);
    c.apply(claim('legacy', '{accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}', ', annotations: {volume.beta.kubernetes.io/storage-class: fast}'));
    c.advance(60);
    expect(phase(c, 'nosuch')).toBe('Pending');
    expect(phase(c, 'legacy')).toBe('Pending');
    expect(c.events.for('PersistentVolumeClaim', 'default', 'legacy').find((e) => e.reason === 'ExternalProvisioning')?.message).toContain("external provisioner 'k8s.io/minikube-hostpath'");
  });

  it('binds a pre-created PV by class, access modes and capacity (smallest that fits)', () => {
    const c = workloadCluster();
    const pv = (name: string, size: string, modes: string) => `
apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}}
spec: {storageClassName: manual, capacity: {storage: ${size}}, accessModes: [${modes}], hostPath: {path: /tmp/${name}}}
`;
    c.apply(pv('small', '1Gi', 'ReadWriteOnce') + '---' + pv('big', '10Gi', 'ReadWriteOnce') + '---' + pv('shared', '5Gi', 'ReadWriteMany'));
    c.apply(claim('want3', '{storageClassName: manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 3Gi}}}'));
    c.apply(claim('wantrwx', '{storageClassName: manual, accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}'));
    c.apply(claim('toolarge', '{storageClassName: manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 50Gi}}}'));
    expect(c.get('PersistentVolumeClaim', 'default', 'want3')!.spec.volumeName).toBe('big');
    expect(c.get('PersistentVolumeClaim', 'default', 'wantrwx')!.spec.volumeName).toBe('shared');
    expect(phase(c, 'toolarge')).toBe('Pending');
    expect(c.get('PersistentVolume', undefined, 'small')!.status.phase).toBe('Available');
  });

  it('deleting a claim deletes its provisioned PV (reclaimPolicy Delete) and releases a retained one', () => {
    const c = workloadCluster();
    c.apply(claim('d', '{accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}'));
    c.apply(user('u', 'd'));
    c.advance(2);
    const pvName = c.get('PersistentVolumeClaim', 'default', 'd')!.spec.volumeName;
    c.api.delete('Pod', 'default', 'u', { force: true, gracePeriodSeconds: 0 });
    c.api.delete('PersistentVolumeClaim', 'default', 'd');
    c.settle();
    expect(c.get('PersistentVolume', undefined, pvName)).toBeUndefined();
    c.apply(`
apiVersion: v1
kind: PersistentVolume
metadata: {name: keep}
spec: {storageClassName: manual, persistentVolumeReclaimPolicy: Retain, capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/keep}}
`);
    c.apply(claim('k', '{storageClassName: manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}'));
    expect(phase(c, 'k')).toBe('Bound');
    c.api.delete('PersistentVolumeClaim', 'default', 'k');
    c.settle();
    expect(c.get('PersistentVolume', undefined, 'keep')!.status.phase).toBe('Released');
  });
});

describe('retroactive default StorageClass assignment', () => {
  it('a claim created while no default class existed gets the new default, and users may set the class themselves', () => {
    const c = workloadCluster();
    c.api.delete('StorageClass', undefined, 'standard');
    c.apply(claim('late', '{accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}'));
    c.apply(claim('mine', '{accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}'));
    c.advance(5);
    expect(c.get('PersistentVolumeClaim', 'default', 'late')?.spec.storageClassName).toBeUndefined();
    expect(phase(c, 'late')).toBe('Pending');
    // A user may set the class on a claim that has none (validateStorageClassUpgradeFromNil) …
    const mine = structuredClone(c.get('PersistentVolumeClaim', 'default', 'mine')!);
    mine.spec.storageClassName = 'fast';
    expect(c.api.update(mine).spec.storageClassName).toBe('fast');
    // … but not change it once set.
    const again = structuredClone(c.get('PersistentVolumeClaim', 'default', 'mine')!);
    again.spec.storageClassName = 'slow';
    expect(() => c.api.update(again)).toThrow(/spec is immutable after creation/);
    c.apply(`
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete
`);
    c.advance(2);
    expect(c.get('PersistentVolumeClaim', 'default', 'late')?.spec.storageClassName).toBe('local');
    expect(c.get('PersistentVolumeClaim', 'default', 'mine')?.spec.storageClassName).toBe('fast');
    c.apply(user('u', 'late'));
    c.advance(3);
    expect(phase(c, 'late')).toBe('Bound');
    expect((c.get('Pod', 'default', 'u') as Pod).status?.phase).toBe('Running');
  });
});
