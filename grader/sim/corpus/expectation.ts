/**
 * The expectations table's vocabulary. A case applies one INDEX group (in steps, when the
 * INDEX describes a sequence such as "apply A, then B redefines the same names") to a fresh
 * cluster and states what REAL kind shows after each step. Values are symbolic ("the ClusterIP
 * of Service X", "the IPs of X's ready pods") and resolved against the cluster at check time,
 * so nothing the simulator allocates is hard-coded.
 *
 * `checkExpect` returns every mismatch as one readable line instead of stopping at the first,
 * so a red case lists all of its disagreements with real Kubernetes at once.
 */
import type { SimCluster } from '../cluster.ts';
import type { KubeObject, Labels } from '../api/types.ts';
import type { ApplyResult } from '../../backend/types.ts';
import {
  type ClusterChoice, describeHttp, describeTcp, dnsA, endpointPorts, ingressAddress, lbIP, matchesSelector, nodeIP, podOrigin,
  podStatus, pods, readyEndpointIPs, readyPodIPsOfService, service, servingPodLabels, splitRef,
} from './harness.ts';

export type { ClusterChoice };

/** What a DNS A query from a pod must return. */
export type DnsAnswer =
  /** Exactly the Service's ClusterIP. */
  | { clusterIPOf: string }
  /** Exactly the IPs of the Service's ready pods (headless). */
  | { readyPodsOf: string }
  /** Exactly this pod's IP (`ns/name`). */
  | { podIP: string }
  | 'NXDOMAIN'
  /** No answer from the cluster at all (the pod's nameserver is not the cluster DNS). */
  | 'unanswered';

export interface DnsExpect {
  /** Namespace of the asking pod (default `default`); a throwaway client pod unless `pod` is given. */
  from?: string;
  pod?: string;
  name: string;
  answer: DnsAnswer;
}

/**
 * URL placeholders: `{clusterIP:svc}`, `{lbIP:svc}`, `{nodePort:svc}` (first port),
 * `{nodeIP}` (a worker). `via: 'ingress'` connects to the ingress controller with the URL's host
 * in the Host header / SNI (curl --resolve).
 */
export interface HttpExpect {
  from?: string | 'external';
  url: string;
  via?: 'ingress';
  headers?: Record<string, string>;
  /** Send the request this many times (default 1); every answer must satisfy `expect`. */
  times?: number;
  expect:
    /** Answered 200 by a pod the Service's selector matches; with `split`, every listed label value is seen. */
    | { servedBy: string; status?: number; bodyIncludes?: string; split?: { label: string; values: string[] } }
    /** Answered by a pod carrying these labels. */
    | { servedByLabels: Labels; status?: number }
    | { status: number; certificateFake?: boolean }
    | { error: string };
}

export interface TcpExpect {
  from?: string;
  host: string;
  port: number;
  expect: { servedBy: string } | { result: 'refused' | 'timeout' | 'unresolved' };
}

export interface PodExpect {
  /** Pods of this namespace (default `default`) matching the selector, or exactly these names. */
  ns?: string;
  selector?: Labels;
  names?: string[];
  /** How many pods match (default: not checked). */
  count?: number;
  /** kubectl's STATUS column for every matched pod. */
  status: string;
}

export interface Expect {
  /** Ready endpoints per Service (`svc` or `ns/svc`), counted from EndpointSlices. */
  endpoints?: Record<string, number>;
  /** Numbers the EndpointSlices carry as ports. */
  endpointPorts?: Record<string, number[]>;
  headless?: string[];
  /** Services that got a ClusterIP from 10.96.0.0/16. */
  clusterIP?: string[];
  /** Services whose every port has a nodePort in 30000–32767. */
  nodePorts?: string[];
  /** LoadBalancer status: `pending` (no ingress), or an IP inside the given first–last range. */
  externalIP?: Record<string, 'pending' | { first: string; last: string }>;
  dns?: DnsExpect[];
  http?: HttpExpect[];
  tcp?: TcpExpect[];
  pods?: PodExpect[];
  /** PVC phase and class. */
  pvcs?: Record<string, { phase: 'Bound' | 'Pending'; storageClass?: string }>;
  /** `Kind/name` or `Kind/ns/name` that must exist / must not exist. */
  exists?: string[];
  absent?: string[];
  /** An event with this reason (and message fragment) on the object `Kind/name` (`Kind/ns/name`). */
  events?: { object: string; reason: string; message?: string }[];
  /** Anything the table cannot say; returns mismatches. */
  custom?: (c: SimCluster) => string[];
}

export interface Step {
  /** Corpus files relative to the corpus root, in apply order. */
  files?: string[];
  /** Test fixtures applied with (before) the files: the Secret a tutorial creates, Ingress backends. */
  objects?: KubeObject[];
  /** `kubectl apply -n`. */
  namespace?: string;
  /** `Kind/name` → fragment of the error a real cluster gives; every other document must be accepted. */
  fails?: Record<string, string>;
  /** `Kind/name` → kubectl's word for what apply did. */
  actions?: Record<string, 'created' | 'configured' | 'unchanged'>;
  /** Virtual seconds to wait for rollouts after this step (default 600). */
  rollout?: number;
  /** Virtual seconds to wait after the rollout, for bare Pods and RCs (default 60). */
  settle?: number;
  expect?: Expect;
}

export interface CorpusCase {
  /** The INDEX group, as written there in bold. */
  group: string;
  /** What this case shows. */
  title: string;
  cluster: ClusterChoice;
  steps: Step[];
  /** Why the expectation departs from the INDEX's text, when it does (real kind wins). */
  note?: string;
}

/** The whole of one step's apply result against `fails`/`actions`. */
export function checkApply(step: Step, r: ApplyResult): string[] {
  const out: string[] = [];
  const fails = step.fails ?? {};
  const refOf = (ref: { kind: string; name: string } | undefined) => (ref ? `${ref.kind}/${ref.name}` : '(unnamed)');
  for (const f of r.failed) {
    const want = fails[refOf(f.ref)];
    if (want === undefined) out.push(`apply: ${refOf(f.ref)} was rejected but a real cluster accepts it: ${f.message}`);
    else if (!f.message.includes(want)) out.push(`apply: ${refOf(f.ref)} rejected with "${f.message}", expected a message containing "${want}"`);
  }
  for (const [ref, msg] of Object.entries(fails)) {
    if (!r.failed.some((f) => refOf(f.ref) === ref)) out.push(`apply: ${ref} was accepted but a real cluster rejects it with "${msg}"`);
  }
  for (const [ref, action] of Object.entries(step.actions ?? {})) {
    const got = r.applied.filter((a) => refOf(a.ref) === ref).map((a) => a.action);
    if (got.at(-1) !== action) out.push(`apply: ${ref} was ${got.at(-1) ?? 'not applied'}, expected ${action}`);
  }
  return out;
}

const SERVICE_CIDR = /^10\.96\.\d+\.\d+$/;

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function splitObjectRef(ref: string): { kind: string; ns: string | undefined; name: string } {
  const parts = ref.split('/');
  if (parts.length === 3) return { kind: parts[0]!, ns: parts[1], name: parts[2]! };
  const cluster = ['Namespace', 'StorageClass', 'IngressClass', 'PersistentVolume', 'Node', 'CustomResourceDefinition'].includes(parts[0]!);
  return { kind: parts[0]!, ns: cluster ? undefined : 'default', name: parts[1]! };
}

function fillUrl(c: SimCluster, url: string): string {
  return url.replace(/\{(clusterIP|lbIP|nodePort|nodeIP)(?::([^}]+))?\}/g, (_m, what: string, ref: string | undefined) => {
    if (what === 'nodeIP') return nodeIP(c);
    const s = service(c, ref!);
    if (what === 'clusterIP') return s.spec.clusterIP;
    if (what === 'nodePort') return String(s.spec.ports?.[0]?.nodePort);
    return lbIP(c, ref!) ?? '0.0.0.0';
  });
}

function checkDns(c: SimCluster, d: DnsExpect): string[] {
  const from = podOrigin(d.from ?? 'default', d.pod);
  const where = `DNS ${d.name} from ${d.pod ? `pod ${d.from ?? 'default'}/${d.pod}` : `a pod in ${d.from ?? 'default'}`}`;
  const got = dnsA(c, from, d.name);
  const shown = `${got.rcode} [${got.ips.join(', ')}]`;
  const a = d.answer;
  if (a === 'NXDOMAIN') return got.rcode === 'NXDOMAIN' ? [] : [`${where}: got ${shown}, expected NXDOMAIN`];
  if (a === 'unanswered') return got.rcode === 'NOERROR' ? [`${where}: got ${shown}, expected no answer from the cluster DNS`] : [];
  let want: string[];
  if ('clusterIPOf' in a) want = [service(c, a.clusterIPOf).spec.clusterIP];
  else if ('readyPodsOf' in a) want = readyPodIPsOfService(c, a.readyPodsOf);
  else {
    const [ns, name] = splitRef(a.podIP);
    const p = c.ctx.store.get('Pod', ns, name);
    want = p?.status?.podIP ? [p.status.podIP] : [];
  }
  if (want.length === 0) return [`${where}: expected addresses are missing (the pods/Service they come from are not there): got ${shown}`];
  return got.rcode === 'NOERROR' && JSON.stringify(got.ips) === JSON.stringify(want.sort()) ? [] : [`${where}: got ${shown}, expected NOERROR [${want.join(', ')}]`];
}

function checkHttp(c: SimCluster, h: HttpExpect): string[] {
  const out: string[] = [];
  let url = fillUrl(c, h.url);
  const headers = { ...(h.headers ?? {}) };
  let connectTo: string | undefined;
  if (h.via === 'ingress') connectTo = ingressAddress(c);
  const from = h.from === 'external' || h.via === 'ingress' ? ({ kind: 'external' } as const) : podOrigin(h.from ?? 'default');
  const seen = new Map<string, number>();
  const times = h.times ?? 1;
  const label = `HTTP ${h.url}${h.via ? ' via ingress' : ''}`;
  for (let i = 0; i < times; i++) {
    const r = c.net.http({ from, url, headers, connectTo });
    const e = h.expect;
    if ('error' in e) {
      if (r.ok || !r.error.includes(e.error)) out.push(`${label}: ${describeHttp(r)}, expected error "${e.error}"`);
    } else if ('servedBy' in e || 'servedByLabels' in e) {
      const sel = 'servedBy' in e ? service(c, e.servedBy).spec?.selector : e.servedByLabels;
      const want = e.status ?? 200;
      if (!r.ok || r.status !== want) out.push(`${label}: ${describeHttp(r)}, expected ${want} from a pod matching ${JSON.stringify(sel)}`);
      else {
        const labels = servingPodLabels(c, r.servedBy);
        if (!matchesSelector(labels, sel)) out.push(`${label}: served by ${r.servedBy ? r.servedBy.pod : 'no named pod'} (labels ${JSON.stringify(labels)}), expected a pod matching ${JSON.stringify(sel)}`);
        if ('servedBy' in e && e.bodyIncludes && !r.body.includes(e.bodyIncludes)) out.push(`${label}: body lacks "${e.bodyIncludes}"`);
        if ('servedBy' in e && e.split) {
          const v = labels?.[e.split.label] ?? '(none)';
          seen.set(v, (seen.get(v) ?? 0) + 1);
        }
      }
    } else {
      if (!r.ok || r.status !== e.status) out.push(`${label}: ${describeHttp(r)}, expected status ${e.status}`);
      else if (e.certificateFake !== undefined && r.certificate?.fake !== e.certificateFake) out.push(`${label}: certificate fake=${r.certificate?.fake}, expected ${e.certificateFake}`);
    }
    if (out.length) break;
  }
  const e = h.expect;
  if (!out.length && 'servedBy' in e && e.split) {
    for (const v of e.split.values) if (!seen.has(v)) out.push(`${label}: no answer from pods with ${e.split.label}=${v} in ${times} requests (seen ${JSON.stringify(Object.fromEntries(seen))})`);
  }
  return out;
}

function checkTcp(c: SimCluster, t: TcpExpect): string[] {
  const r = c.net.tcp({ from: podOrigin(t.from ?? 'default'), host: t.host, port: t.port });
  const label = `TCP ${t.host}:${t.port}`;
  if ('result' in t.expect) return r.result === t.expect.result ? [] : [`${label}: ${describeTcp(r)}, expected ${t.expect.result}`];
  const sel = service(c, t.expect.servedBy).spec?.selector;
  if (r.result !== 'connected') return [`${label}: ${describeTcp(r)}, expected connected to a pod matching ${JSON.stringify(sel)}`];
  const labels = servingPodLabels(c, r.servedBy);
  return matchesSelector(labels, sel) ? [] : [`${label}: reached ${r.servedBy?.pod ?? 'no named pod'}, expected a pod matching ${JSON.stringify(sel)}`];
}

export function checkExpect(c: SimCluster, e: Expect): string[] {
  const out: string[] = [];
  const guard = (what: string, fn: () => string[]) => {
    try {
      out.push(...fn());
    } catch (err) {
      out.push(`${what}: ${(err as Error).message}`);
    }
  };
  for (const [ref, n] of Object.entries(e.endpoints ?? {})) {
    guard(`endpoints ${ref}`, () => {
      const ips = readyEndpointIPs(c, ref);
      return ips.length === n ? [] : [`endpoints ${ref}: ${ips.length} ready [${ips.join(', ')}], expected ${n}`];
    });
  }
  for (const [ref, ports] of Object.entries(e.endpointPorts ?? {})) {
    guard(`endpoint ports ${ref}`, () => {
      const got = endpointPorts(c, ref);
      return JSON.stringify(got) === JSON.stringify(ports) ? [] : [`endpoint ports ${ref}: [${got.join(', ')}], expected [${ports.join(', ')}]`];
    });
  }
  for (const ref of e.headless ?? []) {
    guard(`headless ${ref}`, () => (service(c, ref).spec.clusterIP === 'None' ? [] : [`Service ${ref}: clusterIP ${service(c, ref).spec.clusterIP}, expected None`]));
  }
  for (const ref of e.clusterIP ?? []) {
    guard(`clusterIP ${ref}`, () => (SERVICE_CIDR.test(service(c, ref).spec.clusterIP ?? '') ? [] : [`Service ${ref}: clusterIP ${service(c, ref).spec.clusterIP}, expected one from 10.96.0.0/16`]));
  }
  for (const ref of e.nodePorts ?? []) {
    guard(`nodePorts ${ref}`, () => {
      const ports = (service(c, ref).spec.ports ?? []) as { nodePort?: number }[];
      const bad = ports.filter((p) => !(p.nodePort! >= 30000 && p.nodePort! <= 32767));
      return ports.length && !bad.length ? [] : [`Service ${ref}: nodePorts ${JSON.stringify(ports.map((p) => p.nodePort))}, expected each in 30000-32767`];
    });
  }
  for (const [ref, want] of Object.entries(e.externalIP ?? {})) {
    guard(`externalIP ${ref}`, () => {
      const ip = lbIP(c, ref);
      if (want === 'pending') return ip === undefined ? [] : [`Service ${ref}: EXTERNAL-IP ${ip}, expected <pending>`];
      if (!ip) return [`Service ${ref}: EXTERNAL-IP <pending>, expected one from ${want.first}-${want.last}`];
      const n = ipToNumber(ip);
      return n >= ipToNumber(want.first) && n <= ipToNumber(want.last) ? [] : [`Service ${ref}: EXTERNAL-IP ${ip}, expected one from ${want.first}-${want.last}`];
    });
  }
  for (const p of e.pods ?? []) {
    guard('pods', () => {
      const ns = p.ns ?? 'default';
      const list = pods(c, ns).filter((x) => (p.names ? p.names.includes(x.metadata.name) : matchesSelector(x.metadata.labels, p.selector)));
      const what = p.names ? p.names.join(',') : JSON.stringify(p.selector);
      const r: string[] = [];
      if (p.names) for (const n of p.names) if (!list.some((x) => x.metadata.name === n)) r.push(`pod ${ns}/${n} does not exist, expected ${p.status}`);
      if (p.count !== undefined && list.length !== p.count) r.push(`pods ${what}: ${list.length} exist, expected ${p.count}`);
      for (const x of list) {
        const s = podStatus(c, x);
        if (s !== p.status) r.push(`pod ${ns}/${x.metadata.name}: STATUS ${s}, expected ${p.status}`);
      }
      return r;
    });
  }
  for (const [name, want] of Object.entries(e.pvcs ?? {})) {
    guard(`pvc ${name}`, () => {
      const [ns, n] = splitRef(name);
      const pvc = c.ctx.store.get('PersistentVolumeClaim', ns, n);
      if (!pvc) return [`PVC ${name} does not exist, expected ${want.phase}`];
      const r: string[] = [];
      if (pvc.status?.phase !== want.phase) r.push(`PVC ${name}: ${pvc.status?.phase ?? 'no phase'}, expected ${want.phase}`);
      const cls = pvc.spec?.storageClassName ?? pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
      if (want.storageClass && cls !== want.storageClass) r.push(`PVC ${name}: class ${cls}, expected ${want.storageClass}`);
      return r;
    });
  }
  for (const ref of e.exists ?? []) {
    const { kind, ns, name } = splitObjectRef(ref);
    if (!c.ctx.store.get(kind, ns, name)) out.push(`${ref} does not exist`);
  }
  for (const ref of e.absent ?? []) {
    const { kind, ns, name } = splitObjectRef(ref);
    if (c.ctx.store.get(kind, ns, name)) out.push(`${ref} exists, expected it not to`);
  }
  for (const ev of e.events ?? []) {
    const { kind, ns, name } = splitObjectRef(ev.object);
    const list = c.ctx.events.for(kind, ns, name);
    if (!list.some((x) => x.reason === ev.reason && (!ev.message || x.message.includes(ev.message)))) {
      out.push(`event ${ev.reason}${ev.message ? ` "${ev.message}"` : ''} on ${ev.object} missing (has: ${list.map((x) => `${x.reason}: ${x.message}`).join(' | ') || 'none'})`);
    }
  }
  for (const d of e.dns ?? []) guard(`DNS ${d.name}`, () => checkDns(c, d));
  for (const h of e.http ?? []) guard(`HTTP ${h.url}`, () => checkHttp(c, h));
  for (const t of e.tcp ?? []) guard(`TCP ${t.host}`, () => checkTcp(c, t));
  if (e.custom) guard('custom', () => e.custom!(c));
  return out;
}
