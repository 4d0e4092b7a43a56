/**
 * kube-proxy's Service handling on one node, as a function of the packet: which Service (if
 * any) owns the destination, which endpoints the traffic policies allow, and the answer:
 * forward to an endpoint, REJECT (no endpoints at all → `connection refused` at once) or DROP
 * (endpoints exist but none usable here under a Local policy → the client times out).
 * Follows k8s pkg/proxy/iptables/proxier.go (syncProxyRules); the choice among endpoints is
 * the Balancer's (iptables random or IPVS rr).
 */
import type { TraceHop } from '../../../backend/types.ts';
import type { Service, ServicePort } from '../../api/types.ts';
import type { NetworkState } from '../state.ts';
import { portProtocol, serviceType } from '../objects.ts';
import type { BackendEndpoint, Balancer } from './balancer.ts';
import { type Categorized, type ProxyEndpoint, categorize, servicePortEndpoints } from './endpoints.ts';

export type Entry = 'clusterIP' | 'nodePort' | 'loadBalancer' | 'externalIP';

export interface ProxyRequest {
  dstIP: string;
  dstPort: number;
  protocol?: 'TCP' | 'UDP';
  clientIP: string;
  /** The node whose rules the packet meets: the client pod's node, or the node that received it from outside. */
  node: string | undefined;
  /** Pod-originated traffic to external addresses is short-circuited to Cluster policy (KUBE-EXT "pod traffic" rule). */
  fromPod: boolean;
  connectionKey?: string;
}

export type ProxyDecision =
  | { kind: 'none' }
  | { kind: 'forward'; service: Service; port: ServicePort; entry: Entry; endpoint: BackendEndpoint; trace: TraceHop[] }
  | { kind: 'refused'; service: Service; trace: TraceHop[] }
  | { kind: 'dropped'; service: Service; trace: TraceHop[] };

/** Default ClientIP affinity timeout (sessionAffinityConfig.clientIP.timeoutSeconds). */
export const DEFAULT_AFFINITY_TIMEOUT = 10800;

const svcName = (s: Service) => `${s.metadata.namespace}/${s.metadata.name}`;

/** The Service port a destination port (and protocol) enters by. */
function portOf(s: Service, dstPort: number, protocol: string): ServicePort | undefined {
  for (const p of s.spec.ports ?? []) if (p.port === dstPort && portProtocol(p) === protocol) return p;
  return undefined;
}

/** How the destination belongs to the Service, for the trace. */
function entryWords(entry: Entry, sp: ServicePort, service: Service, node: string | undefined): string {
  switch (entry) {
    case 'clusterIP': return `is the ClusterIP of Service ${svcName(service)}`;
    case 'nodePort': return `is NodePort ${sp.nodePort} of Service ${svcName(service)} on node ${node}`;
    case 'loadBalancer': return `is the LoadBalancer IP of Service ${svcName(service)}`;
    case 'externalIP': return `is an externalIP of Service ${svcName(service)}`;
  }
}

interface RuleWords {
  entry: Entry;
  dstIP: string;
  dstPort: number;
  node: string | undefined;
  protocol: string;
  /** The trace line naming the rule the packet matched. */
  line: string;
  /** The balancer's scopes (PickRequest.servicePort, .virtualServer). */
  servicePort: string;
  virtualServer: string;
}

/**
 * The strings of a matched rule, kept per Service port (part of a stored object, which never
 * changes: a new version is a new object, so the words cannot go stale) for the last destination it was entered by: a distribution check enters
 * the same rule hundreds of times, and building these strings was most of a request's
 * allocations in kube-proxy.
 */
const ruleWordsCache = new WeakMap<ServicePort, RuleWords>();
function ruleWords(sp: ServicePort, service: Service, entry: Entry, dstIP: string, dstPort: number, node: string | undefined, protocol: string): RuleWords {
  const hit = ruleWordsCache.get(sp);
  if (hit && hit.entry === entry && hit.dstIP === dstIP && hit.dstPort === dstPort && hit.node === node && hit.protocol === protocol) return hit;
  const where = `${dstIP}:${dstPort}`;
  const w: RuleWords = {
    entry, dstIP, dstPort, node, protocol,
    line: `${where} ${entryWords(entry, sp, service, node)} (port ${sp.port} → targetPort ${sp.targetPort ?? sp.port})`,
    servicePort: `${svcName(service)}:${sp.name ?? ''}`,
    virtualServer: `${where}/${protocol}`,
  };
  ruleWordsCache.set(sp, w);
  return w;
}

/**
 * categorize() per merged endpoint list and node. The lists are shared and frozen until the
 * network state moves (servicePortEndpoints), so their split by policy is too; callers only
 * read the arrays.
 */
const categorized = new WeakMap<readonly ProxyEndpoint[], Map<string, Categorized>>();
function categorizeCached(all: readonly ProxyEndpoint[], node: string | undefined): Categorized {
  let byNode = categorized.get(all);
  if (!byNode) categorized.set(all, (byNode = new Map()));
  const k = node ?? '';
  let c = byNode.get(k);
  if (!c) byNode.set(k, (c = categorize(all, node)));
  return c;
}

export class KubeProxy {
  constructor(
    private readonly state: NetworkState,
    readonly balancer: Balancer,
  ) {}

  get mode(): 'iptables' | 'ipvs' {
    return this.balancer.mode;
  }

  /** Which Service rule (if any) matches this destination, before choosing an endpoint. */
  match(dstIP: string, dstPort: number, protocol = 'TCP'): { service: Service; entry: Entry; port?: ServicePort } | undefined {
    const cip = this.state.serviceByClusterIP(dstIP);
    if (cip && serviceType(cip) !== 'ExternalName') return { service: cip, entry: 'clusterIP', port: portOf(cip, dstPort, protocol) };
    const lb = this.state.serviceByLoadBalancerIP(dstIP);
    if (lb && serviceType(lb) === 'LoadBalancer') return { service: lb, entry: 'loadBalancer', port: portOf(lb, dstPort, protocol) };
    for (const s of this.state.servicesByExternalIP(dstIP)) {
      const p = portOf(s, dstPort, protocol);
      if (p) return { service: s, entry: 'externalIP', port: p };
    }
    if (this.state.nodeByIP(dstIP)) {
      const np = this.state.serviceByNodePort(dstPort, protocol);
      if (np && (serviceType(np) === 'NodePort' || serviceType(np) === 'LoadBalancer')) {
        return { service: np, entry: 'nodePort', port: (np.spec.ports ?? []).find((p) => p.nodePort === dstPort && portProtocol(p) === protocol) };
      }
    }
    return undefined;
  }

  route(req: ProxyRequest): ProxyDecision {
    const protocol = req.protocol ?? 'TCP';
    const m = this.match(req.dstIP, req.dstPort, protocol);
    if (!m) return { kind: 'none' };
    const { service, entry } = m;
    const trace: TraceHop[] = [];
    if (!m.port) {
      trace.push({ component: 'service', detail: `${req.dstIP}:${req.dstPort}: Service ${svcName(service)} has no port ${req.dstPort}/${protocol}, so no rule matches and nothing answers` });
      return { kind: 'dropped', service, trace };
    }
    const sp = m.port;
    const words = ruleWords(sp, service, entry, req.dstIP, req.dstPort, req.node, protocol);
    trace.push({ component: 'service', detail: words.line });

    const all = servicePortEndpoints(this.state, service, sp);
    const c = categorizeCached(all, req.node);
    let policy: 'Cluster' | 'Local' = 'Cluster';
    let policyName = '';
    if (entry === 'clusterIP') {
      policy = service.spec.internalTrafficPolicy === 'Local' ? 'Local' : 'Cluster';
      policyName = 'internalTrafficPolicy';
    } else if (!req.fromPod) {
      policy = service.spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster';
      policyName = 'externalTrafficPolicy';
    }
    if (!c.hasAny) {
      trace.push({
        component: 'kube-proxy',
        detail: `Service ${svcName(service)} has no ready endpoints for port ${sp.port}, so kube-proxy's REJECT rule answers "connection refused" at once`,
      });
      return { kind: 'refused', service, trace };
    }
    const usable = policy === 'Local' ? c.local : c.cluster;
    if (usable.length === 0) {
      trace.push({
        component: 'kube-proxy',
        detail: `${policyName}: Local and node ${req.node ?? '(none)'} has no ready endpoint of ${svcName(service)}, so the packet is dropped and the client times out`,
      });
      return { kind: 'dropped', service, trace };
    }
    if (policy === 'Local') {
      trace.push({ component: 'kube-proxy', detail: `${policyName}: Local: only the ${usable.length} endpoint(s) on node ${req.node} are used${entry !== 'clusterIP' ? ', and the client source IP is kept' : ''}` });
    } else if (entry === 'nodePort' || ((entry === 'loadBalancer' || entry === 'externalIP') && !req.fromPod)) {
      trace.push({ component: 'kube-proxy', detail: `externalTrafficPolicy: Cluster: any node forwards to any endpoint, source-NATed to node ${req.node}'s IP` });
    }
    if ((policy === 'Local' && c.localTerminatingFallback) || (policy === 'Cluster' && c.clusterTerminatingFallback)) {
      trace.push({ component: 'kube-proxy', detail: 'no endpoint is ready, so kube-proxy falls back to endpoints that are terminating but still serving' });
    }
    const affinity = service.spec.sessionAffinity === 'ClientIP'
      ? service.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT
      : undefined;
    const pick = this.balancer.pick({
      servicePort: words.servicePort,
      virtualServer: words.virtualServer,
      endpoints: usable,
      clientIP: req.clientIP,
      connectionKey: req.connectionKey,
      affinityTimeoutSeconds: affinity,
    })!;
    trace.push({ component: 'kube-proxy', detail: pick.detail });
    return { kind: 'forward', service, port: sp, entry, endpoint: pick.endpoint, trace };
  }
}
