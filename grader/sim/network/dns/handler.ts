/**
 * Layer 3 of DNS: CoreDNS as kubeadm configures it on kind (cmd/kubeadm/app/phases/addons/dns):
 *   kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa ip6.arpa; ttl 30 }
 *   forward . /etc/resolv.conf;  cache 30;  loadbalance
 * This is the one place where lookup reasons become response codes: names that do not exist
 * are NXDOMAIN, names that exist without a record of the asked type are NODATA (NOERROR with an
 * empty answer). Names outside the zone go "upstream" (internet.ts). `loadbalance` shuffles A
 * records with the seeded RNG.
 */
import type { DnsRcode, DnsRecord, DnsType } from '../../../backend/types.ts';
import type { Rng } from '../../../util/rng.ts';
import type { NetworkState } from '../state.ts';
import { reverseName } from '../ip.ts';
import { ClusterDnsLookup, LookupError, type LookupResult } from './lookup.ts';
import { parse } from './parse.ts';
import { internetLookup } from './internet.ts';

export const DNS_TTL = 30;

export interface DnsAnswer {
  rcode: DnsRcode;
  answers: DnsRecord[];
  /** NOERROR with no answer: the name exists, the type does not. */
  nodata: boolean;
  why: string;
}

/** The single mapping from named lookup errors to response codes. */
export function rcodeFor(error: LookupError): { rcode: DnsRcode; nodata: boolean } {
  return error === LookupError.noRecordsOfType ? { rcode: 'NOERROR', nodata: true } : { rcode: 'NXDOMAIN', nodata: false };
}

export class CoreDns {
  readonly lookup: ClusterDnsLookup;
  /** Answers shuffled so far: each drew from the RNG, so such an answer must never be replayed from a cache. */
  shuffles = 0;
  constructor(
    readonly state: NetworkState,
    private readonly zone: string,
    private readonly rng: Rng,
  ) {
    this.lookup = new ClusterDnsLookup(state, zone);
  }

  serve(qname: string, qtype: DnsType, depth = 0): DnsAnswer {
    const name = qname.endsWith('.') ? qname : `${qname}.`;
    const req = parse(name, this.zone);
    let result: LookupResult;
    if (req.kind === 'external') return this.upstream(name, qtype);
    result = this.lookup.lookup(req, qtype);
    if (!result.ok) {
      // Reverse names the kubernetes plugin does not know fall through to upstream, which knows none.
      const { rcode, nodata } = rcodeFor(result.error);
      return { rcode, nodata, answers: [], why: result.why };
    }
    let answers: DnsRecord[] = result.records.map((r) => ({ name, type: r.type, ttl: DNS_TTL, data: r.data }));
    let why = result.why;
    if (result.cnameTarget && depth < 5) {
      const chased = this.serve(result.cnameTarget, qtype, depth + 1);
      answers = answers.concat(chased.answers);
      why += chased.answers.length ? `; ${result.cnameTarget} → ${chased.answers.filter((a) => a.type === qtype).map((a) => a.data).join(', ') || 'no address'}` : `; ${result.cnameTarget} itself does not resolve (${chased.why})`;
    }
    return { rcode: 'NOERROR', nodata: answers.length === 0, answers: this.shuffle(answers), why };
  }

  /** `forward . /etc/resolv.conf`: the node's resolver, i.e. the (simulated) Internet. */
  upstream(name: string, qtype: DnsType): DnsAnswer {
    const ip = internetLookup(name);
    if (!ip) return { rcode: 'NXDOMAIN', nodata: false, answers: [], why: `${name} is outside the cluster; CoreDNS forwards it upstream, and the simulated Internet does not know it` };
    if (qtype !== 'A') return { rcode: 'NOERROR', nodata: true, answers: [], why: `${name} is outside the cluster and has no ${qtype} record` };
    return { rcode: 'NOERROR', nodata: false, answers: [{ name, type: 'A', ttl: DNS_TTL, data: ip }], why: `${name} is outside the cluster; CoreDNS forwards it upstream, which answers ${ip}` };
  }

  /** The `loadbalance` plugin: A records in random order, CNAMEs kept in front. */
  private shuffle(answers: DnsRecord[]): DnsRecord[] {
    const a = answers.filter((r) => r.type === 'A');
    if (a.length < 2) return answers;
    this.shuffles++;
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return [...answers.filter((r) => r.type !== 'A'), ...a];
  }

  ptrName(ip: string): string {
    return reverseName(ip);
  }
}
