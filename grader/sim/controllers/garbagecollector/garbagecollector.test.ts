import { describe, expect, it } from 'vitest';
import { nginxDeploymentYaml, workloadCluster } from '../../nodes/test-harness.ts';

describe('garbage collector', () => {
  it('deleting a Deployment removes its ReplicaSets and then their pods', () => {
    const c = workloadCluster();
    c.apply(nginxDeploymentYaml('web', 2));
    c.waitForRollout();
    c.api.delete('Deployment', 'default', 'web');
    c.settle();
    expect(c.store.list('ReplicaSet', 'default')).toHaveLength(0);
    expect(c.pods().every((p) => p.metadata.deletionTimestamp)).toBe(true);
    c.advance(2);
    expect(c.pods()).toHaveLength(0);
  });

  it('ReplicationController (map selector defaulted from the template) keeps its replicas and adopts orphans', () => {
    const c = workloadCluster();
    c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: stray, labels: {name: web}}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: web-controller}
spec:
  replicas: 2
  template:
    metadata: {labels: {name: web}}
    spec: {containers: [{name: c, image: nginx}]}
`);
    c.advance(2);
    const pods = c.pods();
    expect(pods).toHaveLength(2);
    expect(c.get('Pod', 'default', 'stray')?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicationController', name: 'web-controller' });
    expect(pods.find((p) => p.metadata.name !== 'stray')!.metadata.name).toMatch(/^web-controller-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
