/**
 * `dns`: ask the cluster DNS from inside a pod, name by name, and compare the answers with
 * what the objects say they should be (a Service's ClusterIP, the ready endpoints of a
 * headless Service, a StatefulSet pod's IP, an ExternalName's CNAME, SRV records).
 */
import type { Backend, DnsResult, DnsType } from '../../backend/types.ts';
import type { Pod } from '../../sim/api/types.ts';
import type { Evidence } from '../report.ts';
import { type CheckContext, type CheckOf, type CheckOutcome, fail, pass } from '../types.ts';
import { compareIPs, getService, readyEndpointIPs, serviceEndpoints } from '../util/cluster.ts';
import { describeOrigin, toProbeOrigin } from '../util/origin.ts';
import { show } from '../util/refs.ts';

export type DnsSpec = Pick<CheckOf<'dns'>, 'from' | 'names' | 'qtype' | 'expect'>;

const stripDot = (s: string) => s.replace(/\.$/, '');
const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

export function addressesOf(r: DnsResult, type: DnsType = 'A'): string[] {
  return r.answers.filter((a) => a.type === type).map((a) => a.data).sort(compareIPs);
}

export async function exec(ctx: CheckContext<DnsSpec>): Promise<CheckOutcome> {
  const c = ctx.check;
  const origin = toProbeOrigin(c.from);
  if (origin.kind !== 'pod') throw new Error('DNS checks ask the cluster DNS from inside a pod: set `from` to a pod, not `external`');
  const evidence: Evidence[] = [];
  const summaries: string[] = [];
  for (const name of c.names) {
    const r = await ctx.backend.dns({ from: origin, name, type: c.qtype });
    const verdict = await judge(ctx.backend, name, origin.namespace, r, c);
    evidence.push({
      path: `dns ${name} ${c.qtype} from ${describeOrigin(origin)}`,
      expected: verdict.expected,
      observed: r.rcode === 'NOERROR' ? r.answers.map((a) => `${a.type} ${a.data}`) : r.rcode,
      trace: r.trace,
    });
    if (verdict.problem) return fail(verdict.problem, evidence);
    summaries.push(verdict.summary);
  }
  const uniq = [...new Set(summaries)];
  return pass(uniq.length === 1 ? `${c.names.join(', ')} ${uniq[0]}` : `${c.names.map((n, i) => `${n} ${summaries[i]}`).join('; ')}`, evidence);
}

interface Verdict {
  problem?: string;
  summary: string;
  expected: unknown;
}

async function judge(backend: Backend, name: string, fromNs: string, r: DnsResult, c: DnsSpec): Promise<Verdict> {
  const e = c.expect;
  const got = r.rcode === 'NOERROR' ? r.answers.filter((a) => a.type === c.qtype).map((a) => a.data) : [];
  if (e.rcode === 'NXDOMAIN') {
    if (r.rcode === 'NXDOMAIN') return { summary: 'did not resolve (NXDOMAIN), as expected', expected: 'NXDOMAIN' };
    return { problem: `${name} resolved from namespace ${fromNs} (${r.rcode}: ${show(got)}), but it should not resolve`, summary: '', expected: 'NXDOMAIN' };
  }
  if (r.rcode !== 'NOERROR') {
    const why = r.rcode === 'NXDOMAIN' ? await explainNxdomain(backend, name, fromNs) : `the DNS server answered ${r.rcode}`;
    return { problem: `${r.rcode} for ${name} from namespace ${fromNs}: ${why}`, summary: '', expected: describeExpectation(c) };
  }
  const A = [...got].sort(compareIPs);
  if (e.serviceIP) {
    const ns = e.serviceIP.namespace ?? 'default';
    const svc = await getService(backend, ns, e.serviceIP.name);
    if (!svc) return { problem: `${name} resolved to ${show(A)}, but there is no Service ${ns}/${e.serviceIP.name} to compare with`, summary: '', expected: `ClusterIP of Service ${ns}/${e.serviceIP.name}` };
    const ip = svc.spec.clusterIP;
    if (!ip || ip === 'None') return { problem: `Service ${ns}/${e.serviceIP.name} is headless (clusterIP: None): ${name} resolves to pod IPs (${show(A)}), not to a ClusterIP`, summary: '', expected: 'a ClusterIP' };
    if (!sameSet(A, [ip])) return { problem: `${name} resolved to ${show(A)}, but Service ${ns}/${e.serviceIP.name} has ClusterIP ${ip}`, summary: '', expected: [ip] };
    return { summary: `resolved to ${ip} (the ClusterIP of Service ${ns}/${e.serviceIP.name})`, expected: [ip] };
  }
  if (e.readyEndpointsOf) {
    const ns = e.readyEndpointsOf.namespace ?? 'default';
    const ready = await readyEndpointIPs(backend, ns, e.readyEndpointsOf.name);
    if (!sameSet(A, ready)) {
      const all = await serviceEndpoints(backend, ns, e.readyEndpointsOf.name);
      const notReady = all.filter((x) => !x.ready).map((x) => x.ip);
      const extra = notReady.length ? ` (not ready: ${notReady.join(', ')})` : '';
      const ready_ = ready.length ? `the ready endpoints of Service ${ns}/${e.readyEndpointsOf.name} are ${ready.join(', ')}` : `Service ${ns}/${e.readyEndpointsOf.name} has no ready endpoints`;
      return { problem: `${name} resolved to ${show(A)}, but ${ready_}${extra}`, summary: '', expected: ready };
    }
    return { summary: `resolved to the ${ready.length} ready endpoint(s) of Service ${ns}/${e.readyEndpointsOf.name} (${ready.join(', ')})`, expected: ready };
  }
  if (e.podIP) {
    const ns = e.podIP.namespace ?? 'default';
    const pod = (await backend.get({ kind: 'Pod', namespace: ns, name: e.podIP.name })) as Pod | undefined;
    const ip = pod?.status?.podIP;
    if (!ip) return { problem: `${name} resolved to ${show(A)}, but pod ${ns}/${e.podIP.name} ${pod ? 'has no IP yet' : 'does not exist'}`, summary: '', expected: `IP of pod ${ns}/${e.podIP.name}` };
    if (!sameSet(A, [ip])) return { problem: `${name} resolved to ${show(A)}, but pod ${ns}/${e.podIP.name} has IP ${ip}`, summary: '', expected: [ip] };
    return { summary: `resolved to ${ip} (pod ${ns}/${e.podIP.name})`, expected: [ip] };
  }
  if (e.cname !== undefined) {
    const cnames = r.answers.filter((a) => a.type === 'CNAME').map((a) => stripDot(a.data));
    if (!cnames.includes(stripDot(e.cname))) return { problem: `${name} ${cnames.length ? `is a CNAME to ${cnames.join(', ')}` : 'has no CNAME record'}, expected a CNAME to ${stripDot(e.cname)}`, summary: '', expected: stripDot(e.cname) };
    return { summary: `is a CNAME to ${stripDot(e.cname)}`, expected: stripDot(e.cname) };
  }
  if (e.srv) {
    const srv = r.answers.filter((a) => a.type === 'SRV').map((a) => {
      const [, , port, target] = a.data.split(/\s+/);
      return `${port} ${stripDot(target ?? '')}`;
    });
    const want = e.srv.map((s) => s.split(/\s+/).map(stripDot).join(' '));
    if (!sameSet(srv, want)) return { problem: `${name} has SRV records ${show(srv.sort())}, expected ${show([...want].sort())}`, summary: '', expected: want };
    return { summary: `has the SRV records ${want.join(', ')}`, expected: want };
  }
  if (e.count !== undefined) {
    if (got.length !== e.count) return { problem: `${name} has ${got.length} ${c.qtype} record(s) (${show(got)}), expected ${e.count}`, summary: '', expected: { count: e.count } };
    return { summary: `has ${e.count} ${c.qtype} record(s)`, expected: { count: e.count } };
  }
  if (got.length === 0) return { problem: `${name} resolved (NOERROR) but with no ${c.qtype} record`, summary: '', expected: `a ${c.qtype} record` };
  return { summary: `resolved to ${show(A.length ? A : got)}`, expected: 'NOERROR' };
}

function describeExpectation(c: DnsSpec): unknown {
  const { rcode: _r, ...rest } = c.expect;
  return Object.keys(rest).length ? rest : 'NOERROR';
}

/** Why a name did not resolve, in the terms of the namespace and search-path rules. */
export async function explainNxdomain(backend: Backend, rawName: string, fromNs: string): Promise<string> {
  const name = stripDot(rawName);
  const labels = name.split('.');
  const services = await backend.list('Service');
  const where = (svc: string) => services.filter((s) => s.metadata.name === svc).map((s) => s.metadata.namespace!);
  if (labels.length === 1) {
    const ns = where(name);
    if (ns.length === 0) return `no Service named ${name} exists in any namespace`;
    if (!ns.includes(fromNs)) return `short names only resolve in their own namespace, and Service ${name} is in namespace ${ns.join(', ')} (use ${name}.${ns[0]})`;
    return `Service ${fromNs}/${name} exists, but the DNS server has no record for it`;
  }
  const svcIdx = labels.indexOf('svc');
  // SRV names for named ports: _port._proto.service.namespace.svc.cluster.local
  if (labels[0]?.startsWith('_') && labels[1]?.startsWith('_') && svcIdx === 4) {
    const [port, proto, svc, ns] = [labels[0].slice(1), labels[1].slice(1), labels[2]!, labels[3]!];
    const s = services.find((x) => x.metadata.name === svc && x.metadata.namespace === ns);
    if (!s) return `there is no Service ${svc} in namespace ${ns}`;
    const named = ((s.spec?.ports ?? []) as { name?: string; protocol?: string }[]).find((p) => p.name === port);
    if (!named) {
      const names = ((s.spec?.ports ?? []) as { name?: string }[]).map((p) => p.name).filter(Boolean);
      const has = names.length ? `its ports are named ${names.join(', ')}` : 'its ports have no names';
      return `Service ${ns}/${svc} has no port named ${port} (${has}): SRV records exist only for named ports`;
    }
    if ((named.protocol ?? 'TCP').toLowerCase() !== proto.toLowerCase()) return `port ${port} of Service ${ns}/${svc} is ${named.protocol ?? 'TCP'}, not ${proto.toUpperCase()}`;
    return `Service ${ns}/${svc} has port ${port}, but the DNS server has no SRV record for it (no ready endpoints?)`;
  }
  // Per-pod names: hostname.service.namespace.svc.cluster.local (or hostname.service through the search path).
  const perPod = svcIdx >= 3 ? { host: labels.slice(0, svcIdx - 2).join('.'), svc: labels[svcIdx - 2]!, ns: labels[svcIdx - 1]! } : labels.length === 2 && where(labels[1]!).includes(fromNs) ? { host: labels[0]!, svc: labels[1]!, ns: fromNs } : undefined;
  if (perPod && where(perPod.svc).includes(perPod.ns)) {
    return `Service ${perPod.ns}/${perPod.svc} exists, but no pod is published under it as ${perPod.host} (per-pod names need a headless Service and pods whose hostname and subdomain match it, as a StatefulSet with serviceName: ${perPod.svc} sets them)`;
  }
  const [svc, ns] = svcIdx === 2 ? [labels[0]!, labels[1]!] : labels.length === 2 ? [labels[0]!, labels[1]!] : [undefined, undefined];
  if (svc && ns) {
    const nss = where(svc);
    if (!nss.includes(ns)) {
      return nss.length ? `there is no Service ${svc} in namespace ${ns} (a Service ${svc} exists in namespace ${nss.join(', ')})` : `there is no Service named ${svc} in namespace ${ns} or anywhere else`;
    }
    return `Service ${ns}/${svc} exists, but the DNS server has no record for ${name}`;
  }
  return `the name ${name} is not a cluster name, and the upstream resolver does not know it`;
}
