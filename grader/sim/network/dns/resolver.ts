/**
 * The client side of DNS: the resolv.conf the kubelet writes for a pod (k8s
 * pkg/kubelet/network/dns/dns.go) and the stub resolver's search-list walk (glibc res_search):
 * a name with fewer dots than `ndots` tries every search domain before itself; a name with at
 * least `ndots` dots (or a trailing dot) is tried as is first. NXDOMAIN and NODATA move on to
 * the next candidate; the first answer wins.
 */
import type { DnsRcode, DnsRecord, DnsResult, DnsType, TraceHop } from '../../../backend/types.ts';
import type { PodSpec } from '../../api/types.ts';
import { PUBLIC_RESOLVERS } from './internet.ts';
import type { CoreDns, DnsAnswer } from './handler.ts';
import { type StoreVersion, storeVersion } from '../version.ts';

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  ndots: number;
  options: string[];
  /** Where it came from, for the trace (e.g. `dnsPolicy ClusterFirst`). */
  source: string;
  hostAliases: { ip: string; hostnames: string[] }[];
}

/** kind nodes resolve through the Docker network's gateway; the simulator treats it as the Internet. */
export const NODE_UPSTREAM_DNS = '172.18.0.1';

/** The Service in front of CoreDNS, as kubeadm (and so kind) names it. */
const KUBE_DNS = { namespace: 'kube-system', name: 'kube-dns' } as const;

export interface DnsSettings {
  dnsServiceIP: string;
  clusterDomain: string;
}

export function resolvConfFor(namespace: string, spec: Partial<PodSpec>, cfg: DnsSettings): ResolvConf {
  let policy = spec.dnsPolicy ?? 'ClusterFirst';
  let source = `dnsPolicy ${policy}`;
  if (policy === 'ClusterFirst' && spec.hostNetwork) {
    policy = 'Default';
    source = 'dnsPolicy ClusterFirst with hostNetwork (behaves as Default)';
  }
  let nameservers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') {
    const z = cfg.clusterDomain;
    nameservers = [cfg.dnsServiceIP];
    searches = [`${namespace}.svc.${z}`, `svc.${z}`, z];
    options = ['ndots:5'];
  } else if (policy === 'Default') {
    nameservers = [NODE_UPSTREAM_DNS];
  }
  const dc = spec.dnsConfig;
  if (dc) {
    nameservers = [...nameservers, ...(dc.nameservers ?? [])].slice(0, 3);
    searches = [...new Set([...searches, ...(dc.searches ?? [])])];
    const byName = new Map(options.map((o) => [o.split(':')[0]!, o]));
    for (const o of dc.options ?? []) byName.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
    options = [...byName.values()];
  }
  const nd = options.find((o) => o.startsWith('ndots:'));
  const ndots = nd ? Math.min(15, Number(nd.slice(6)) || 0) : 1;
  return { nameservers, searches, ndots, options, source, hostAliases: spec.hostAliases ?? [] };
}

export function renderResolvConf(c: ResolvConf): string {
  const lines = [...c.nameservers.map((n) => `nameserver ${n}`)];
  if (c.searches.length) lines.push(`search ${c.searches.join(' ')}`);
  if (c.options.length) lines.push(`options ${c.options.join(' ')}`);
  return lines.join('\n');
}

/** The names the stub resolver tries, in order. */
export function searchCandidates(name: string, c: ResolvConf): string[] {
  if (name.endsWith('.')) return [name];
  const dots = (name.match(/\./g) ?? []).length;
  const expanded = c.searches.map((s) => `${name}.${s}.`);
  return dots >= c.ndots ? [`${name}.`, ...expanded] : [...expanded, `${name}.`];
}

/**
 * Results per resolv.conf object, valid while the store stands (any write may change an
 * answer: Services, EndpointSlices, Namespaces). A distribution check resolves the same name
 * from the same client hundreds of times. Answers CoreDNS shuffled (`loadbalance`, two or more
 * A records) are never cached: each query draws from the RNG, as before.
 */
interface ResolveCache {
  version: number;
  /** qtype → who → name. Nested rather than one joined key: the strings come from the same objects each time, and joining them cost more than the lookups. */
  results: Map<DnsType, Map<string, Map<string, DnsResult>>>;
}

const copyResult = (r: DnsResult): DnsResult => ({ ...r, answers: r.answers.slice(), trace: r.trace.slice() });

export class PodResolver {
  private readonly version: StoreVersion;
  private readonly cache = new WeakMap<ResolvConf, ResolveCache>();

  constructor(
    private readonly coredns: CoreDns,
    private readonly cfg: DnsSettings,
  ) {
    this.version = storeVersion(coredns.state.store);
  }

  /** Ask one nameserver; undefined when it does not answer (timeout). */
  private ask(server: string, qname: string, qtype: DnsType): DnsAnswer | undefined {
    if (server === this.cfg.dnsServiceIP) return this.clusterDnsUp() ? this.coredns.serve(qname, qtype) : undefined;
    if (server === NODE_UPSTREAM_DNS || PUBLIC_RESOLVERS.has(server)) return this.coredns.upstream(qname, qtype);
    return undefined;
  }

  /**
   * Queries to the kube-dns ClusterIP reach CoreDNS through kube-proxy, so they need a ready
   * endpoint behind the kube-dns Service: with every CoreDNS pod gone, not ready or evicted,
   * nothing answers and the stub resolver times out ("no servers could be reached"). While
   * some endpoints are ready the resolver's retries find one, so the answer comes.
   */
  private clusterDnsUp(): boolean {
    for (const slice of this.coredns.state.slicesFor(KUBE_DNS.namespace, KUBE_DNS.name)) {
      for (const e of slice.endpoints ?? []) if (e.conditions?.ready !== false) return true;
    }
    return false;
  }

  /** The answer as the caller's own copy. */
  resolve(conf: ResolvConf, name: string, qtype: DnsType, who: string): DnsResult {
    return copyResult(this.lookup(conf, name, qtype, who));
  }

  /**
   * The answer, possibly the cached object itself: for callers inside the simulator that only
   * read it (a request's own name lookup), which then skip a copy per request.
   */
  lookup(conf: ResolvConf, name: string, qtype: DnsType, who: string): Readonly<DnsResult> {
    let c = this.cache.get(conf);
    if (!c || c.version !== this.version.value) this.cache.set(conf, (c = { version: this.version.value, results: new Map() }));
    let byWho = c.results.get(qtype);
    if (!byWho) c.results.set(qtype, (byWho = new Map()));
    let byName = byWho.get(who);
    if (!byName) byWho.set(who, (byName = new Map()));
    const hit = byName.get(name);
    if (hit) return hit;
    const shuffles = this.coredns.shuffles;
    const r = this.walk(conf, name, qtype, who);
    if (this.coredns.shuffles === shuffles) byName.set(name, r);
    return r;
  }

  private walk(conf: ResolvConf, name: string, qtype: DnsType, who: string): DnsResult {
    const trace: TraceHop[] = [
      { component: 'client', detail: `${who}: /etc/resolv.conf (${conf.source}) says: ${renderResolvConf(conf).replace(/\n/g, '; ') || '(empty)'}` },
    ];
    const bare = name.replace(/\.$/, '');
    if (qtype === 'A') {
      const alias = conf.hostAliases.find((h) => h.hostnames.some((n) => n.toLowerCase() === bare.toLowerCase()));
      if (alias) {
        trace.push({ component: 'dns', detail: `${bare} is in the pod's /etc/hosts (hostAliases): ${alias.ip}` });
        return { rcode: 'NOERROR', qname: `${bare}.`, answers: [{ name: `${bare}.`, type: 'A', ttl: 0, data: alias.ip }], trace };
      }
    }
    if (conf.nameservers.length === 0) {
      trace.push({ component: 'dns', detail: 'no nameserver is configured, so nothing can be resolved' });
      return { rcode: 'SERVFAIL', answers: [], trace };
    }
    const candidates = searchCandidates(name, conf);
    if (!name.endsWith('.') && conf.searches.length) {
      const dots = (name.match(/\./g) ?? []).length;
      trace.push({
        component: 'dns',
        detail: dots >= conf.ndots
          ? `"${name}" has ${dots} dot(s), at least ndots:${conf.ndots}, so it is tried as is first, then with each search domain`
          : `"${name}" has ${dots} dot(s), fewer than ndots:${conf.ndots}, so each search domain is tried first: ${candidates.join(', ')}`,
      });
    }
    let sawNodata: { qname: string } | undefined;
    let last: { rcode: DnsRcode; qname: string } | undefined;
    for (const qname of candidates) {
      let answer: DnsAnswer | undefined;
      let server = '';
      for (const ns of conf.nameservers) {
        answer = this.ask(ns, qname, qtype);
        server = ns;
        if (answer) break;
        trace.push({ component: 'dns', detail: `nameserver ${ns} does not answer (timed out)` });
      }
      if (!answer) {
        trace.push({ component: 'dns', detail: 'no servers could be reached' });
        return { rcode: 'SERVFAIL', answers: [], trace };
      }
      const records: DnsRecord[] = answer.answers;
      const summary = answer.rcode === 'NOERROR' && records.length
        ? records.map((r) => `${r.type} ${r.data}`).join(', ')
        : answer.nodata ? 'NOERROR, no records (NODATA)' : answer.rcode;
      trace.push({ component: 'dns', detail: `${qname} ${qtype} → ${summary} from ${server}: ${answer.why}` });
      if (answer.rcode === 'NOERROR' && records.length) return { rcode: 'NOERROR', qname, answers: records, trace };
      if (answer.rcode === 'NOERROR') sawNodata ??= { qname };
      else if (answer.rcode !== 'NXDOMAIN') return { rcode: answer.rcode, qname, answers: [], trace };
      last = { rcode: answer.rcode, qname };
    }
    if (sawNodata) return { rcode: 'NOERROR', qname: sawNodata.qname, answers: [], trace };
    return { rcode: last?.rcode ?? 'NXDOMAIN', qname: last?.qname, answers: [], trace };
  }
}
