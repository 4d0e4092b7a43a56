/**
 * What the network needs to know about running containers: whether a node is up, which
 * ports a pod's processes listen on (the image catalogue's listeners), and how to ask a
 * process for an HTTP answer. An adapter over the workloads part, narrow so tests can fake it.
 */
import type { Container, Pod } from '../api/types.ts';
import type { ClusterContext } from '../runtime/context.ts';
import type { WorkloadOps } from '../install-workloads.ts';
import type { ContainerRuntimeInfo, ImageSpec, Listener } from '../images/types.ts';
import { workloadState } from '../nodes/state.ts';
import { resolveEnv } from '../kubelet/env.ts';
import { type ContainerRun, type PodRun, buildRuntimeInfo, kubeletRuntime } from '../kubelet/runtime.ts';
import { isNodeReady } from './objects.ts';
import type { NetworkState } from './state.ts';
import { type StoreVersion, storeVersion } from './version.ts';

export interface PodListener extends Listener {
  container: Container;
  image?: ImageSpec;
  running: boolean;
}

export interface PodRuntime {
  /** The node's container runs (a killed kind node answers nothing, even before it is NotReady). */
  nodeUp(name: string | undefined): boolean;
  /**
   * Changes whenever a node container starts or stops. nodeUp's answers stand while it and the
   * store stand (a node the runtime does not know is judged by its Node object).
   */
  nodesGeneration(): number;
  listeners(pod: Pod): PodListener[];
  containerInfo(pod: Pod, c: Container): ContainerRuntimeInfo;
}

export function containerRunning(pod: Pod, c: Container): boolean {
  const st = pod.status?.containerStatuses?.find((s) => s.name === c.name);
  if (!st) return pod.status?.phase === 'Running';
  return !!st.state?.running;
}

/**
 * One pod's containers as the network last built them, valid while nothing they were built
 * from moved: the store (any write: ConfigMaps, Secrets, PVCs and Services feed env and files),
 * the kubelet's record of the pod (IPs, the process's env, its run number). A distribution
 * check asks for the same pod's listeners and runtime info hundreds of times between two
 * writes; rebuilding them (env, argv expansion, the file view, the image lookup) was most of a
 * request's cost. The file view reads and writes the live volume maps, so files written during
 * requests (redis) are seen exactly as before.
 */
interface PodEntry {
  /** namespace/name, the kubelet's key for the pod. */
  key: string;
  storeVersion: number;
  run: PodRun | undefined;
  ip: string | undefined;
  hostIP: string | undefined;
  /** Per container: the kubelet's record, its run number and env when the entry was built. */
  containers: Map<Container, { cr: ContainerRun | undefined; runs: number; env: Record<string, string> | undefined; info?: ContainerRuntimeInfo }>;
  listeners?: PodListener[];
}

/** The kubelet's record of a main (not init) container. */
function mainRun(run: PodRun, name: string): ContainerRun | undefined {
  for (const r of run.containers) if (r.name === name && !r.init) return r;
  return undefined;
}

export class WorkloadPodRuntime implements PodRuntime {
  private readonly version: StoreVersion;
  private cache = new WeakMap<Pod, PodEntry>();

  constructor(
    private readonly ctx: ClusterContext,
    private readonly state: NetworkState,
    private readonly workloads: Pick<WorkloadOps, 'images'>,
  ) {
    this.version = storeVersion(ctx.store);
  }

  nodesGeneration(): number {
    return workloadState(this.ctx).nodes.generation;
  }

  nodeUp(name: string | undefined): boolean {
    if (!name) return false;
    const nodes = workloadState(this.ctx).nodes;
    if (nodes.known(name)) return nodes.isUp(name);
    const n = this.state.node(name);
    return !!n && isNodeReady(n);
  }

  /** The kubelet's record of the pod, if it is this pod's (same uid). */
  private ownRun(pod: Pod, key = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`): PodRun | undefined {
    const run = kubeletRuntime(this.ctx).pods.get(key);
    return run && run.uid === (pod.metadata.uid ?? pod.metadata.name) ? run : undefined;
  }

  /** The pod's cache entry, dropped and rebuilt when anything it was built from changed. */
  private entry(pod: Pod): PodEntry {
    let e = this.cache.get(pod);
    const own = this.ownRun(pod, e?.key);
    if (e && e.storeVersion === this.version.value && e.run === own && e.ip === own?.ip && e.hostIP === own?.hostIP) {
      // Plain loops: this runs for every request, and iterator entries and closures added up.
      let same = true;
      for (const c of e.containers.keys()) {
        const k = e.containers.get(c)!;
        const cr = own ? mainRun(own, c.name) : undefined;
        if (cr !== k.cr || (cr?.runs ?? 0) !== k.runs || cr?.env !== k.env) {
          same = false;
          break;
        }
      }
      if (same) return e;
    }
    e = { key: `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`, storeVersion: this.version.value, run: own, ip: own?.ip, hostIP: own?.hostIP, containers: new Map() };
    this.cache.set(pod, e);
    return e;
  }

  /**
   * The container as its process sees it, built by the kubelet's own buildRuntimeInfo so the
   * network and the kubelet never disagree: command and args stay separate (an `args`-only
   * container keeps its image's entrypoint) and both get $(VAR) expansion from the container's
   * env. The kubelet's record of the pod supplies the pod/host IPs and the restart count.
   */
  containerInfo(pod: Pod, c: Container): ContainerRuntimeInfo {
    const e = this.entry(pod);
    let k = e.containers.get(c);
    if (k?.info) return k.info;
    const own = e.run;
    const cr = own ? mainRun(own, c.name) : undefined;
    if (!k) e.containers.set(c, (k = { cr, runs: cr?.runs ?? 0, env: cr?.env }));
    const ips = own?.ip ? { podIP: own.ip, hostIP: own.hostIP } : undefined;
    // A started process keeps the environment the kubelet gave it (Services created later are
    // not in it, as in Kubernetes); only a container never started gets a fresh resolution.
    let env = cr?.env;
    if (!env) {
      const r = resolveEnv(this.ctx, pod, c, ips);
      env = r.ok ? r.env : {};
    }
    k.info = buildRuntimeInfo(this.ctx, pod, c, env, own, cr?.runs ?? 0);
    return k.info;
  }

  listeners(pod: Pod): PodListener[] {
    const e = this.entry(pod);
    if (e.listeners) return e.listeners;
    const out: PodListener[] = [];
    for (const c of pod.spec.containers ?? []) {
      const image = this.workloads.images.lookup(c.image);
      const running = containerRunning(pod, c);
      const ls: Listener[] = image
        ? image.listeners(this.containerInfo(pod, c))
        // An image the catalogue does not know: trust the declared containerPorts.
        : (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: (p.protocol ?? 'TCP') as 'TCP' | 'UDP', app: 'tcp' as const }));
      for (const l of ls) out.push({ ...l, container: c, image, running });
    }
    e.listeners = out;
    return out;
  }
}
