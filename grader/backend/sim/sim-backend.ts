/**
 * The simulator as a Backend: async wrappers around SimCluster. Objects handed out are
 * copies, so a check can never change the cluster by accident.
 */
import type {
  Action, ActionResult, ApplyResult, Backend, BackendCapabilities, BackendOptions, ClusterShape, DnsQuery, DnsResult,
  HttpProbe, HttpResult, RolloutResult, TcpProbe, TcpResult,
} from '../types.ts';
import type { KubeObject, ObjectRef } from '../../sim/api/types.ts';
import type { LoadedDocument } from '../../manifests/types.ts';
import { SimCluster, type SimClusterOptions } from '../../sim/cluster.ts';
import { DEFAULT_CLUSTER_CONFIG } from '../../sim/runtime/context.ts';
import { fromLabImage } from '../../sim/images/lab-image.ts';
import { cloneApi } from '../../sim/api/clone.ts';
import { plainAnswer } from '../../sim/network/probe/probe.ts';

/** The simulated cluster a backend of this shape runs. */
export function simClusterOptions(shape: ClusterShape, opts: BackendOptions): SimClusterOptions {
  return {
    workers: shape.workers,
    proxyMode: shape.proxyMode,
    ingressNginx: shape.ingress,
    loadBalancerPool: shape.loadBalancer ? DEFAULT_CLUSTER_CONFIG.loadBalancerPool : null,
    seed: opts.seed,
    images: (opts.images ?? []).map(fromLabImage),
  };
}

/** Freshly booted clusters by options, least recently used first; only ever forked, never changed. */
const bootedClusters = new Map<string, SimCluster>();
const BOOT_CACHE_SIZE = 8;

export class SimBackend implements Backend {
  readonly name = 'sim' as const;
  readonly capabilities: BackendCapabilities = {
    virtualTime: true,
    attributesEveryResponse: true,
    // Virtual time is free; a day bounds runaway scenarios.
    maxAdvanceSeconds: 24 * 3600,
  };
  private c: SimCluster | undefined;

  /** The simulated cluster itself, for tests and tools that need more than the Backend interface. */
  get cluster(): SimCluster {
    if (!this.c) throw new Error('the simulated cluster is not started: call start() first');
    return this.c;
  }

  async start(shape: ClusterShape, opts: BackendOptions): Promise<void> {
    const options = simClusterOptions(shape, opts);
    // Booting installs the addons and waits for their pods: the same work for every start with
    // the same shape, seed and images. A fork of a cluster booted once is that state exactly.
    const key = JSON.stringify(options);
    let booted = bootedClusters.get(key);
    if (booted) bootedClusters.delete(key);
    else booted = new SimCluster(options);
    bootedClusters.set(key, booted);
    if (bootedClusters.size > BOOT_CACHE_SIZE) bootedClusters.delete(bootedClusters.keys().next().value!);
    this.c = booted.fork();
  }

  async fork(): Promise<SimBackend> {
    const b = new SimBackend();
    b.c = this.cluster.fork();
    return b;
  }

  async apply(documents: LoadedDocument[]): Promise<ApplyResult> {
    return this.cluster.apply(documents);
  }

  async waitForRollout(timeoutSeconds: number): Promise<RolloutResult> {
    return this.cluster.waitForRollout(timeoutSeconds);
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const o = this.cluster.ctx.store.get(ref.kind, ref.namespace, ref.name);
    return o ? cloneApi(o) : undefined;
  }

  async list(kind: string, namespace?: string): Promise<KubeObject[]> {
    return this.cluster.ctx.store.list(kind, namespace).map((o) => cloneApi(o));
  }

  async dns(q: DnsQuery): Promise<DnsResult> {
    return this.cluster.net.dns(q);
  }

  async http(p: HttpProbe): Promise<HttpResult> {
    // A plain object for callers that keep, copy or print it (custom checks, captured values).
    return plainAnswer(this.cluster.net.http(p));
  }

  async httpRepeat(p: HttpProbe, count: number, each: (r: HttpResult, i: number) => void): Promise<void> {
    // http() copies the probe before it changes anything, so one object serves every request.
    // Answers go to `each` as they are: a pod's answer writes its body only if it is read.
    for (let i = 0; i < count; i++) each(this.cluster.net.http(p), i);
  }

  async tcp(p: TcpProbe): Promise<TcpResult> {
    return this.cluster.net.tcp(p);
  }

  async act(a: Action): Promise<ActionResult> {
    return this.cluster.act(a);
  }

  async views(namespace?: string): Promise<string> {
    return this.cluster.views(namespace);
  }

  async stop(): Promise<void> {
    // Nothing runs in the background; dropping the reference frees the cluster.
    this.c = undefined;
  }
}
