import { describe, expect, it } from 'vitest';
import { workloadCluster } from '../../nodes/test-harness.ts';
import type { KubeObject, Pod } from '../../api/types.ts';
import { isPodReady } from '../../kubelet/conditions.ts';

const deploy = (replicas: number, image: string, strategy = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
${strategy}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "${image}", readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}}]
`;

const rsOf = (c: ReturnType<typeof workloadCluster>) => c.store.list('ReplicaSet', 'default');
const hashLike = /^[4-9bcdf]{1,10}$/;

describe('Deployment naming', () => {
  it('creates <deploy>-<pod-template-hash> and pods <rs>-<5 safe chars>', () => {
    const c = workloadCluster();
    c.apply(deploy(2, 'nginx:1.25'));
    const [rs] = rsOf(c);
    const hash = rs!.metadata.labels!['pod-template-hash']!;
    expect(hash).toMatch(hashLike);
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(c.get('Deployment', 'default', 'web')?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    for (const p of c.pods()) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata.labels?.['pod-template-hash']).toBe(hash);
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: rs!.metadata.name, controller: true });
    }
  });
  it('the hash depends only on the template: same template, same name; new template, new ReplicaSet', () => {
    const a = workloadCluster({ seed: 1 });
    const b = workloadCluster({ seed: 99 });
    a.apply(deploy(1, 'nginx:1.25'));
    b.apply(deploy(1, 'nginx:1.25'));
    expect(rsOf(a)[0]!.metadata.name).toBe(rsOf(b)[0]!.metadata.name);
    b.apply(deploy(1, 'nginx:1.26'));
    expect(rsOf(b).map((r) => r.metadata.name)).toContain(rsOf(a)[0]!.metadata.name);
    expect(rsOf(b)).toHaveLength(2);
  });
});

describe('RollingUpdate', () => {
  function watchRollout(strategy: string, replicas: number) {
    const c = workloadCluster();
    c.apply(deploy(replicas, 'nginx:1.25', strategy));
    c.waitForRollout();
    c.apply(deploy(replicas, 'nginx:1.26', strategy));
    const seen = { maxTotal: 0, minAvailable: Infinity, steps: 0 };
    for (let i = 0; i < 200; i++) {
      const live = c.pods().filter((p) => !p.metadata.deletionTimestamp);
      seen.maxTotal = Math.max(seen.maxTotal, live.length);
      seen.minAvailable = Math.min(seen.minAvailable, live.filter(isPodReady).length);
      const status = c.ops.rolloutStatus()[0]!;
      if (status.ready) break;
      c.advance(1);
      seen.steps++;
    }
    return { c, seen };
  }

  it('defaults (25%/25% of 4 → surge 1, unavailable 1): at most 5 pods, at least 3 ready', () => {
    const { c, seen } = watchRollout('', 4);
    expect(seen.maxTotal).toBe(5);
    expect(seen.minAvailable).toBe(3);
    const pods = c.pods().filter((p) => !p.metadata.deletionTimestamp);
    expect(pods.every((p) => p.spec.containers[0]!.image === 'nginx:1.26')).toBe(true);
    expect(c.ops.rolloutStatus()[0]!.message).toBe('deployment "web" successfully rolled out');
    const d = c.get('Deployment', 'default', 'web')!;
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4 });
    expect(d.status.conditions.map((x: { type: string; reason: string }) => `${x.type}:${x.reason}`)).toEqual(['Available:MinimumReplicasAvailable', 'Progressing:NewReplicaSetAvailable']);
    const old = rsOf(c).find((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1');
    expect(old?.spec.replicas).toBe(0);
  });

  it('maxSurge 0 / maxUnavailable 1 never exceeds replicas; maxSurge 2 / maxUnavailable 0 never drops below', () => {
    const a = watchRollout('  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}', 3);
    expect(a.seen.maxTotal).toBe(3);
    expect(a.seen.minAvailable).toBe(2);
    const b = watchRollout('  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 2, maxUnavailable: 0}}', 3);
    expect(b.seen.maxTotal).toBe(5);
    expect(b.seen.minAvailable).toBe(3);
  });

  it('kubectl rollout status words while waiting', () => {
    const c = workloadCluster();
    c.apply(deploy(3, 'nginx:1.25'));
    expect(c.ops.rolloutStatus()[0]!.message).toBe('Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...');
    c.waitForRollout();
    c.apply(deploy(3, 'nginx:1.26'));
    expect(c.ops.rolloutStatus()[0]!.message).toBe('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
  });

  it('a rollout that cannot progress exceeds its deadline after 600 s', () => {
    const c = workloadCluster();
    c.apply(deploy(2, 'nginx:1.25'));
    c.waitForRollout();
    c.apply(deploy(2, 'nginx:does-not-exist-image-x'.replace('nginx:', 'example.com/nginx:')));
    c.advance(599);
    expect(c.ops.rolloutStatus()[0]!.ready).toBe(false);
    expect(c.ops.rolloutStatus()[0]!.message).not.toContain('exceeded');
    c.advance(2);
    expect(c.ops.rolloutStatus()[0]!.message).toBe('error: deployment "web" exceeded its progress deadline');
    // The old pods keep serving.
    expect(c.pods().filter((p) => p.spec.containers[0]!.image === 'nginx:1.25' && isPodReady(p))).toHaveLength(2);
  });
});

describe('Recreate', () => {
  it('removes every old pod before the first new one exists', () => {
    const c = workloadCluster();
    const s = '  strategy: {type: Recreate}';
    c.apply(deploy(2, 'nginx:1.25', s));
    c.waitForRollout();
    c.apply(deploy(2, 'nginx:1.26', s));
    let overlap = false;
    for (let i = 0; i < 30; i++) {
      const images = new Set(c.pods().map((p: Pod) => p.spec.containers[0]!.image));
      if (images.size > 1) overlap = true;
      c.advance(1);
    }
    expect(overlap).toBe(false);
    expect(c.pods().map((p) => p.spec.containers[0]!.image)).toEqual(['nginx:1.26', 'nginx:1.26']);
  });
});

describe('scaling and history', () => {
  it('scale adds and removes pods; revisionHistoryLimit prunes idle ReplicaSets', () => {
    const c = workloadCluster();
    c.apply(deploy(2, 'nginx:1.25').replace('replicas: 2', 'replicas: 2\n  revisionHistoryLimit: 1'));
    c.waitForRollout();
    expect(c.ops.act({ type: 'scale', kind: 'Deployment', namespace: 'default', name: 'web', replicas: 5 })).toBe('deployment.apps/web scaled');
    c.waitForRollout();
    expect(c.pods()).toHaveLength(5);
    for (const v of ['1.26', '1.27', '1.28']) {
      c.ops.act({ type: 'setImage', kind: 'Deployment', namespace: 'default', name: 'web', container: 'web', image: `nginx:${v}` });
      c.waitForRollout();
    }
    const names = rsOf(c).map((r: KubeObject) => r.metadata.annotations?.['deployment.kubernetes.io/revision']).sort();
    expect(names).toEqual(['3', '4']);
  });
});
