/**
 * Layer 2 of DNS: answer a parsed request from the cluster's objects, as the CoreDNS
 * `kubernetes` plugin does with kubeadm's Corefile (`pods insecure`; coredns
 * plugin/kubernetes/kubernetes.go and README.md). It reports either records or a *named*
 * reason; handler.ts is the one place that turns reasons into NXDOMAIN or NODATA.
 */
import type { DnsType } from '../../../backend/types.ts';
import type { Service } from '../../api/types.ts';
import type { NetworkState } from '../state.ts';
import { compareIps, dashed, isIPv4 } from '../ip.ts';
import { isHeadless, serviceType } from '../objects.ts';
import type { DnsRequest } from './parse.ts';

export const LookupError = {
  /** The name does not exist at all → NXDOMAIN. */
  noSuchService: 'no-such-service',
  noSuchNamespace: 'no-such-namespace',
  noSuchEndpoint: 'no-such-endpoint',
  noSuchPort: 'no-such-port',
  noReadyEndpoints: 'no-ready-endpoints',
  invalidName: 'invalid-name',
  notAPodIP: 'not-a-pod-ip',
  unknownAddress: 'unknown-address',
  /** The name exists but has no record of the asked type → NODATA (NOERROR, empty answer). */
  noRecordsOfType: 'no-records-of-type',
} as const;
export type LookupError = (typeof LookupError)[keyof typeof LookupError];

export interface LookupRecord {
  type: DnsType;
  data: string;
}

export type LookupResult =
  | { ok: true; records: LookupRecord[]; why: string; /** ExternalName: the CNAME target to chase */ cnameTarget?: string }
  | { ok: false; error: LookupError; why: string };

interface ReadyEndpoint {
  ip: string;
  hostname?: string;
  ports: { name: string; port: number; protocol: string }[];
}

const svcWords = (s: Service) => `Service ${s.metadata.namespace}/${s.metadata.name}`;

export class ClusterDnsLookup {
  constructor(
    private readonly state: NetworkState,
    private readonly zone: string,
  ) {}

  private namespaceExists(ns: string): boolean {
    if (this.state.store.get('Namespace', undefined, ns)) return true;
    // A bare store (unit tests) without Namespace objects: every namespace exists.
    return this.state.store.count('Namespace') === 0;
  }

  /** Ready endpoint addresses of a Service (CoreDNS publishes only ready ones), merged over its slices. */
  readyEndpoints(svc: Service): ReadyEndpoint[] {
    const byIP = new Map<string, ReadyEndpoint>();
    for (const slice of this.state.slicesFor(svc.metadata.namespace!, svc.metadata.name)) {
      for (const e of slice.endpoints ?? []) {
        const ip = e.addresses?.[0];
        if (!ip || !isIPv4(ip) || (e.conditions?.ready ?? true) === false) continue;
        let r = byIP.get(ip);
        if (!r) byIP.set(ip, (r = { ip, hostname: e.hostname, ports: [] }));
        for (const p of slice.ports ?? []) if (p.port !== undefined) r.ports.push({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' });
      }
    }
    return [...byIP.values()].sort((a, b) => compareIps(a.ip, b.ip));
  }

  /** CoreDNS endpointHostname: the endpoint's hostname if set, else its dashed IP. */
  private endpointLabel(e: ReadyEndpoint): string {
    return e.hostname ?? dashed(e.ip);
  }

  private svcFqdn(s: Service): string {
    return `${s.metadata.name}.${s.metadata.namespace}.svc.${this.zone}.`;
  }

  lookup(req: DnsRequest, qtype: DnsType): LookupResult {
    switch (req.kind) {
      case 'zone':
        return { ok: false, error: LookupError.noRecordsOfType, why: `the cluster zone itself has no ${qtype} record` };
      case 'namespace':
        return this.namespaceExists(req.namespace)
          ? { ok: false, error: LookupError.noRecordsOfType, why: `namespace ${req.namespace} exists, but a namespace name has no records` }
          : { ok: false, error: LookupError.noSuchNamespace, why: `there is no namespace "${req.namespace}"` };
      case 'invalid':
        return { ok: false, error: LookupError.invalidName, why: `not a name the cluster DNS knows: ${req.reason}` };
      case 'external':
        return { ok: false, error: LookupError.invalidName, why: 'outside the cluster zone' };
      case 'service':
        return this.service(req.namespace, req.service, qtype);
      case 'endpoint':
        return this.endpoint(req, qtype);
      case 'srv':
        return this.srv(req, qtype);
      case 'pod':
        return this.pod(req, qtype);
      case 'ptr':
        return this.ptr(req.ip, qtype);
    }
  }

  private service(ns: string, name: string, qtype: DnsType): LookupResult {
    const svc = this.state.service(ns, name);
    if (!svc) return { ok: false, error: LookupError.noSuchService, why: this.namespaceExists(ns) ? `there is no Service "${name}" in namespace ${ns}` : `there is no namespace "${ns}"` };
    if (serviceType(svc) === 'ExternalName') {
      if (qtype === 'A' || qtype === 'AAAA' || qtype === 'CNAME') {
        const target = `${(svc.spec.externalName ?? '').toLowerCase().replace(/\.$/, '')}.`;
        return { ok: true, records: [{ type: 'CNAME', data: target }], why: `${svcWords(svc)} is type ExternalName: a CNAME to ${target}`, cnameTarget: qtype === 'CNAME' ? undefined : target };
      }
      return { ok: false, error: LookupError.noRecordsOfType, why: `${svcWords(svc)} is type ExternalName and has no ${qtype} record` };
    }
    if (isHeadless(svc)) {
      const eps = this.readyEndpoints(svc);
      if (eps.length === 0) return { ok: false, error: LookupError.noReadyEndpoints, why: `${svcWords(svc)} is headless and has no ready endpoints, so the name does not exist` };
      if (qtype === 'A') return { ok: true, records: eps.map((e) => ({ type: 'A', data: e.ip })), why: `${svcWords(svc)} is headless: one A record per ready endpoint (${eps.length})` };
      if (qtype === 'SRV') {
        const recs: string[] = [];
        for (const e of eps) for (const p of e.ports) recs.push(`${p.port} ${this.endpointLabel(e)}.${this.svcFqdn(svc)}`);
        return this.srvRecords(recs, `${svcWords(svc)} is headless: SRV records per ready endpoint and port`);
      }
      return { ok: false, error: LookupError.noRecordsOfType, why: `${svcWords(svc)} has no ${qtype} record` };
    }
    const ip = svc.spec.clusterIP;
    if (!ip) return { ok: false, error: LookupError.noRecordsOfType, why: `${svcWords(svc)} has no ClusterIP yet` };
    if (qtype === 'A') return { ok: true, records: [{ type: 'A', data: ip }], why: `the ClusterIP of ${svcWords(svc)}` };
    if (qtype === 'SRV') {
      const recs = (svc.spec.ports ?? []).map((p) => `${p.port} ${this.svcFqdn(svc)}`);
      if (recs.length === 0) return { ok: false, error: LookupError.noRecordsOfType, why: `${svcWords(svc)} has no ports` };
      return this.srvRecords(recs, `${svcWords(svc)}: one SRV record per port, targeting the Service name`);
    }
    return { ok: false, error: LookupError.noRecordsOfType, why: `${svcWords(svc)} has an IPv4 ClusterIP and no ${qtype} record` };
  }

  /** SRV data "priority weight port target": all priority 0, weight split evenly (CoreDNS). */
  private srvRecords(portTargets: string[], why: string): LookupResult {
    const weight = Math.floor(100 / portTargets.length);
    return { ok: true, records: portTargets.map((pt) => ({ type: 'SRV' as const, data: `0 ${weight} ${pt}` })), why };
  }

  private endpoint(req: Extract<DnsRequest, { kind: 'endpoint' }>, qtype: DnsType): LookupResult {
    const svc = this.state.service(req.namespace, req.service);
    if (!svc || serviceType(svc) === 'ExternalName') return { ok: false, error: LookupError.noSuchService, why: `there is no Service "${req.service}" in namespace ${req.namespace}` };
    const eps = this.readyEndpoints(svc).filter((e) => this.endpointLabel(e) === req.endpoint);
    if (eps.length === 0) {
      return {
        ok: false,
        error: LookupError.noSuchEndpoint,
        why: `${svcWords(svc)} has no ready endpoint named "${req.endpoint}" (per-pod names need hostname and subdomain=${req.service} on the pod, as StatefulSets set; other endpoints are named by their dashed IP)`,
      };
    }
    if (qtype === 'A') return { ok: true, records: eps.map((e) => ({ type: 'A', data: e.ip })), why: `endpoint "${req.endpoint}" of ${svcWords(svc)}` };
    return { ok: false, error: LookupError.noRecordsOfType, why: `endpoint "${req.endpoint}" has no ${qtype} record` };
  }

  private srv(req: Extract<DnsRequest, { kind: 'srv' }>, qtype: DnsType): LookupResult {
    const svc = this.state.service(req.namespace, req.service);
    if (!svc || serviceType(svc) === 'ExternalName') return { ok: false, error: LookupError.noSuchService, why: `there is no Service "${req.service}" in namespace ${req.namespace}` };
    const proto = req.protocol.toUpperCase();
    const sp = (svc.spec.ports ?? []).find((p) => !!p.name && p.name === req.port && (p.protocol ?? 'TCP') === proto);
    if (!sp) {
      return { ok: false, error: LookupError.noSuchPort, why: `${svcWords(svc)} has no port named "${req.port}" with protocol ${proto} (SRV records exist only for named ports)` };
    }
    if (qtype !== 'SRV') return qtype === 'A' ? this.service(req.namespace, req.service, 'A') : { ok: false, error: LookupError.noRecordsOfType, why: `an SRV name has no ${qtype} record` };
    if (!isHeadless(svc)) return this.srvRecords([`${sp.port} ${this.svcFqdn(svc)}`], `port "${sp.name}" of ${svcWords(svc)}, targeting the Service name`);
    const recs: string[] = [];
    for (const e of this.readyEndpoints(svc)) {
      for (const p of e.ports) if (p.name === sp.name && p.protocol === proto) recs.push(`${p.port} ${this.endpointLabel(e)}.${this.svcFqdn(svc)}`);
    }
    if (recs.length === 0) return { ok: false, error: LookupError.noReadyEndpoints, why: `${svcWords(svc)} is headless and has no ready endpoint for port "${sp.name}"` };
    return this.srvRecords(recs, `port "${sp.name}" of headless ${svcWords(svc)}: one SRV record per ready endpoint`);
  }

  private pod(req: Extract<DnsRequest, { kind: 'pod' }>, qtype: DnsType): LookupResult {
    const ip = req.ip.replace(/-/g, '.');
    if (!isIPv4(ip) || !/^\d+-\d+-\d+-\d+$/.test(req.ip)) return { ok: false, error: LookupError.notAPodIP, why: `"${req.ip}" is not a dashed IPv4 address` };
    if (!this.namespaceExists(req.namespace)) return { ok: false, error: LookupError.noSuchNamespace, why: `there is no namespace "${req.namespace}"` };
    if (qtype !== 'A') return { ok: false, error: LookupError.noRecordsOfType, why: `a pod name has no ${qtype} record` };
    // `pods insecure`: the address is echoed back without checking that such a pod exists.
    return { ok: true, records: [{ type: 'A', data: ip }], why: '`pods insecure` (kubeadm Corefile) answers any dashed IP, without checking a pod has it' };
  }

  private ptr(ip: string, qtype: DnsType): LookupResult {
    const svc = this.state.serviceByClusterIP(ip);
    if (svc) {
      if (qtype !== 'PTR') return { ok: false, error: LookupError.noRecordsOfType, why: `a reverse name has no ${qtype} record` };
      return { ok: true, records: [{ type: 'PTR', data: this.svcFqdn(svc) }], why: `${ip} is the ClusterIP of ${svcWords(svc)}` };
    }
    {
      const names: string[] = [];
      for (const s of this.servicesWithEndpoint(ip)) {
        const e = this.readyEndpoints(s).find((x) => x.ip === ip);
        if (e) names.push(`${this.endpointLabel(e)}.${this.svcFqdn(s)}`);
      }
      if (names.length) {
        if (qtype !== 'PTR') return { ok: false, error: LookupError.noRecordsOfType, why: `a reverse name has no ${qtype} record` };
        return { ok: true, records: names.map((n) => ({ type: 'PTR', data: n })), why: `${ip} is a ready endpoint of ${names.length} Service(s)` };
      }
    }
    return { ok: false, error: LookupError.unknownAddress, why: `${ip} is neither a Service IP nor a ready endpoint, so CoreDNS passes it on (fallthrough) and nobody knows it` };
  }

  /** Reverse lookups are rare: a scan over Services is fine here (forward lookups are indexed). */
  private servicesWithEndpoint(ip: string): Service[] {
    const out: Service[] = [];
    for (const s of this.state.store.list('Service') as Service[]) {
      if (this.state.slicesFor(s.metadata.namespace!, s.metadata.name).some((sl) => sl.endpoints?.some((e) => e.addresses?.[0] === ip))) out.push(s);
    }
    return out;
  }
}
