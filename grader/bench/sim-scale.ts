/**
 * The simulator at scale: W workers, D Deployments × R replicas, one selector Service per
 * Deployment. Full size is 100 workers, 1,000 × 5 = 5,000 pods and 1,000 Services (target:
 * apply-and-settle under 2 s); 1/4 and 1/2 run first to show how the cost grows. Each step up
 * doubles (or quadruples) everything, so the time ratio is compared with n·log n's.
 *
 * Options: `deployments=N` (full-size count, default 1000), `replicas=R` (default 5),
 * `workers=W` (full-size nodes, default 100).
 */
import { SimCluster } from '../sim/cluster.ts';
import type { KubeObject } from '../sim/api/types.ts';
import type { LoadedDocument } from '../manifests/types.ts';
import type { BenchSection, Cell } from './types.ts';
import { MemorySampler } from './sim-memory.ts';

export function scaleDocuments(deployments: number, replicas: number): LoadedDocument[] {
  const docs: KubeObject[] = [];
  for (let i = 0; i < deployments; i++) {
    const name = `app-${String(i).padStart(4, '0')}`;
    const labels = { app: name };
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default' },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } } },
    });
    docs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: labels, ports: [{ port: 80, targetPort: 80 }] } });
  }
  return docs.map((object, i) => ({ object, file: 'scale.yaml', line: i + 1 }));
}

export interface ScaleResult {
  workers: number;
  deployments: number;
  pods: number;
  bootMs: number;
  applyMs: number;
  settleMs: number;
  probeMs: number;
  probesOk: number;
  probes: number;
  runningPods: number;
  peakRssMb: number;
  peakHeapMb: number;
}

/** One run: boot, apply (sampling memory per chunk), wait for rollout, probe a few Services. */
export function runScale(workers: number, deployments: number, replicas: number): ScaleResult {
  const docs = scaleDocuments(deployments, replicas);
  const mem = new MemorySampler();
  const t0 = performance.now();
  const c = new SimCluster({ workers, loadBalancerPool: null, ingressNginx: false });
  const t1 = performance.now();
  const chunk = 100;
  for (let i = 0; i < docs.length; i += chunk) {
    c.apply(docs.slice(i, i + chunk));
    mem.sample();
  }
  const t2 = performance.now();
  const rollout = c.waitForRollout(600);
  mem.sample();
  const t3 = performance.now();
  const probes = Math.min(deployments, 10);
  let ok = 0;
  for (let i = 0; i < probes; i++) {
    const name = `app-${String(Math.floor((i * deployments) / probes)).padStart(4, '0')}`;
    const d = c.net.dns({ from: { kind: 'pod', namespace: 'default' }, name, type: 'A' });
    const h = c.net.http({ from: { kind: 'pod', namespace: 'default' }, url: `http://${name}/` });
    if (d.rcode === 'NOERROR' && h.ok && h.status === 200) ok++;
  }
  const t4 = performance.now();
  const running = c.ctx.store.list('Pod', 'default').filter((p) => p.status?.phase === 'Running').length;
  const m = mem.stop();
  if (!rollout.complete) throw new Error(`scale run ${workers}/${deployments}: rollout incomplete`);
  return {
    workers,
    deployments,
    pods: deployments * replicas,
    bootMs: t1 - t0,
    applyMs: t2 - t1,
    settleMs: t3 - t2,
    probeMs: (t4 - t3) / (2 * probes),
    probesOk: ok,
    probes,
    runningPods: running,
    peakRssMb: m.peakRssMb,
    peakHeapMb: m.peakHeapMb,
  };
}

const nlogn = (n: number) => n * Math.log2(n);

export const simScaleSection: BenchSection = {
  name: 'sim-scale',
  description: 'simulator scale: 100 nodes, 5,000 pods, 1,000 Services (and 1/4, 1/2) — apply-and-settle, probes, memory',
  async run(ctx) {
    const full = Number(ctx.options.deployments ?? (ctx.quick ? 80 : 1000));
    const replicas = Number(ctx.options.replicas ?? 5);
    const workersFull = Number(ctx.options.workers ?? (ctx.quick ? 8 : 100));
    const sizes = [0.25, 0.5, 1];
    const results: ScaleResult[] = [];
    for (const f of sizes) {
      const d = Math.round(full * f);
      const w = Math.max(1, Math.round(workersFull * f));
      ctx.log(`${w} workers, ${d} Deployments × ${replicas}…`);
      results.push(runScale(w, d, replicas));
      await new Promise((r) => setImmediate(r));
    }
    const rows: Cell[][] = [];
    const notes: string[] = [];
    results.forEach((r, i) => {
      const total = r.applyMs + r.settleMs;
      let ratio = '';
      if (i > 0) {
        const prev = results[i - 1]!;
        const got = total / (prev.applyMs + prev.settleMs);
        const bound = nlogn(r.pods) / nlogn(prev.pods);
        ratio = `${got.toFixed(2)} (n log n: ${bound.toFixed(2)})${got > bound * 1.15 ? ' WORSE' : ''}`;
        if (got > bound * 1.15) notes.push(`${prev.pods} → ${r.pods} pods grew ${got.toFixed(2)}×, worse than n log n (${bound.toFixed(2)}×)`);
      }
      rows.push([r.workers, r.deployments, r.pods, r.runningPods, r.bootMs, r.applyMs, r.settleMs, total, ratio, r.probeMs, `${r.probesOk}/${r.probes}`, r.peakRssMb, r.peakHeapMb]);
    });
    const last = results.at(-1)!;
    notes.unshift(`target: apply-and-settle of the full case under 2,000 ms — ${last.applyMs + last.settleMs < 2000 ? 'met' : 'NOT met'} (${(last.applyMs + last.settleMs).toFixed(0)} ms)`);
    return [
      {
        title: `sim-scale: Deployments × ${replicas} replicas + one Service each`,
        columns: ['workers', 'deploys', 'pods', 'running', 'boot ms', 'apply ms', 'settle ms', 'apply+settle ms', 'growth ×', 'ms/probe', 'probes ok', 'peak RSS MB', 'peak heap MB'],
        rows,
        notes,
      },
    ];
  },
};
