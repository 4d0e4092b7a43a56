import { loadManifests } from './grader/manifests/load.ts';
import { ObjectStore } from './grader/sim/api/store.ts';
import { SimApiServer } from './grader/sim/api/apiserver.ts';
import { VirtualClock } from './grader/util/clock.ts';
import { Rng } from './grader/util/rng.ts';
import { DEFAULT_CLUSTER_CONFIG, EventRecorder } from './grader/sim/runtime/context.ts';
const store = new ObjectStore(); const clock = new VirtualClock(); const warnings: string[] = [];
const api = new SimApiServer({ store, clock, rng: new Rng(1), config: DEFAULT_CLUSTER_CONFIG, warnings, events: new EventRecorder(clock) });
api.bootstrap();
const docs = await loadManifests('/work/shared/corpus/real-world', {});
const counts: Record<string, number> = {};
for (const d of docs) {
  if (d.file.startsWith('_variants')) continue;
  try { const r = api.apply(d.object); counts[r.action] = (counts[r.action] ?? 0) + 1; }
  catch (e: any) { console.log('FAIL', d.file, d.line, e.message.slice(0, 300)); }
}
console.log(counts, warnings.map(w => w.slice(0, 120)));
for (const s of store.list('Service')) console.log(s.metadata.namespace, s.metadata.name, s.spec.type, s.spec.clusterIP, JSON.stringify(s.spec.ports.map((p: any) => [p.port, p.nodePort])));
