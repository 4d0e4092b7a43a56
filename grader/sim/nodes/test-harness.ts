/**
 * A cluster with the real apiserver and the workload parts only (no networking), for the
 * workload tests: apply YAML, settle, advance virtual time, read pods.
 */
import YAML from 'yaml';
import { ObjectStore } from '../api/store.ts';
import { SimApiServer } from '../api/apiserver.ts';
import type { KubeObject, Pod } from '../api/types.ts';
import { ControllerManager } from '../runtime/controller-manager.ts';
import { type ClusterConfig, type ClusterContext, DEFAULT_CLUSTER_CONFIG, EventRecorder } from '../runtime/context.ts';
import { VirtualClock } from '../../util/clock.ts';
import { Rng } from '../../util/rng.ts';
import { installWorkloads } from '../install-workloads.ts';
import type { ImageSpec } from '../images/types.ts';

export function workloadCluster(opts: Partial<ClusterConfig> & { images?: ImageSpec[] } = {}) {
  // Stored objects are frozen as they are written under tests (ObjectStore.freezeOnWrite), so a
  // controller that edits one in place fails loudly.
  const { images, ...cfg } = opts;
  const config: ClusterConfig = { ...DEFAULT_CLUSTER_CONFIG, ...cfg };
  const store = new ObjectStore();
  const clock = new VirtualClock();
  const rng = new Rng(config.seed);
  const warnings: string[] = [];
  const events = new EventRecorder(clock);
  const controllers = new ControllerManager(store, clock);
  const api = new SimApiServer({ store, clock, rng: rng.fork('apiserver'), config, warnings, events });
  const ctx: ClusterContext = { config, store, api, clock, rng, events, controllers, warnings };
  api.bootstrap();
  const ops = installWorkloads(ctx, { images: images ?? [] });
  const settle = () => controllers.settle();
  settle();
  const advance = (seconds: number) => {
    const limit = clock.now() + seconds * 1000;
    settle();
    while (clock.step(limit)) settle();
    settle();
  };
  const apply = (yaml: string) => {
    for (const doc of YAML.parseAllDocuments(yaml)) {
      const obj = doc.toJSON() as KubeObject | null;
      if (obj) api.apply(obj);
      settle();
    }
  };
  const pods = (ns = 'default') => store.list('Pod', ns) as Pod[];
  const get = (kind: string, ns: string | undefined, name: string) => store.get(kind, ns, name);
  const waitForRollout = (seconds = 300) => {
    const limit = clock.now() + seconds * 1000;
    settle();
    while (!ops.rolloutStatus().every((w) => w.ready)) {
      const due = clock.nextDue();
      if (due === undefined || due > limit) break;
      clock.step(limit);
      settle();
    }
    return ops.rolloutStatus();
  };
  return { ctx, api, ops, store, clock, events, settle, advance, apply, pods, get, waitForRollout };
}

/** `kubectl get pods`'s STATUS column, enough for tests (the views compute the real one). */
export function podStatusWord(p: Pod): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  const cs = [...(p.status?.containerStatuses ?? [])];
  const init = ((p.status as { initContainerStatuses?: typeof cs } | undefined)?.initContainerStatuses ?? []);
  for (const c of init) {
    if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') return `Init:${c.state.waiting.reason}`;
  }
  for (const c of cs) {
    if (c.state?.waiting?.reason) return c.state.waiting.reason;
    if (c.state?.terminated?.reason) return c.state.terminated.reason;
  }
  return p.status?.phase ?? 'Pending';
}

/** The plain nginx Deployment many workload tests start from, as YAML for `apply`. */
export function nginxDeploymentYaml(name: string, replicas: number, app: string = name): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec: {containers: [{name: c, image: nginx}]}
`;
}
