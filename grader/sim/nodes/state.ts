/**
 * Per-cluster runtime state of the workload parts that is not API state: which node
 * containers are running (a stopped kind node posts nothing), the kubelets' view of their
 * pods, volume contents, the image catalogue. Kept on the ClusterContext so that several
 * simulated clusters can live in one process, and a forked cluster carries its own copy.
 */
import { type ClusterContext, clusterLocal } from '../runtime/context.ts';
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
  /** Counts changes of `up`: whatever depends on which nodes run can be kept while it stands. */
  generation = 0;

  register(name: string, now: number): void {
    this.generation++;
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
    this.generation++;
    this.up.set(name, up);
    this.heartbeat.set(name, now);
  }
  lastHeartbeat(name: string): number | undefined {
    return this.heartbeat.get(name);
  }
  forget(name: string): void {
    this.generation++;
    this.up.delete(name);
    this.heartbeat.delete(name);
  }
}

/** An object rather than a closure, so that a forked cluster's graph can carry it. */
export interface ProcessNetworkProvider {
  processNetwork(pod: Pod): ProcessNetwork;
}

export interface WorkloadState {
  cache: WorkloadCache;
  nodes: NodeRuntime;
  catalog?: ImageCatalog;
  /** How a process reaches the network; installed by the networking part (default: nothing resolves). */
  processNetwork?: ProcessNetworkProvider;
  /** Slots owned by single modules (kubelet runtime, volume data); typed where they are defined. */
  slots: Map<string, unknown>;
}

export function workloadState(ctx: ClusterContext): WorkloadState {
  return clusterLocal(ctx, 'workloads', newWorkloadState);
}

function newWorkloadState(ctx: ClusterContext): WorkloadState {
  return { cache: new WorkloadCache(ctx.store), nodes: new NodeRuntime(), slots: new Map() };
}

/** A module-owned piece of state, created on first use (`init` as for clusterLocal). */
export function slot<T>(ctx: ClusterContext, name: string, init: (ctx: ClusterContext) => T): T {
  const s = workloadState(ctx);
  let v = s.slots.get(name) as T | undefined;
  if (v === undefined) s.slots.set(name, (v = init(ctx)));
  return v;
}

/** Let the networking part tell processes (wordpress → mysql, probes) how to reach the network. */
export function registerProcessNetwork(ctx: ClusterContext, provider: ProcessNetworkProvider): void {
  workloadState(ctx).processNetwork = provider;
}

export const NO_NETWORK: ProcessNetwork = {
  resolve: () => undefined,
  connect: () => ({ ok: false, error: 'connection refused' }),
};

export function processNetworkFor(ctx: ClusterContext, pod: Pod): ProcessNetwork {
  return workloadState(ctx).processNetwork?.processNetwork(pod) ?? NO_NETWORK;
}
