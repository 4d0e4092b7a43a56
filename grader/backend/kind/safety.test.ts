import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWED_KINDS, checkSafety, submissionQuota } from './safety.ts';
import type { LoadedDocument } from '../../manifests/types.ts';

const doc = (object: any, line = 1): LoadedDocument => ({ object, file: 'sub/app.yaml', line });
const policy = { allowedKinds: DEFAULT_ALLOWED_KINDS, nodePorts: { min: 30080, max: 30089 } };
const deploy = (podSpec: any) => doc({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: podSpec } } });

describe('checkSafety', () => {
  it('accepts an ordinary Deployment and Service', () => {
    expect(checkSafety([
      deploy({ containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] }),
      doc({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } }),
    ], policy)).toEqual([]);
  });

  it.each([
    ['privileged', { containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] }, /privileged containers are not allowed/],
    ['hostPath', { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'root', hostPath: { path: '/' } }] }, /hostPath volumes are not allowed/],
    ['hostNetwork', { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] }, /hostNetwork/],
    ['hostPort', { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 80 }] }] }, /hostPort 80 is not allowed/],
    ['init container privileged', { initContainers: [{ name: 'i', image: 'x', securityContext: { privileged: true } }], containers: [{ name: 'c', image: 'x' }] }, /container "i": privileged/],
  ])('refuses %s pods', (_name, podSpec, reason) => {
    const r = checkSafety([deploy(podSpec)], policy);
    expect(r).toHaveLength(1);
    expect(r[0]!.object).toBe('Deployment/web');
    expect(r[0]!.reason).toMatch(reason);
  });

  it('refuses NodePorts outside the allotment and kinds the lab does not allow', () => {
    const r = checkSafety([
      doc({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] } }, 3),
      doc({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'admin' } }, 9),
    ], policy);
    expect(r.map((x) => [x.line, x.reason])).toEqual([
      [3, expect.stringMatching(/nodePort 31000 is outside/)],
      [9, expect.stringMatching(/kind ClusterRoleBinding is not allowed/)],
    ]);
  });

  it('bounds a submission with a ResourceQuota', () => {
    const q = submissionQuota('kubelab-alice');
    expect(q.metadata.namespace).toBe('kubelab-alice');
    expect(Number(q.spec.hard.pods)).toBeGreaterThan(0);
  });
});
