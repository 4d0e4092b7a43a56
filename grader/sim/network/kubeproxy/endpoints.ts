/**
 * The endpoints kube-proxy programs for one Service port: merged from every EndpointSlice of
 * the Service (controller-made, mirrored or user-made) by port name and protocol, then split
 * by traffic policy exactly as k8s pkg/proxy/topology.go CategorizeEndpoints does (topology
 * hints aside): Ready endpoints, falling back to serving+terminating ones when none are Ready.
 */
import type { Service, ServicePort } from '../../api/types.ts';
import type { NetworkState } from '../state.ts';
import { compareIps } from '../ip.ts';
import { portProtocol } from '../objects.ts';
import type { BackendEndpoint } from './balancer.ts';

export interface ProxyEndpoint extends BackendEndpoint {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /**
   * ingress-nginx only: the upstream of an ExternalName Service is this DNS name (or address),
   * which its balancer resolves when it proxies; `ip` is then empty.
   */
  externalName?: string;
}

/**
 * Merged endpoints per state and Service port, valid while `state.version` stands (it moves on
 * every Service, EndpointSlice, Pod or Node change). Probes ask for the same Service port
 * hundreds of times between two changes (a distribution check), and merging plus sorting by
 * IP was most of a request's cost. Entries are frozen: every caller shares them.
 */
const endpointCache = new WeakMap<NetworkState, { version: number; byPort: WeakMap<ServicePort, readonly ProxyEndpoint[]> }>();

export function servicePortEndpoints(state: NetworkState, svc: Service, sp: ServicePort): readonly ProxyEndpoint[] {
  let c = endpointCache.get(state);
  if (!c || c.version !== state.version) endpointCache.set(state, (c = { version: state.version, byPort: new WeakMap() }));
  // Keyed by the port object itself: it belongs to one stored version of the Service (the
  // apiserver stores copies), and any Service write moves state.version, which drops the cache.
  let hit = c.byPort.get(sp);
  if (!hit) c.byPort.set(sp, (hit = Object.freeze(mergeEndpoints(state, svc, sp).map((e) => Object.freeze(e)))));
  return hit;
}

function mergeEndpoints(state: NetworkState, svc: Service, sp: ServicePort): ProxyEndpoint[] {
  const name = sp.name ?? '';
  const proto = portProtocol(sp);
  const seen = new Map<string, ProxyEndpoint>();
  for (const slice of state.slicesFor(svc.metadata.namespace!, svc.metadata.name)) {
    if (slice.addressType && slice.addressType !== 'IPv4') continue;
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === name && (p.protocol ?? 'TCP') === proto);
    if (!port || port.port === undefined) continue;
    for (const e of slice.endpoints ?? []) {
      const ip = e.addresses?.[0];
      if (!ip) continue;
      // Unset conditions mean ready (and serving), as the API documents.
      const ready = e.conditions?.ready ?? true;
      const ep: ProxyEndpoint = {
        ip,
        port: port.port,
        ready,
        serving: e.conditions?.serving ?? ready,
        terminating: e.conditions?.terminating ?? false,
      };
      if (e.nodeName) ep.nodeName = e.nodeName;
      if (e.targetRef?.kind === 'Pod') ep.pod = { namespace: e.targetRef.namespace ?? svc.metadata.namespace!, name: e.targetRef.name };
      if (!seen.has(`${ip}:${port.port}`)) seen.set(`${ip}:${port.port}`, ep);
    }
  }
  return [...seen.values()].sort((a, b) => compareIps(a.ip, b.ip) || a.port - b.port);
}

export interface Categorized {
  cluster: ProxyEndpoint[];
  local: ProxyEndpoint[];
  /** Any usable endpoint anywhere: false means REJECT (connection refused). */
  hasAny: boolean;
  /** True when the local set had to fall back to serving+terminating endpoints. */
  localTerminatingFallback: boolean;
  clusterTerminatingFallback: boolean;
}

export function categorize(endpoints: readonly ProxyEndpoint[], node: string | undefined): Categorized {
  let cluster = endpoints.filter((e) => e.ready);
  let clusterTerminatingFallback = false;
  if (cluster.length === 0) {
    cluster = endpoints.filter((e) => e.serving && e.terminating);
    clusterTerminatingFallback = cluster.length > 0;
  }
  const isLocal = (e: ProxyEndpoint) => !!node && e.nodeName === node;
  let local = endpoints.filter((e) => isLocal(e) && e.ready);
  let localTerminatingFallback = false;
  if (local.length === 0) {
    local = endpoints.filter((e) => isLocal(e) && e.serving && e.terminating);
    localTerminatingFallback = local.length > 0;
  }
  const hasAny = endpoints.some((e) => e.ready || (e.serving && e.terminating));
  return { cluster, local, hasAny, localTerminatingFallback, clusterTerminatingFallback };
}
