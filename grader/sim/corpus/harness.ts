/**
 * Helpers for the real-world corpus suite: load a group's files the way `kubectl apply -f`
 * (optionally `-n NS`) would, build a cluster of the shape the INDEX assumes, and read what a
 * student would look at — ready endpoints from EndpointSlices, pod STATUS as kubectl prints
 * it, DNS answers and HTTP/TCP responses seen from a pod or from outside.
 *
 * Only reads: nothing here changes the cluster except `applyStep`, which goes through
 * SimCluster.apply like any user.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { SimCluster } from '../cluster.ts';
import { loadManifests } from '../../manifests/load.ts';
import type { LoadedDocument } from '../../manifests/types.ts';
import type { KubeObject, Labels, LabelSelector, Pod } from '../api/types.ts';
import { BUILTIN_KINDS } from '../api/kinds.ts';
import { summarizePod } from '../views/index.ts';
import type { DnsResult, HttpResult, ProbeOrigin, TcpResult } from '../../backend/types.ts';
import { DEFAULT_CLUSTER_CONFIG } from '../runtime/context.ts';

/** Where the corpus lives; KUBELAB_CORPUS overrides (the suite skips itself when it is absent). */
export const CORPUS_ROOT = process.env.KUBELAB_CORPUS ?? '/work/shared/corpus/real-world';
export const corpusAvailable = (): boolean => existsSync(path.join(CORPUS_ROOT, 'INDEX.md'));

/** The cluster shapes the INDEX's "expected" lines assume: plain kind, or kind plus an add-on. */
export interface ClusterChoice {
  /** ingress-nginx installed as kind's docs do. */
  ingress: boolean;
  /** A MetalLB-style pool, so LoadBalancer Services get an EXTERNAL-IP. */
  pool: boolean;
  workers?: number;
}

export function newCluster(choice: ClusterChoice, seed = 1): SimCluster {
  return new SimCluster({
    ingressNginx: choice.ingress,
    loadBalancerPool: choice.pool ? DEFAULT_CLUSTER_CONFIG.loadBalancerPool : null,
    workers: choice.workers ?? DEFAULT_CLUSTER_CONFIG.workers,
    seed,
  });
}

const CLUSTER_SCOPED = new Set(BUILTIN_KINDS.filter((k) => !k.namespaced).map((k) => k.kind));

/** `kubectl apply -n NS -f FILE…`: files in the order given; `-n` fills only a missing namespace. */
export async function loadFiles(files: string[], namespace?: string): Promise<LoadedDocument[]> {
  const docs = await loadManifests(files.map((f) => path.join(CORPUS_ROOT, f)));
  if (!namespace) return docs;
  return docs.map((d) => {
    if (CLUSTER_SCOPED.has(d.object.kind) || d.object.metadata?.namespace) return d;
    return { ...d, object: { ...d.object, metadata: { ...d.object.metadata, namespace } } };
  });
}

/** Test-provided objects (a missing Secret, backends for an Ingress) as loaded documents. */
export function inline(objects: KubeObject[]): LoadedDocument[] {
  return objects.map((object, i) => ({ object, file: '(test fixture)', line: i + 1 }));
}

export function matchesSelector(labels: Labels | undefined, sel: Labels | LabelSelector | undefined): boolean {
  if (!sel) return false;
  const ls = sel as LabelSelector;
  const isLabelSelector = 'matchLabels' in ls || 'matchExpressions' in ls;
  const matchLabels: Labels = isLabelSelector ? (ls.matchLabels ?? {}) : (sel as Labels);
  if (!isLabelSelector && Object.keys(matchLabels).length === 0) return false;
  for (const [k, v] of Object.entries(matchLabels)) if (labels?.[k] !== v) return false;
  for (const e of isLabelSelector ? (ls.matchExpressions ?? []) : []) {
    const has = labels !== undefined && e.key in labels;
    const val = labels?.[e.key];
    if (e.operator === 'In' && !(has && e.values?.includes(val!))) return false;
    if (e.operator === 'NotIn' && has && e.values?.includes(val!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** `svc` or `ns/svc` → [namespace, name]. */
export function splitRef(ref: string, defaultNs = 'default'): [string, string] {
  const i = ref.indexOf('/');
  return i < 0 ? [defaultNs, ref] : [ref.slice(0, i), ref.slice(i + 1)];
}

export function service(c: SimCluster, ref: string): KubeObject {
  const [ns, name] = splitRef(ref);
  const s = c.ctx.store.get('Service', ns, name);
  if (!s) throw new Error(`Service ${ns}/${name} does not exist`);
  return s;
}

export function pods(c: SimCluster, ns = 'default'): Pod[] {
  return c.ctx.store.list('Pod', ns) as Pod[];
}

export function pod(c: SimCluster, ns: string, name: string): Pod | undefined {
  return c.ctx.store.get('Pod', ns, name) as Pod | undefined;
}

/** kubectl get pods' STATUS column (Running, Completed, CreateContainerConfigError, …). */
export function podStatus(c: SimCluster, p: Pod): string {
  return summarizePod(c.ctx, p).status;
}

/** The EndpointSlices of a Service (label kubernetes.io/service-name). */
export function slicesOf(c: SimCluster, ref: string): KubeObject[] {
  const [ns, name] = splitRef(ref);
  return c.ctx.store.list('EndpointSlice', ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name);
}

/** Addresses of ready endpoints, deduplicated (a pod can sit in several slices, one per port set). */
export function readyEndpointIPs(c: SimCluster, ref: string): string[] {
  const ips = new Set<string>();
  for (const s of slicesOf(c, ref)) {
    for (const e of (s as any).endpoints ?? []) {
      // Consumers treat an unset condition as ready (discovery.k8s.io/v1 docs).
      if (e.conditions?.ready === false) continue;
      for (const a of e.addresses ?? []) ips.add(a);
    }
  }
  return [...ips].sort();
}

export function endpointPorts(c: SimCluster, ref: string): number[] {
  const ports = new Set<number>();
  for (const s of slicesOf(c, ref)) for (const p of (s as any).ports ?? []) if (typeof p.port === 'number') ports.add(p.port);
  return [...ports].sort((a, b) => a - b);
}

/** The pods a Service selects (by its spec.selector), whatever their state. */
export function podsOfService(c: SimCluster, ref: string): Pod[] {
  const s = service(c, ref);
  return pods(c, s.metadata.namespace).filter((p) => matchesSelector(p.metadata.labels, s.spec?.selector));
}

export function readyPodIPsOfService(c: SimCluster, ref: string): string[] {
  return podsOfService(c, ref)
    .filter((p) => (p.status?.conditions ?? []).some((x: any) => x.type === 'Ready' && x.status === 'True') && !p.metadata.deletionTimestamp)
    .map((p) => p.status!.podIP as string)
    .sort();
}

export function podOrigin(namespace = 'default', podName?: string): ProbeOrigin & { kind: 'pod' } {
  return podName ? { kind: 'pod', namespace, pod: podName } : { kind: 'pod', namespace };
}

export function dnsA(c: SimCluster, from: ProbeOrigin & { kind: 'pod' }, name: string): { rcode: DnsResult['rcode']; ips: string[]; result: DnsResult } {
  const result = c.net.dns({ from, name, type: 'A' });
  const ips = result.answers.filter((a) => a.type === 'A').map((a) => a.data).sort();
  return { rcode: result.rcode, ips, result };
}

/** Where the ingress controller listens from outside: the hostIP of its pod (kind's hostPort setup). */
export function ingressAddress(c: SimCluster): string {
  const p = pods(c, 'ingress-nginx').find((x) => x.metadata.labels?.['app.kubernetes.io/component'] === 'controller' && x.status?.hostIP);
  if (!p) throw new Error('no running ingress-nginx controller pod');
  return p.status!.hostIP as string;
}

export function lbIP(c: SimCluster, ref: string): string | undefined {
  return service(c, ref).status?.loadBalancer?.ingress?.[0]?.ip;
}

export function nodeIP(c: SimCluster, role: 'worker' | 'control-plane' = 'worker'): string {
  const nodes = c.ctx.store.list('Node');
  const n = nodes.find((x) => (role === 'control-plane') === ('node-role.kubernetes.io/control-plane' in (x.metadata.labels ?? {})));
  const ip = (n?.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address;
  if (!ip) throw new Error(`no ${role} node IP`);
  return ip;
}

/** A short description of a probe result, for assertion messages. */
export function describeHttp(r: HttpResult): string {
  return r.ok ? `HTTP ${r.status} from ${r.servedBy ? `${r.servedBy.namespace}/${r.servedBy.pod}` : '(unknown pod)'}` : `error: ${r.error}`;
}

export function describeTcp(r: TcpResult): string {
  return `${r.result}${r.servedBy ? ` via ${r.servedBy.namespace}/${r.servedBy.pod}` : ''}`;
}

/** The labels of the pod that served a response (undefined when no pod is named). */
export function servingPodLabels(c: SimCluster, by: { pod: string; namespace: string } | undefined): Labels | undefined {
  if (!by) return undefined;
  return pod(c, by.namespace, by.pod)?.metadata.labels;
}

export function eventsFor(c: SimCluster, kind: string, ns: string | undefined, name: string) {
  return c.ctx.events.for(kind, ns, name);
}
