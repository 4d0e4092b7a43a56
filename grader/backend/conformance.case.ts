/**
 * The cross-backend contract, as one suite both backends must pass: the simulator here
 * (grader/backend/sim/sim.test.ts) and kind (its own test calls `backendConformance`).
 * A small standard app — a Deployment of three nginx pods behind a ClusterIP Service —
 * is applied, and what checks rely on is asserted: apply results and kubectl-style errors,
 * rollout, objects, EndpointSlices, DNS, HTTP with the serving pod, TCP, and the timeline of
 * a node loss (endpoints stay until the node is declared NotReady, the pods are replaced after
 * the eviction timeout). Assertions are about Kubernetes behaviour, never about one backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, ClusterShape, HttpResult } from './types.ts';
import type { EndpointSlice, KubeObject, Pod, Service } from '../sim/api/types.ts';
import type { LoadedDocument } from '../manifests/types.ts';

export interface ConformanceOptions {
  /** Skip the node-loss timeline (about 6 minutes of real time on kind). */
  skipNodeLoss?: boolean;
  shape?: Partial<ClusterShape>;
  seed?: number;
}

const doc = (object: KubeObject, line = 1): LoadedDocument => ({ object, file: 'app.yaml', line });

export const STANDARD_APP: LoadedDocument[] = [
  doc({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
      },
    },
  }),
  doc({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] } }, 20),
];

const INVALID_SERVICE = doc({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'bad', namespace: 'default' },
  spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 8080 }] },
}, 30);

const client = { kind: 'pod' as const, namespace: 'default' };

export function backendConformance(label: string, factory: () => Backend | Promise<Backend>, opts: ConformanceOptions = {}): void {
  describe(`backend conformance: ${label}`, () => {
    let b: Backend;
    let clusterIP: string;

    const webPods = async () => ((await b.list('Pod', 'default')) as Pod[]).filter((p) => p.metadata.labels?.app === 'web' && !p.metadata.deletionTimestamp).sort((x, y) => (x.metadata.name < y.metadata.name ? -1 : 1));
    const readyEndpoints = async () => {
      const slices = ((await b.list('EndpointSlice', 'default')) as EndpointSlice[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web');
      return slices.flatMap((s) => s.endpoints.filter((e) => e.conditions.ready !== false).map((e) => ({ ip: e.addresses[0]!, node: e.nodeName, pod: e.targetRef?.name })));
    };

    beforeAll(async () => {
      b = await factory();
      await b.start({ workers: 3, proxyMode: 'iptables', ingress: false, loadBalancer: false, ...opts.shape }, { seed: opts.seed ?? 1 });
    });
    afterAll(async () => {
      await b?.stop();
    });

    it('applies objects one by one and reports rejected ones as kubectl prints them', async () => {
      const r = await b.apply([...STANDARD_APP, INVALID_SERVICE]);
      expect(r.applied.map((a) => `${a.ref.kind}/${a.ref.name}:${a.action}`)).toEqual(['Deployment/web:created', 'Service/web:created']);
      expect(r.failed).toHaveLength(1);
      expect(r.failed[0]!.line).toBe(30);
      expect(r.failed[0]!.message).toMatch(/^The Service "bad" is invalid: spec\.ports\[0\]\.nodePort: Invalid value: 8080: provided port is not in the valid range/);
      const again = await b.apply(STANDARD_APP);
      expect(again.applied.map((a) => a.action)).toEqual(['unchanged', 'unchanged']);
    });

    it('rolls out the Deployment', async () => {
      const r = await b.waitForRollout(180);
      expect(r.complete).toBe(true);
      expect(r.workloads.find((w) => w.ref.kind === 'Deployment' && w.ref.name === 'web')?.ready).toBe(true);
      const pods = await webPods();
      expect(pods).toHaveLength(3);
      for (const p of pods) {
        expect(p.status?.phase).toBe('Running');
        expect(p.status?.podIP).toMatch(/^10\.244\./);
        expect(p.spec.nodeName).toBeTruthy();
      }
    });

    it('allocates a ClusterIP from the service range and publishes the ready pods as endpoints', async () => {
      const svc = (await b.get({ kind: 'Service', namespace: 'default', name: 'web' })) as Service;
      clusterIP = svc.spec.clusterIP!;
      expect(clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
      expect(svc.spec.type).toBe('ClusterIP');
      const eps = await readyEndpoints();
      expect(eps.map((e) => e.ip).sort()).toEqual((await webPods()).map((p) => p.status!.podIP!).sort());
      expect(await b.get({ kind: 'Service', namespace: 'default', name: 'bad' })).toBeUndefined();
    });

    it('answers DNS for the Service by short and full name, and NXDOMAIN for unknown names', async () => {
      for (const name of ['web', 'web.default', 'web.default.svc.cluster.local']) {
        const r = await b.dns({ from: client, name, type: 'A' });
        expect(r.rcode).toBe('NOERROR');
        expect(r.answers.filter((a) => a.type === 'A').map((a) => a.data)).toEqual([clusterIP]);
      }
      const other = await b.dns({ from: { kind: 'pod', namespace: 'kube-system' }, name: 'web', type: 'A' });
      expect(other.rcode).toBe('NXDOMAIN');
      const none = await b.dns({ from: client, name: 'nothing-here.default.svc.cluster.local', type: 'A' });
      expect(none.rcode).toBe('NXDOMAIN');
    });

    it('serves HTTP through the Service from a web pod, and fails cleanly on a port nobody serves', async () => {
      const names = new Set((await webPods()).map((p) => p.metadata.name));
      const r = await b.http({ from: client, url: 'http://web/' });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.status).toBe(200);
      if (b.capabilities.attributesEveryResponse) expect(names.has(r.servedBy?.pod ?? '')).toBe(true);
      expect(r.trace.length).toBeGreaterThan(0);
      const bad = await b.http({ from: client, url: 'http://web:8080/' });
      expect(bad.ok).toBe(false);
    });

    it('repeats a request as a client loop does: every answer, in order, spread over the web pods', async () => {
      if (!b.httpRepeat) return; // optional: callers fall back to http() in a loop
      const names = new Set((await webPods()).map((p) => p.metadata.name));
      const rs: HttpResult[] = [];
      await b.httpRepeat({ from: client, url: 'http://web/' }, 30, (r, i) => {
        expect(i).toBe(rs.length); // in order, each once
        rs.push(r);
      });
      expect(rs).toHaveLength(30);
      expect(rs.every((r) => r.ok && r.status === 200)).toBe(true);
      if (b.capabilities.attributesEveryResponse) {
        const served = new Set(rs.map((r) => (r.ok ? r.servedBy?.pod : undefined)));
        for (const pod of served) expect(names.has(pod ?? '')).toBe(true);
        expect(served.size).toBeGreaterThan(1); // a new connection each time: kube-proxy chooses again
      }
      const bad: boolean[] = [];
      await b.httpRepeat({ from: client, url: 'http://web:8080/' }, 2, (r) => bad.push(r.ok));
      expect(bad).toEqual([false, false]);
    });

    it('connects over TCP to the Service port', async () => {
      expect((await b.tcp({ from: client, host: 'web', port: 80 })).result).toBe('connected');
      expect((await b.tcp({ from: client, host: 'nothing-here', port: 80 })).result).toBe('unresolved');
      expect((await b.tcp({ from: client, host: 'web', port: 81 })).result).not.toBe('connected');
    });

    it('renders kubectl-like views', async () => {
      const v = await b.views('default');
      expect(v).toContain('web');
    });

    it.skipIf(opts.skipNodeLoss)('keeps endpoints through the grace period after a node loss, then replaces the pods', async () => {
      const first = (await webPods()).find((p) => p.spec.nodeName)!;
      const node = first.spec.nodeName!;
      const onNode = (await webPods()).filter((p) => p.spec.nodeName === node).length;
      await b.act({ type: 'killNode', node });
      // Before node-monitor-grace-period (40 s) nothing has noticed: the endpoints are still listed ready.
      await b.act({ type: 'advance', seconds: 20 });
      expect((await readyEndpoints()).filter((e) => e.node === node)).toHaveLength(onNode);
      // After it, the node is NotReady and its pods' endpoints are no longer ready.
      await b.act({ type: 'advance', seconds: 40 });
      const nodeObj = await b.get({ kind: 'Node', name: node });
      expect(nodeObj?.status.conditions.find((c: { type: string }) => c.type === 'Ready')?.status).toBe('Unknown');
      expect((await readyEndpoints()).filter((e) => e.node === node)).toHaveLength(0);
      // After the default 300 s toleration the pods are evicted and replaced elsewhere.
      await b.act({ type: 'advance', seconds: 330 });
      await b.waitForRollout(120);
      const eps = await readyEndpoints();
      expect(eps).toHaveLength(3);
      expect(eps.every((e) => e.node !== node)).toBe(true);
      const r = await b.http({ from: client, url: 'http://web/' });
      expect(r.ok && r.status).toBe(200);
    });
  });
}
