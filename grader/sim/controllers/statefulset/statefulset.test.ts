import { describe, expect, it } from 'vitest';
import { podStatusWord, workloadCluster } from '../../nodes/test-harness.ts';
import type { Pod } from '../../api/types.ts';
import { planStatefulSet, type OrdinalPod } from './reconcile.ts';
import { persistentVolumeFiles } from '../volume/data.ts';

const sts = (replicas: number, extra = '', image = 'nginx:1.25', claims = true) => `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  replicas: ${replicas}
  serviceName: nginx
${extra}
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: "${image}", readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 5}, volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]}]
${claims ? `  volumeClaimTemplates:
  - metadata: {name: www}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}` : '      volumes: [{name: www, emptyDir: {}}]'}
`;

const names = (c: ReturnType<typeof workloadCluster>) => c.pods().map((p) => p.metadata.name);

describe('StatefulSet identity', () => {
  it('names pods <sts>-N with hostname and subdomain, and claims <claim>-<sts>-<N>', () => {
    const c = workloadCluster();
    c.apply(sts(2));
    c.waitForRollout();
    expect(names(c)).toEqual(['web-0', 'web-1']);
    const p = c.get('Pod', 'default', 'web-0') as Pod;
    expect(p.spec.hostname).toBe('web-0');
    expect(p.spec.subdomain).toBe('nginx');
    expect(p.metadata.labels).toMatchObject({ 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0' });
    expect(p.spec.volumes?.find((v) => v.name === 'www')?.persistentVolumeClaim?.claimName).toBe('www-web-0');
    const pvcs = c.store.list('PersistentVolumeClaim', 'default');
    expect(pvcs.map((x) => `${x.metadata.name}:${x.status?.phase}:${x.spec.storageClassName}`)).toEqual(['www-web-0:Bound:standard', 'www-web-1:Bound:standard']);
    // local-path volumes live on the node the first consumer landed on.
    const pv = c.get('PersistentVolume', undefined, pvcs[0]!.spec.volumeName)!;
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([p.spec.nodeName]);
    expect(c.ops.rolloutStatus()[0]!.message).toMatch(/^statefulset rolling update complete 2 pods at revision web-[4-9bcdf]+\.\.\.$/);
  });
});

describe('StatefulSet ordering', () => {
  it('OrderedReady: each pod is created only after the previous one is Running and Ready', () => {
    const c = workloadCluster();
    c.apply(sts(3));
    expect(names(c)).toEqual(['web-0']);
    c.advance(5); // web-0 runs at 1 s, ready at its first probe (6 s)
    expect(names(c)).toEqual(['web-0']);
    c.advance(1);
    expect(names(c)).toEqual(['web-0', 'web-1']);
    c.waitForRollout();
    expect(names(c)).toEqual(['web-0', 'web-1', 'web-2']);
  });

  it('scales down from the highest ordinal, one at a time, and keeps the claims', () => {
    const c = workloadCluster();
    c.apply(sts(3));
    c.waitForRollout();
    c.ops.act({ type: 'scale', kind: 'StatefulSet', namespace: 'default', name: 'web', replicas: 1 });
    c.settle();
    expect(c.pods().filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name)).toEqual(['web-2']);
    c.advance(5);
    expect(names(c)).toEqual(['web-0']);
    expect(c.store.list('PersistentVolumeClaim', 'default').map((x) => x.metadata.name)).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
  });

  it('Parallel creates every pod at once', () => {
    const c = workloadCluster();
    c.apply(sts(3, '  podManagementPolicy: Parallel'));
    expect(names(c)).toEqual(['web-0', 'web-1', 'web-2']);
  });

  it('rolling update replaces pods from the highest ordinal down', () => {
    const c = workloadCluster();
    c.apply(sts(3));
    c.waitForRollout();
    c.apply(sts(3, '', 'nginx:1.26'));
    const order: string[] = [];
    for (let i = 0; i < 120 && !c.ops.rolloutStatus()[0]!.ready; i++) {
      for (const p of c.pods()) if (p.spec.containers[0]!.image === 'nginx:1.26' && !order.includes(p.metadata.name)) order.push(p.metadata.name);
      c.advance(1);
    }
    for (const p of c.pods()) if (!order.includes(p.metadata.name)) order.push(p.metadata.name);
    expect(order).toEqual(['web-2', 'web-1', 'web-0']);
    const s = c.get('StatefulSet', 'default', 'web')!;
    expect(s.status.currentRevision).toBe(s.status.updateRevision);
  });

  it('pure plan: never recreates a name whose old pod is still terminating', () => {
    const pod = (ordinal: number, over: Partial<OrdinalPod> = {}): OrdinalPod => ({ ordinal, terminating: false, finished: false, runningAndReady: true, revision: 'r1', ...over });
    const input = { replicas: 3, parallel: true, rollingUpdate: true, partition: 0, currentRevision: 'r1', updateRevision: 'r1' };
    expect(planStatefulSet({ ...input, pods: new Map([[0, pod(0)], [1, pod(1, { terminating: true, runningAndReady: false })], [2, pod(2)]]) })).toEqual([]);
    expect(planStatefulSet({ ...input, pods: new Map([[0, pod(0)], [2, pod(2)]]) })).toEqual([{ type: 'create', ordinal: 1, revision: 'r1' }]);
  });
});

describe('StatefulSet claims and data', () => {
  it('a recreated pod gets the same claim back, with what was written on it', () => {
    const c = workloadCluster();
    c.apply(sts(1).replace('readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 5}, ', ''));
    c.waitForRollout();
    const pv = c.get('PersistentVolumeClaim', 'default', 'www-web-0')!.spec.volumeName;
    persistentVolumeFiles(c.ctx, pv).set('index.html', 'kept\n');
    c.ops.act({ type: 'deletePod', namespace: 'default', name: 'web-0' });
    c.waitForRollout();
    c.advance(2);
    expect(podStatusWord(c.get('Pod', 'default', 'web-0') as Pod)).toBe('Running');
    expect(c.get('PersistentVolumeClaim', 'default', 'www-web-0')!.spec.volumeName).toBe(pv);
    expect(persistentVolumeFiles(c.ctx, pv).get('index.html')).toBe('kept\n');
  });
});
