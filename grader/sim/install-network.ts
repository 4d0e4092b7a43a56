/**
 * Installs the cluster's networking: the EndpointSlice, Endpoints and mirroring controllers,
 * the MetalLB-style LoadBalancer controller, kube-proxy (iptables or IPVS), CoreDNS and
 * ingress-nginx (with its status sync), plus their kube-system objects; returns the probes —
 * DNS, HTTP(S) and TCP from a pod or from outside, each with its trace.
 */
import type { ClusterContext } from './runtime/context.ts';
import type { WorkloadOps } from './install-workloads.ts';
import type { DnsQuery, DnsResult, HttpProbe, HttpResult, TcpProbe, TcpResult } from '../backend/types.ts';
import type { Pod, Service } from './api/types.ts';
import { markShared } from './fork/clone.ts';
import type { PathDeps } from './network/probe/path.ts';
import type { Announcement } from './controllers/loadbalancer/l2.ts';
import { StoreNetworkState } from './network/state.ts';
import { WorkloadPodRuntime, containerRunning } from './network/runtime.ts';
import { systemNetworkObjects } from './network/system.ts';
import { isControlPlane, isPodReady } from './network/objects.ts';
import { SelectorIndex } from './controllers/endpointslice/selector-index.ts';
import { EndpointSliceController, EndpointSliceMirroringController, EndpointsController } from './controllers/endpointslice/controller.ts';
import { LoadBalancerController } from './controllers/loadbalancer/controller.ts';
import { announcingNode } from './controllers/loadbalancer/l2.ts';
import { IptablesBalancer } from './network/kubeproxy/iptables.ts';
import { IpvsBalancer } from './network/kubeproxy/ipvs.ts';
import { KubeProxy } from './network/kubeproxy/proxy.ts';
import { CoreDns } from './network/dns/handler.ts';
import { PodResolver } from './network/dns/resolver.ts';
import { IngressNginx } from './network/ingress/router.ts';
import { CONTROLLER_IMAGE, CONTROLLER_LABELS, INGRESS_NAMESPACE, controllerImage, installIngressNginx } from './network/ingress/install.ts';
import { IngressStatusController } from './network/ingress/status.ts';
import { PacketPath } from './network/probe/path.ts';
import { Prober } from './network/probe/probe.ts';
import { registerProcessNetwork } from './nodes/state.ts';

export interface SimNetwork {
  dns(q: DnsQuery): DnsResult;
  http(p: HttpProbe): HttpResult;
  tcp(p: TcpProbe): TcpResult;
  /** Objects the network install could not create (empty when all went well). */
  readonly installProblems?: readonly string[];
}

// Pure and module-level: forks of a cluster may share it (grader/sim/fork). Asked for every
// request that reaches a pod, so a plain loop over the labels rather than entries + every.
const CONTROLLER_LABEL_LIST: readonly (readonly [string, string])[] = Object.entries(CONTROLLER_LABELS);
const isIngressPod = markShared((p: Pod) => {
  if (p.metadata.namespace !== INGRESS_NAMESPACE) return false;
  const labels = p.metadata.labels;
  for (const [k, v] of CONTROLLER_LABEL_LIST) if (labels?.[k] !== v) return false;
  return true;
});

/**
 * What the packet path and the status sync need from the rest of the network: LoadBalancer
 * announcements, kind's host port mappings, whether an ingress controller pod is ready. A
 * class with its state in fields rather than closures, so that a forked cluster copies it.
 */
class NetworkWiring implements PathDeps {
  readonly podCIDR: string;
  constructor(
    private readonly ctx: ClusterContext,
    readonly state: StoreNetworkState,
    readonly proxy: KubeProxy,
    readonly runtime: WorkloadPodRuntime,
  ) {
    this.podCIDR = ctx.config.podCIDR;
  }

  nodeUp(name: string): boolean {
    return this.runtime.nodeUp(name);
  }

  announcer(svc: Service, ip: string): Announcement {
    return announcingNode(this.state, svc, ip, (n) => this.runtime.nodeUp(n));
  }

  // kind's ingress guide maps host ports 80/443 to the control-plane node (extraPortMappings).
  hostPortMappings(): { hostPort: number; node: string; nodePort: number }[] {
    const cp = this.state.nodes().find(isControlPlane)?.metadata.name;
    return this.ctx.config.ingressNginx && cp ? [{ hostPort: 80, node: cp, nodePort: 80 }, { hostPort: 443, node: cp, nodePort: 443 }] : [];
  }

  ingressControllerReady(): boolean {
    return (this.ctx.store.list('Pod', INGRESS_NAMESPACE) as Pod[]).some((p) => isIngressPod(p) && isPodReady(p) && (p.spec.containers ?? []).every((c) => containerRunning(p, c)));
  }
}

/** The probes, delegating to the prober (a class, for the same reason as NetworkWiring). */
class ClusterNetwork implements SimNetwork {
  constructor(
    private readonly prober: Prober,
    readonly installProblems: readonly string[],
  ) {}
  dns(q: DnsQuery): DnsResult {
    return this.prober.dns(q);
  }
  http(p: HttpProbe): HttpResult {
    return this.prober.http(p);
  }
  tcp(p: TcpProbe): TcpResult {
    return this.prober.tcp(p);
  }
}

export function installNetwork(ctx: ClusterContext, workloads: WorkloadOps): SimNetwork {
  const cfg = ctx.config;
  const state = new StoreNetworkState(ctx.store);
  const index = new SelectorIndex(ctx.store);
  const runtime = new WorkloadPodRuntime(ctx, state, workloads);

  ctx.controllers.register(new EndpointSliceController(ctx, state, index));
  ctx.controllers.register(new EndpointsController(ctx, index));
  ctx.controllers.register(new EndpointSliceMirroringController(ctx, state));
  const balancer = cfg.proxyMode === 'ipvs' ? new IpvsBalancer(ctx.clock, ctx.rng.fork('kube-proxy')) : new IptablesBalancer(ctx.clock, ctx.rng.fork('kube-proxy'));
  const wiring = new NetworkWiring(ctx, state, new KubeProxy(state, balancer), runtime);
  ctx.controllers.register(new LoadBalancerController(ctx, state, wiring));
  // Services created before the controllers were registered (bootstrap) need a first sync.
  for (const s of ctx.store.list('Service')) {
    const key = `${s.metadata.namespace}/${s.metadata.name}`;
    for (const c of ['endpointslice', 'endpoints', 'endpointslicemirroring', 'loadbalancer']) ctx.controllers.enqueue(c, key);
  }

  const problems: string[] = [];
  for (const o of systemNetworkObjects(cfg)) {
    if (ctx.store.get(o.kind, o.metadata.namespace, o.metadata.name)) continue;
    try {
      ctx.api.create(o);
    } catch (err) {
      problems.push(`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${(err as Error).message}`);
    }
  }

  const coredns = new CoreDns(state, cfg.clusterDomain, ctx.rng.fork('coredns-loadbalance'));
  const resolver = new PodResolver(coredns, { dnsServiceIP: cfg.dnsServiceIP, clusterDomain: cfg.clusterDomain });

  let ingress: IngressNginx | undefined;
  if (cfg.ingressNginx) {
    if (!workloads.images.lookup(CONTROLLER_IMAGE)) workloads.images.register(controllerImage);
    ingress = new IngressNginx(ctx.store, state, ctx.rng.fork('ingress-nginx'));
    problems.push(...installIngressNginx(ctx));
    ctx.controllers.register(new IngressStatusController(ctx, ingress, wiring));
  }

  const path = new PacketPath(wiring);
  const prober = new Prober({ ctx, state, runtime, resolver, path, ingress, isIngressPod });
  registerProcessNetwork(ctx, prober);

  return new ClusterNetwork(prober, problems);
}
