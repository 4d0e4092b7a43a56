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
import { SimCluster } from '../../sim/cluster.ts';
import { DEFAULT_CLUSTER_CONFIG } from '../../sim/runtime/context.ts';
import { fromLabImage } from '../../sim/images/lab-image.ts';

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
    this.c = new SimCluster({
      workers: shape.workers,
      proxyMode: shape.proxyMode,
      ingressNginx: shape.ingress,
      loadBalancerPool: shape.loadBalancer ? DEFAULT_CLUSTER_CONFIG.loadBalancerPool : null,
      seed: opts.seed,
      images: (opts.images ?? []).map(fromLabImage),
    });
  }

  async apply(documents: LoadedDocument[]): Promise<ApplyResult> {
    return this.cluster.apply(documents);
  }

  async waitForRollout(timeoutSeconds: number): Promise<RolloutResult> {
    return this.cluster.waitForRollout(timeoutSeconds);
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const o = this.cluster.ctx.store.get(ref.kind, ref.namespace, ref.name);
    return o ? structuredClone(o) : undefined;
  }

  async list(kind: string, namespace?: string): Promise<KubeObject[]> {
    return this.cluster.ctx.store.list(kind, namespace).map((o) => structuredClone(o));
  }

  async dns(q: DnsQuery): Promise<DnsResult> {
    return this.cluster.net.dns(q);
  }

  async http(p: HttpProbe): Promise<HttpResult> {
    return this.cluster.net.http(p);
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
