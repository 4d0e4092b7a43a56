/**
 * The EndpointSlice controller's pure part (k8s pkg/controller/endpointslice/reconciler.go and
 * staging/src/k8s.io/endpointslice/utils.go): from a Service and the pods it selects, the
 * endpoints grouped by their resolved port set, then a diff against the existing slices.
 */
import { jsonEqual } from '../../api/json-equal.ts';
import type { Endpoint, EndpointSlice, Pod, Service } from '../../api/types.ts';
import { ipToInt } from '../../network/ip.ts';
import { compareStrings } from '../../../util/compare.ts';
import {
  HEADLESS_LABEL, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, isHeadless, isPodReady, isPodTerminal, podIP, portProtocol, resolveTargetPort,
} from '../../network/objects.ts';

export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointGroup {
  /** Stable identity of the port set (pods resolving named ports differently get different groups). */
  portKey: string;
  ports: SlicePort[];
  /** address → endpoint */
  endpoints: Map<string, Endpoint>;
}

export function portKeyOf(ports: readonly { name?: string; port?: number; protocol?: string; appProtocol?: string }[] | undefined): string {
  return (ports ?? [])
    .map((p) => `${p.name ?? ''}/${p.port ?? ''}/${p.protocol ?? 'TCP'}/${p.appProtocol ?? ''}`)
    .sort()
    .join(',');
}

/** getEndpointPorts: each Service port resolved against this pod; ports that do not resolve are left out. */
export function endpointPorts(svc: Service, pod: Pod): SlicePort[] {
  const out: SlicePort[] = [];
  for (const sp of svc.spec.ports ?? []) {
    const port = resolveTargetPort(pod, sp);
    if (port === undefined) continue;
    const p: SlicePort = { name: sp.name ?? '', port, protocol: portProtocol(sp) };
    if (sp.appProtocol) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

/** podToEndpoint: conditions, hostname, nodeName and targetRef as the controller writes them. */
export function podToEndpoint(svc: Service, pod: Pod, zone?: string): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ep: Endpoint = {
    addresses: [podIP(pod)!],
    conditions: { ready: !!svc.spec.publishNotReadyAddresses || (serving && !terminating), serving, terminating },
  };
  // Only a pod that asked for it gets a DNS hostname: hostname set and subdomain == Service name.
  if (pod.spec.hostname && pod.spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace) {
    ep.hostname = pod.spec.hostname;
  }
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  if (zone) ep.zone = zone;
  return ep;
}

/** ShouldPodBeInEndpoints(pod, includeTerminating=true): terminal and IP-less pods are out, terminating pods stay. */
export function podBelongsInSlices(pod: Pod): boolean {
  return !isPodTerminal(pod) && !!podIP(pod);
}

export function desiredGroups(svc: Service, pods: readonly Pod[], zoneOf: (node: string) => string | undefined = () => undefined): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  for (const pod of pods) {
    if (!podBelongsInSlices(pod)) continue;
    const ports = endpointPorts(svc, pod);
    const key = portKeyOf(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { portKey: key, ports, endpoints: new Map() }));
    const ep = podToEndpoint(svc, pod, pod.spec.nodeName ? zoneOf(pod.spec.nodeName) : undefined);
    g.endpoints.set(ep.addresses[0]!, ep);
  }
  return [...groups.values()].sort((a, b) => (a.portKey < b.portKey ? -1 : a.portKey > b.portKey ? 1 : 0));
}

export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

export function sliceLabels(svc: Service, managedBy: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if (k === SERVICE_NAME_LABEL || k === MANAGED_BY_LABEL || k === HEADLESS_LABEL) continue;
    labels[k] = v;
  }
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = svc.metadata.name;
  labels[MANAGED_BY_LABEL] = managedBy;
  return labels;
}

/**
 * Sorts in place by address in network/ip.ts compareIps's order, parsing each item's address
 * once (on first use) rather than twice per comparison: this sort runs on every sync.
 */
export function sortByAddress<T>(items: T[], addressOf: (x: T) => string): T[] {
  const keys = new Map<T, number>();
  const key = (x: T): number => {
    let k = keys.get(x);
    if (k === undefined) keys.set(x, (k = ipToInt(addressOf(x)) ?? 0));
    return k;
  };
  return items.sort((a, b) => key(a) - key(b) || compareStrings(addressOf(a), addressOf(b)));
}

function sortEndpoints(eps: Endpoint[]): Endpoint[] {
  return sortByAddress(eps, (e) => e.addresses[0]!);
}

function sameContent(a: EndpointSlice, b: EndpointSlice): boolean {
  return jsonEqual(a.endpoints, b.endpoints) && jsonEqual(a.ports ?? [], b.ports ?? []) && jsonEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {});
}

/**
 * Diff desired endpoint groups against the slices this controller owns. Like upstream, it
 * minimises churn: an endpoint stays in the slice it is in, new endpoints fill slices with
 * room before new slices are made, and a Service with no endpoints keeps one empty
 * placeholder slice. Slices are made with generateName `<service>-`.
 */
export function reconcileSlices(
  svc: Service,
  groups: readonly EndpointGroup[],
  existing: readonly EndpointSlice[],
  opts: { managedBy: string; ownerKind?: string; ownerApiVersion?: string; ownerName?: string; ownerUid?: string; max?: number } ,
): SlicePlan {
  const max = opts.max ?? MAX_ENDPOINTS_PER_SLICE;
  const labels = sliceLabels(svc, opts.managedBy);
  const owner = opts.ownerUid !== undefined || opts.ownerKind
    ? [{ apiVersion: opts.ownerApiVersion ?? 'v1', kind: opts.ownerKind ?? 'Service', name: opts.ownerName ?? svc.metadata.name, uid: opts.ownerUid ?? svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }]
    : undefined;
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const byKey = new Map<string, EndpointSlice[]>();
  for (const s of [...existing].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
    const k = portKeyOf(s.ports);
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k)!.push(s);
  }
  const recyclable: EndpointSlice[] = [];
  const desiredKeys = new Set(groups.filter((g) => g.endpoints.size > 0).map((g) => g.portKey));
  for (const [k, slices] of byKey) if (!desiredKeys.has(k)) recyclable.push(...slices);

  const finish = (orig: EndpointSlice | undefined, ports: SlicePort[], eps: Endpoint[]) => {
    // Only top-level fields of the copy and of its metadata are replaced below, and update()
    // copies what it is given: a shallow copy of the stored slice is enough.
    const next: EndpointSlice = orig
      ? { ...orig, metadata: { ...orig.metadata } }
      : {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name: '', generateName: `${svc.metadata.name.slice(0, 57)}-`, namespace: svc.metadata.namespace },
          addressType: 'IPv4',
          endpoints: [],
        };
    next.metadata.labels = labels;
    if (owner) next.metadata.ownerReferences = owner;
    next.ports = ports.map((p) => ({ ...p }));
    next.endpoints = sortEndpoints(eps);
    if (!orig) plan.create.push(next);
    else if (!sameContent(orig, next) || !jsonEqual(orig.metadata.ownerReferences ?? null, next.metadata.ownerReferences ?? null)) plan.update.push(next);
  };

  let total = 0;
  for (const g of groups) {
    if (g.endpoints.size === 0) continue;
    total += g.endpoints.size;
    const placed = new Set<string>();
    const fills: { orig: EndpointSlice; eps: Endpoint[] }[] = [];
    for (const s of byKey.get(g.portKey) ?? []) {
      const kept: Endpoint[] = [];
      for (const e of s.endpoints ?? []) {
        const addr = e.addresses[0]!;
        const want = g.endpoints.get(addr);
        if (want && !placed.has(addr) && kept.length < max) {
          kept.push(want);
          placed.add(addr);
        }
      }
      fills.push({ orig: s, eps: kept });
    }
    const fresh = sortEndpoints([...g.endpoints.values()].filter((e) => !placed.has(e.addresses[0]!)));
    for (const f of fills) while (fresh.length && f.eps.length < max) f.eps.push(fresh.shift()!);
    for (const f of fills) {
      if (f.eps.length === 0) recyclable.push(f.orig);
      else finish(f.orig, g.ports, f.eps);
    }
    while (fresh.length) finish(recyclable.shift(), g.ports, fresh.splice(0, max));
  }
  if (total === 0) {
    // The placeholder: a Service with no endpoints still has one (empty) slice.
    const keep = recyclable.shift();
    finish(keep, [], []);
  }
  plan.delete.push(...recyclable);
  return plan;
}
