/**
 * SimCluster.fork: a fork is the cluster's exact state (so its future is the same as the
 * original's would be), and independent from then on.
 */
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { SimCluster } from '../cluster.ts';
import type { LoadedDocument } from '../../manifests/types.ts';
import type { HttpResult } from '../../backend/types.ts';
import { SimBackend } from '../../backend/sim/sim-backend.ts';

const MANIFESTS = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: traefik/whoami:v1.10
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /health, port: 80}, periodSeconds: 5}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`;

const docs = (): LoadedDocument[] => YAML.parseAllDocuments(MANIFESTS).map((d, i) => ({ object: d.toJSON(), file: 'web.yaml', line: i + 1 }));

function lbIP(c: SimCluster): string {
  return c.ctx.store.get('Service', 'default', 'web')?.status?.loadBalancer?.ingress?.[0]?.ip as string;
}

/** What the cluster shows and serves: views plus who answers 30 requests from inside and outside. */
function observe(c: SimCluster): string {
  const answer = (r: HttpResult) => (r.ok ? `${r.status} ${r.body.split('\n')[0]}` : r.error);
  const inside = Array.from({ length: 30 }, () => answer(c.net.http({ from: { kind: 'pod', namespace: 'default' }, url: 'http://web.default.svc.cluster.local/' })));
  const outside = Array.from({ length: 10 }, () => answer(c.net.http({ from: { kind: 'external' }, url: `http://${lbIP(c)}/` })));
  return `${c.views()}\n${JSON.stringify(inside)}\n${JSON.stringify(outside)}\n${c.ctx.clock.iso()}`;
}

function started(seed: number): SimCluster {
  const c = new SimCluster({ seed });
  c.apply(docs());
  expect(c.waitForRollout(300).complete).toBe(true);
  return c;
}

describe('SimCluster.fork', () => {
  it('carries pending timers: a node loss under way ends the same in the fork and the original', () => {
    const c = started(3);
    const node = c.ctx.store.get('Pod', 'default', c.ctx.store.list('Pod', 'default')[0]!.metadata.name)!.spec.nodeName as string;
    c.act({ type: 'killNode', node });
    c.advance(10); // NotReady (40 s) and eviction (300 s) are still timers in the future
    const f = c.fork();
    f.advance(400);
    c.advance(400);
    const seen = observe(c);
    expect(observe(f)).toBe(seen);
    // The pods on the lost node were replaced elsewhere, in both.
    expect(f.views()).toContain('NotReady');
    expect(f.ctx.store.list('Pod', 'default').filter((p) => p.spec.nodeName === node && !p.metadata.deletionTimestamp)).toEqual([]);
  });

  it('gives the same future as the same steps replayed on a fresh cluster (RNG and clock included)', () => {
    const f = started(9).fork();
    expect(observe(f)).toBe(observe(started(9)));
  });

  it('is independent afterwards: what happens in the fork does not reach the original, nor back', () => {
    const c = started(4);
    const before = c.views();
    const f = c.fork();
    f.act({ type: 'scale', kind: 'Deployment', namespace: 'default', name: 'web', replicas: 1 });
    f.advance(60);
    expect(f.ctx.store.list('Pod', 'default').filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(1);
    expect(c.views()).toBe(before);
    c.act({ type: 'deletePod', namespace: 'default', name: c.ctx.store.list('Pod', 'default')[0]!.metadata.name });
    c.advance(60);
    expect(f.ctx.store.list('Pod', 'default').filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(1);
    expect(lbIP(f)).toBe(lbIP(c));
  });

  it('shares the stored objects, frozen, so a write in place fails loudly instead of leaking', () => {
    const c = started(5);
    const f = c.fork();
    const svc = c.ctx.store.get('Service', 'default', 'web')!;
    expect(f.ctx.store.get('Service', 'default', 'web')).toBe(svc);
    expect(() => {
      (svc.spec as { type: string }).type = 'ClusterIP';
    }).toThrow(TypeError);
  });

  it.each([
    { proxyMode: 'ipvs' as const, ingressNginx: false, loadBalancerPool: null },
    { proxyMode: 'iptables' as const, ingressNginx: true, workers: 1 },
  ])('forks every cluster shape (%o)', (shape) => {
    const c = new SimCluster({ seed: 2, ...shape });
    c.apply(docs());
    c.waitForRollout(300);
    const f = c.fork();
    expect(f.views()).toBe(c.views());
  });
});

describe('SimBackend', () => {
  const shape = { workers: 2, proxyMode: 'iptables' as const, ingress: true, loadBalancer: true };

  it('starts from a cached boot: two starts are equal and independent', async () => {
    const a = new SimBackend();
    const b = new SimBackend();
    await a.start(shape, { seed: 11 });
    await b.start(shape, { seed: 11 });
    expect(await a.views()).toBe(await b.views());
    expect(await a.views()).toBe(new SimCluster({ workers: 2, seed: 11 }).views());
    await a.apply(docs());
    expect(await b.list('Deployment', 'default')).toEqual([]);
    expect(await a.list('Deployment', 'default')).toHaveLength(1);
  });

  it('forks a started backend with everything applied', async () => {
    const a = new SimBackend();
    await a.start(shape, { seed: 12 });
    await a.apply(docs());
    await a.waitForRollout(300);
    const b = await a.fork();
    expect(await b.views()).toBe(await a.views());
    await b.act({ type: 'scale', kind: 'Deployment', namespace: 'default', name: 'web', replicas: 5 });
    expect((await a.get({ kind: 'Deployment', namespace: 'default', name: 'web' }))?.spec?.replicas).toBe(3);
  });
});
