/**
 * Reads of the cluster that several operations share, all through the Backend so they work
 * on sim and kind alike. Lists come back sorted by (namespace, name) for stable messages.
 */
import { compareStrings } from '../../util/compare.ts';
import type { Backend } from '../../backend/types.ts';
import type { EndpointSlice, KubeObject, Labels, Node, Pod, Service } from '../../sim/api/types.ts';
import { labelsMatch } from './refs.ts';

const byName = (a: KubeObject, b: KubeObject) =>
  compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);

export async function podsMatching(backend: Backend, namespace: string, selector: Labels): Promise<Pod[]> {
  const pods = (await backend.list('Pod', namespace)) as Pod[];
  return pods.filter((p) => labelsMatch(selector, p.metadata.labels)).sort(byName);
}

export async function getService(backend: Backend, namespace: string, name: string): Promise<Service | undefined> {
  return (await backend.get({ kind: 'Service', namespace, name })) as Service | undefined;
}

export interface EndpointView {
  ip: string;
  ready: boolean;
  pod?: string;
  node?: string;
}

/** Endpoints of a Service from its EndpointSlices (label kubernetes.io/service-name), sorted by IP. */
export async function serviceEndpoints(backend: Backend, namespace: string, service: string): Promise<EndpointView[]> {
  const slices = ((await backend.list('EndpointSlice', namespace)) as EndpointSlice[]).filter(
    (s) => s.metadata.labels?.['kubernetes.io/service-name'] === service,
  );
  const seen = new Map<string, EndpointView>();
  for (const s of slices) {
    for (const e of s.endpoints ?? []) {
      // discovery.k8s.io/v1: a nil `ready` is an unknown state that consumers treat as ready.
      const ready = e.conditions?.ready !== false;
      for (const ip of e.addresses ?? []) {
        const prev = seen.get(ip);
        if (prev && prev.ready) continue;
        const v: EndpointView = { ip, ready };
        if (e.targetRef?.kind === 'Pod') v.pod = e.targetRef.name;
        if (e.nodeName) v.node = e.nodeName;
        seen.set(ip, v);
      }
    }
  }
  return [...seen.values()].sort((a, b) => compareIPs(a.ip, b.ip));
}

export async function readyEndpointIPs(backend: Backend, namespace: string, service: string): Promise<string[]> {
  return (await serviceEndpoints(backend, namespace, service)).filter((e) => e.ready).map((e) => e.ip);
}

export function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  if (pa.length === 4 && pb.length === 4 && pa.every(Number.isFinite) && pb.every(Number.isFinite)) {
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function nodeInternalIP(node: Node): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

export function nodeReady(node: Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export async function listNodes(backend: Backend): Promise<Node[]> {
  return ((await backend.list('Node')) as Node[]).sort(byName);
}

export function sortByName<T extends KubeObject>(objs: T[]): T[] {
  return [...objs].sort(byName);
}
