/**
 * Installs the cluster's networking: the EndpointSlice, Endpoints and mirroring controllers,
 * the MetalLB-style LoadBalancer controller, kube-proxy (iptables or IPVS), CoreDNS and
 * ingress-nginx (with its status sync), plus their kube-system objects; returns the probes —
 * DNS, HTTP(S) and TCP from a pod or from outside, each with its trace.
 */
import type { ClusterContext } from './runtime/context.ts';
import type { WorkloadOps } from './install-workloads.ts';
import type { DnsQuery, DnsResult, HttpProbe, HttpResult, TcpProbe, TcpResult } from '../backend/types.ts';
import type { Pod } from './api/types.ts';
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

const isIngressPod = (p: Pod) =>
  p.metadata.namespace === INGRESS_NAMESPACE &&
  Object.entries(CONTROLLER_LABELS).every(([k, v]) => p.metadata.labels?.[k] === v);

export function installNetwork(ctx: ClusterContext, workloads: WorkloadOps): SimNetwork {
  const cfg = ctx.config;
  const state = new StoreNetworkState(ctx.store);
  const index = new SelectorIndex(ctx.store);
  const runtime = new WorkloadPodRuntime(ctx, state, workloads);
  const nodeUp = (n: string) => runtime.nodeUp(n);

  ctx.controllers.register(new EndpointSliceController(ctx, state, index));
  ctx.controllers.register(new EndpointsController(ctx, index));
  ctx.controllers.register(new EndpointSliceMirroringController(ctx, state));
  ctx.controllers.register(new LoadBalancerController(ctx, state, nodeUp));
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

  const balancer = cfg.proxyMode === 'ipvs' ? new IpvsBalancer(ctx.clock, ctx.rng.fork('kube-proxy')) : new IptablesBalancer(ctx.clock, ctx.rng.fork('kube-proxy'));
  const proxy = new KubeProxy(state, balancer);
  const coredns = new CoreDns(state, cfg.clusterDomain, ctx.rng.fork('coredns-loadbalance'));
  const resolver = new PodResolver(coredns, { dnsServiceIP: cfg.dnsServiceIP, clusterDomain: cfg.clusterDomain });

  let ingress: IngressNginx | undefined;
  if (cfg.ingressNginx) {
    if (!workloads.images.lookup(CONTROLLER_IMAGE)) workloads.images.register(controllerImage);
    ingress = new IngressNginx(ctx.store, state, ctx.rng.fork('ingress-nginx'));
    problems.push(...installIngressNginx(ctx));
    const controllerReady = () =>
      (ctx.store.list('Pod', INGRESS_NAMESPACE) as Pod[]).some((p) => isIngressPod(p) && isPodReady(p) && (p.spec.containers ?? []).every((c) => containerRunning(p, c)));
    ctx.controllers.register(new IngressStatusController(ctx, ingress, controllerReady));
  }

  const controlPlane = () => state.nodes().find(isControlPlane)?.metadata.name;
  const path = new PacketPath({
    state,
    proxy,
    runtime,
    announcer: (svc, ip) => announcingNode(state, svc, ip, nodeUp),
    // kind's ingress guide maps host ports 80/443 to the control-plane node (extraPortMappings).
    hostPortMappings: () => {
      const cp = controlPlane();
      return cfg.ingressNginx && cp ? [{ hostPort: 80, node: cp, nodePort: 80 }, { hostPort: 443, node: cp, nodePort: 443 }] : [];
    },
    podCIDR: cfg.podCIDR,
  });
  const prober = new Prober({ ctx, state, runtime, resolver, path, ingress, isIngressPod });
  registerProcessNetwork(ctx, (pod) => prober.processNetwork(pod));

  return {
    dns: (q) => prober.dns(q),
    http: (p) => prober.http(p),
    tcp: (p) => prober.tcp(p),
    installProblems: problems,
  };
}
