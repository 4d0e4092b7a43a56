/**
 * Layer 1 of DNS: turn a query name into a typed request, as the CoreDNS `kubernetes` plugin
 * splits names under its zone (coredns plugin/kubernetes/parse.go): `<svc>.<ns>.svc.<zone>`,
 * `<endpoint>.<svc>.<ns>.svc.<zone>`, `_<port>._<proto>.<svc>.<ns>.svc.<zone>`,
 * `<a-b-c-d>.<ns>.pod.<zone>`, reverse names, and everything else (outside the cluster).
 * Names are case-insensitive (RFC 4343): parsing works on the lowercased name.
 */

export type DnsRequest =
  | { kind: 'zone' }
  | { kind: 'namespace'; namespace: string }
  | { kind: 'service'; service: string; namespace: string }
  | { kind: 'endpoint'; endpoint: string; service: string; namespace: string }
  | { kind: 'srv'; port: string; protocol: string; service: string; namespace: string }
  | { kind: 'pod'; ip: string; namespace: string }
  | { kind: 'ptr'; ip: string }
  | { kind: 'invalid'; reason: string }
  | { kind: 'external'; name: string };

/** `Web.Default.svc.cluster.local` → `web.default.svc.cluster.local.` */
export function fqdn(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n : `${n}.`;
}

export function parse(qname: string, zone: string): DnsRequest {
  const name = fqdn(qname).slice(0, -1);
  const z = zone.toLowerCase().replace(/\.$/, '');
  if (name.endsWith('.in-addr.arpa')) {
    const parts = name.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return { kind: 'invalid', reason: 'not a full IPv4 reverse name' };
    return { kind: 'ptr', ip: parts.reverse().join('.') };
  }
  if (name !== z && !name.endsWith(`.${z}`)) return { kind: 'external', name };
  const rest = name === z ? [] : name.slice(0, -(z.length + 1)).split('.');
  if (rest.length === 0) return { kind: 'zone' };
  const type = rest[rest.length - 1];
  const segs = rest.slice(0, -1);
  if (type === 'svc') {
    switch (segs.length) {
      case 0: return { kind: 'zone' };
      case 1: return { kind: 'namespace', namespace: segs[0]! };
      case 2: return { kind: 'service', service: segs[0]!, namespace: segs[1]! };
      case 3:
        if (segs[0]!.startsWith('_')) return { kind: 'invalid', reason: 'an SRV name needs both _port and _protocol' };
        return { kind: 'endpoint', endpoint: segs[0]!, service: segs[1]!, namespace: segs[2]! };
      case 4:
        if (!segs[0]!.startsWith('_') || !segs[1]!.startsWith('_')) return { kind: 'invalid', reason: 'too many labels for a Service name' };
        return { kind: 'srv', port: segs[0]!.slice(1), protocol: segs[1]!.slice(1), service: segs[2]!, namespace: segs[3]! };
      default:
        return { kind: 'invalid', reason: 'too many labels for a Service name' };
    }
  }
  if (type === 'pod') {
    if (segs.length === 0) return { kind: 'zone' };
    if (segs.length === 1) return { kind: 'namespace', namespace: segs[0]! };
    if (segs.length === 2) return { kind: 'pod', ip: segs[0]!, namespace: segs[1]! };
    return { kind: 'invalid', reason: 'too many labels for a pod name' };
  }
  return { kind: 'invalid', reason: `"${type}" is neither svc nor pod` };
}
