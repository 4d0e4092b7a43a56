/**
 * Legacy v1 Endpoints, both directions:
 * - desiredEndpoints: what the endpoints controller (k8s pkg/controller/endpoint) writes for a
 *   Service with a selector, so `kubectl get endpoints` shows what it shows on kind;
 * - groupsFromEndpoints: how the mirroring controller (k8s pkg/controller/endpointslicemirroring)
 *   turns user-written Endpoints of a selector-less Service into EndpointSlice endpoints.
 */
import { jsonEqual } from '../../api/json-equal.ts';
import type { Endpoint, KubeObject, Pod, Service } from '../../api/types.ts';
import { HEADLESS_LABEL, isHeadless, isPodReady, isPodTerminal, podIP, portProtocol, resolveTargetPort } from '../../network/objects.ts';
import { type EndpointGroup, type SlicePort, portKeyOf, sortByAddress } from './reconcile.ts';

/** Upstream truncates legacy Endpoints at this many addresses (annotation endpoints.kubernetes.io/over-capacity). */
export const MAX_LEGACY_ADDRESSES = 1000;

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace?: string; name: string; uid?: string };
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: { name?: string; port: number; protocol?: string; appProtocol?: string }[];
}

export interface EndpointsObject extends KubeObject {
  kind: 'Endpoints';
  subsets?: EndpointSubset[];
}

export function desiredEndpoints(svc: Service, pods: readonly Pod[]): EndpointsObject {
  const tolerateUnready = !!svc.spec.publishNotReadyAddresses;
  // per port → (ready, notReady) address maps
  const perPort = new Map<string, { port: SlicePort; ready: Map<string, EndpointAddress>; notReady: Map<string, EndpointAddress> }>();
  const headlessNoPorts = isHeadless(svc) && (svc.spec.ports ?? []).length === 0;
  for (const pod of pods) {
    const ip = podIP(pod);
    // ShouldPodBeInEndpoints(pod, includeTerminating=publishNotReadyAddresses)
    if (!ip || isPodTerminal(pod)) continue;
    if (pod.metadata.deletionTimestamp && !tolerateUnready) continue;
    const addr: EndpointAddress = { ip };
    if (pod.spec.hostname && pod.spec.subdomain === svc.metadata.name) addr.hostname = pod.spec.hostname;
    if (pod.spec.nodeName) addr.nodeName = pod.spec.nodeName;
    addr.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
    const ready = tolerateUnready || isPodReady(pod);
    const ports: SlicePort[] = headlessNoPorts ? [{ name: '', port: 0, protocol: '' }] : [];
    for (const sp of headlessNoPorts ? [] : svc.spec.ports ?? []) {
      const port = resolveTargetPort(pod, sp);
      if (port !== undefined) ports.push({ name: sp.name ?? '', port, protocol: portProtocol(sp), ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    for (const p of ports) {
      const k = portKeyOf([p]);
      let e = perPort.get(k);
      if (!e) perPort.set(k, (e = { port: p, ready: new Map(), notReady: new Map() }));
      (ready ? e.ready : e.notReady).set(ip, addr);
    }
  }
  // RepackSubsets: ports with identical address sets share a subset.
  const subsets = new Map<string, EndpointSubset>();
  for (const e of [...perPort.values()].sort((a, b) => (portKeyOf([a.port]) < portKeyOf([b.port]) ? -1 : 1))) {
    const ready = sortByAddress([...e.ready.values()], (a) => a.ip);
    const notReady = sortByAddress([...e.notReady.values()], (a) => a.ip);
    const key = JSON.stringify([ready.map((a) => a.ip), notReady.map((a) => a.ip)]);
    let s = subsets.get(key);
    if (!s) {
      s = {};
      if (ready.length) s.addresses = ready;
      if (notReady.length) s.notReadyAddresses = notReady;
      s.ports = [];
      subsets.set(key, s);
    }
    if (!headlessNoPorts) {
      const p = e.port;
      s.ports!.push({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) });
    } else delete s.ports;
  }
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  const out: EndpointsObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels },
    subsets: [...subsets.values()],
  };
  let count = 0;
  for (const s of out.subsets!) count += (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0);
  if (count > MAX_LEGACY_ADDRESSES) {
    out.metadata.annotations = { 'endpoints.kubernetes.io/over-capacity': 'truncated' };
    let left = MAX_LEGACY_ADDRESSES;
    for (const s of out.subsets!) {
      s.addresses = s.addresses?.slice(0, Math.max(0, left));
      left -= s.addresses?.length ?? 0;
      s.notReadyAddresses = s.notReadyAddresses?.slice(0, Math.max(0, left));
      left -= s.notReadyAddresses?.length ?? 0;
    }
  }
  return out;
}

/** The mirroring controller's view: every subset's addresses become endpoints of its port set. */
export function groupsFromEndpoints(ep: EndpointsObject): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  for (const s of ep.subsets ?? []) {
    const ports: SlicePort[] = (s.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
    const key = portKeyOf(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { portKey: key, ports, endpoints: new Map() }));
    const add = (a: EndpointAddress, ready: boolean) => {
      const e: Endpoint = { addresses: [a.ip], conditions: { ready, serving: ready, terminating: false } };
      if (a.hostname) e.hostname = a.hostname;
      if (a.nodeName) e.nodeName = a.nodeName;
      if (a.targetRef) e.targetRef = a.targetRef;
      g!.endpoints.set(a.ip, e);
    };
    for (const a of s.addresses ?? []) add(a, true);
    for (const a of s.notReadyAddresses ?? []) add(a, false);
  }
  return [...groups.values()];
}

export function sameEndpoints(a: EndpointsObject, b: EndpointsObject): boolean {
  return (
    jsonEqual(a.subsets ?? [], b.subsets ?? []) &&
    jsonEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {}) &&
    jsonEqual(a.metadata.annotations ?? {}, b.metadata.annotations ?? {})
  );
}
