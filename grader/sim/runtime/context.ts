/**
 * What every part of the simulated cluster is handed: the store to read, the apiserver to
 * write through, the clock, the seeded RNG, the event recorder and the cluster's shape.
 * Parts never reach for globals (Date.now, Math.random), only for this.
 */
import type { ObjectStore } from '../api/store.ts';
import type { KubeObject } from '../api/types.ts';
import type { VirtualClock } from '../../util/clock.ts';
import type { Rng } from '../../util/rng.ts';
import type { ControllerManager } from './controller-manager.ts';

/** The cluster's shape and the choices that make it behave like a given kind setup. */
export interface ClusterConfig {
  /** Worker nodes besides the control plane (kind: `- role: worker` entries). */
  workers: number;
  /** kube-proxy mode. kind's default is iptables (random choice per connection). */
  proxyMode: 'iptables' | 'ipvs';
  /** A MetalLB-style LoadBalancer controller with this address pool (first-last), or none. */
  loadBalancerPool: { first: string; last: string } | null;
  /** Whether ingress-nginx is installed (kind's documented manifest: class `nginx`). */
  ingressNginx: boolean;
  /** kube-controller-manager --node-monitor-grace-period: 40 s up to 1.31, 50 s from 1.32. */
  nodeMonitorGracePeriodSeconds: number;
  /** DefaultTolerationSeconds admission: not-ready/unreachable tolerations. */
  defaultTolerationSeconds: number;
  /** Kubernetes minor version modelled. */
  kubernetesVersion: string;
  clusterDomain: string;
  serviceCIDR: string;
  podCIDR: string;
  /** kube-dns Service ClusterIP (kind: 10.96.0.10). */
  dnsServiceIP: string;
  seed: number;
}

export const DEFAULT_CLUSTER_CONFIG: ClusterConfig = {
  workers: 3,
  proxyMode: 'iptables',
  loadBalancerPool: { first: '172.18.255.200', last: '172.18.255.250' },
  ingressNginx: true,
  nodeMonitorGracePeriodSeconds: 40,
  defaultTolerationSeconds: 300,
  kubernetesVersion: '1.31',
  clusterDomain: 'cluster.local',
  serviceCIDR: '10.96.0.0/16',
  podCIDR: '10.244.0.0/16',
  dnsServiceIP: '10.96.0.10',
  seed: 1,
};

export interface DeleteOptions {
  /** Seconds of grace; 0 with `force` removes the object at once (kubectl --grace-period=0 --force). */
  gracePeriodSeconds?: number;
  force?: boolean;
}

/** How cluster components write: through validation, defaulting and admission, like the apiserver. */
export interface ApiWriter {
  /** Create (generateName honoured). Throws ApiError as the apiserver would. */
  create<T extends KubeObject>(obj: T): T;
  /** Replace spec/metadata of an existing object (validateUpdate applies). */
  update<T extends KubeObject>(obj: T): T;
  /** Replace status only (the /status subresource). */
  updateStatus<T extends KubeObject>(obj: T): T;
  /** Delete. Pods get a deletionTimestamp and are removed when the kubelet confirms. */
  delete(kind: string, namespace: string | undefined, name: string, opts?: DeleteOptions): void;
  /**
   * POST pods/<name>/binding: set spec.nodeName of an unbound pod and its PodScheduled
   * condition (the scheduler's only spec write; pod updates may not change nodeName).
   * Optional: without it the scheduler falls back to update().
   */
  bind?(namespace: string, name: string, nodeName: string): KubeObject;
}

export interface ClusterEvent {
  /** Virtual time, RFC 3339. */
  time: string;
  type: 'Normal' | 'Warning';
  reason: string;
  object: { kind: string; namespace?: string; name: string };
  message: string;
  source: string;
}

export class EventRecorder {
  readonly events: ClusterEvent[] = [];
  constructor(private readonly clock: VirtualClock) {}
  record(source: string, obj: KubeObject, type: ClusterEvent['type'], reason: string, message: string): void {
    this.events.push({
      time: this.clock.iso(),
      type,
      reason,
      object: { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name },
      message,
      source,
    });
  }
  for(kind: string, namespace: string | undefined, name: string): ClusterEvent[] {
    return this.events.filter((e) => e.object.kind === kind && e.object.namespace === namespace && e.object.name === name);
  }
}

export interface ClusterContext {
  readonly config: ClusterConfig;
  readonly store: ObjectStore;
  readonly api: ApiWriter;
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly events: EventRecorder;
  readonly controllers: ControllerManager;
  /** Warnings for the student (e.g. "stored without simulated behaviour"). */
  readonly warnings: string[];
  /**
   * State that single modules keep per cluster (see `clusterLocal`). On the context rather
   * than in module-level WeakMaps so that forking the cluster's object graph carries it.
   */
  local?: Map<string, unknown>;
}

/**
 * A module's per-cluster state, created on first use. `init` gets the context so callers can
 * pass a module-level function: these lookups sit on every request's path, and a closure made
 * per call was a measurable share of a request's allocations.
 */
export function clusterLocal<T>(ctx: ClusterContext, key: string, init: (ctx: ClusterContext) => T): T {
  const local = (ctx.local ??= new Map());
  let v = local.get(key) as T | undefined;
  if (v === undefined) local.set(key, (v = init(ctx)));
  return v;
}
