/**
 * Per-cluster runtime state of the workload parts that is not API state: which node
 * containers are running (a stopped kind node posts nothing), the kubelets' view of their
 * pods, volume contents, the image catalogue. Keyed by the ClusterContext so that several
 * simulated clusters can live in one process.
 */
import type { ClusterContext } from '../runtime/context.ts';
import type { ImageCatalog, ProcessNetwork } from '../images/types.ts';
import type { Pod } from '../api/types.ts';
import { WorkloadCache } from './cache.ts';

export class NodeRuntime {
  /** Node name → whether its container (kubelet, containerd, pods) is running. */
  private up = new Map<string, boolean>();
  /** Virtual ms of the last heartbeat (lease renewal) of each node. */
  private heartbeat = new Map<string, number>();
  /** Registration order: next node index (IP, podCIDR) and next worker number. */
  nextIndex = 0;
  nextWorker = 1;

  register(name: string, now: number): void {
    this.up.set(name, true);
    this.heartbeat.set(name, now);
  }
  isUp(name: string | undefined): boolean {
    return !!name && this.up.get(name) === true;
  }
  known(name: string): boolean {
    return this.up.has(name);
  }
  setUp(name: string, up: boolean, now: number): void {
    this.up.set(name, up);
    this.heartbeat.set(name, now);
  }
  lastHeartbeat(name: string): number | undefined {
    return this.heartbeat.get(name);
  }
  forget(name: string): void {
    this.up.delete(name);
    this.heartbeat.delete(name);
  }
}

export interface WorkloadState {
  cache: WorkloadCache;
  nodes: NodeRuntime;
  catalog?: ImageCatalog;
  /** How a process reaches the network; installed by the networking part (default: nothing resolves). */
  processNetwork?: (pod: Pod) => ProcessNetwork;
  /** Slots owned by single modules (kubelet runtime, volume data); typed where they are defined. */
  slots: Map<string, unknown>;
}

const states = new WeakMap<ClusterContext, WorkloadState>();

export function workloadState(ctx: ClusterContext): WorkloadState {
  let s = states.get(ctx);
  if (!s) {
    s = { cache: new WorkloadCache(ctx.store), nodes: new NodeRuntime(), slots: new Map() };
    states.set(ctx, s);
  }
  return s;
}

/** A module-owned piece of state, created on first use. */
export function slot<T>(ctx: ClusterContext, name: string, init: () => T): T {
  const s = workloadState(ctx);
  if (!s.slots.has(name)) s.slots.set(name, init());
  return s.slots.get(name) as T;
}

/** Let the networking part tell processes (wordpress → mysql, probes) how to reach the network. */
export function registerProcessNetwork(ctx: ClusterContext, factory: (pod: Pod) => ProcessNetwork): void {
  workloadState(ctx).processNetwork = factory;
}

export const NO_NETWORK: ProcessNetwork = {
  resolve: () => undefined,
  connect: () => ({ ok: false, error: 'connection refused' }),
};

export function processNetworkFor(ctx: ClusterContext, pod: Pod): ProcessNetwork {
  return workloadState(ctx).processNetwork?.(pod) ?? NO_NETWORK;
}
