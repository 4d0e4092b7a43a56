/**
 * IPv4 helpers: the simulated cluster is single-stack IPv4 like a default kind cluster, so
 * addresses are handled as unsigned 32-bit integers for ranges, CIDRs and ordering.
 */

/** Dotted quad → integer: four parts of 1–3 digits, each at most 255; anything else undefined. */
export function ipToInt(ip: string): number | undefined {
  // Read character by character: every request's host goes through here (isIPv4), and
  // splitting plus a regex per part showed in the probes' profile.
  let n = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= ip.length; i++) {
    const ch = i < ip.length ? ip.charCodeAt(i) : 46; // a final '.' closes the last part
    if (ch >= 48 && ch <= 57) {
      if (++digits > 3) return undefined;
      part = part * 10 + (ch - 48);
    } else if (ch === 46) {
      if (digits === 0 || part > 255 || ++parts > 4) return undefined;
      n = n * 256 + part;
      part = 0;
      digits = 0;
    } else return undefined;
  }
  return parts === 4 ? n >>> 0 : undefined;
}

export function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIPv4(s: string): boolean {
  return ipToInt(s) !== undefined;
}

/** An inclusive range of addresses. */
export interface IpRange {
  first: number;
  last: number;
}

/**
 * Parses the address forms MetalLB accepts in an IPAddressPool: `a.b.c.d/nn`, `a.b.c.d-e.f.g.h`
 * and a bare address. IPv6 entries return undefined (the simulated cluster is IPv4-only).
 */
export function parseRange(spec: string): IpRange | undefined {
  const s = spec.trim();
  const dash = s.indexOf('-');
  if (dash > 0) {
    const a = ipToInt(s.slice(0, dash).trim());
    const b = ipToInt(s.slice(dash + 1).trim());
    if (a === undefined || b === undefined || b < a) return undefined;
    return { first: a, last: b };
  }
  const slash = s.indexOf('/');
  if (slash > 0) {
    const base = ipToInt(s.slice(0, slash));
    const bits = Number(s.slice(slash + 1));
    if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
    const size = 2 ** (32 - bits);
    const first = Math.floor(base / size) * size;
    return { first, last: first + size - 1 };
  }
  const one = ipToInt(s);
  return one === undefined ? undefined : { first: one, last: one };
}

export function inRange(ip: string, r: IpRange): boolean {
  const n = ipToInt(ip);
  return n !== undefined && n >= r.first && n <= r.last;
}

export function inCidr(ip: string, cidr: string): boolean {
  const r = parseRange(cidr);
  return r !== undefined && cidr.includes('/') && inRange(ip, r);
}

/** Sort key so 10.0.0.9 sorts before 10.0.0.10. */
export function compareIps(a: string, b: string): number {
  return (ipToInt(a) ?? 0) - (ipToInt(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0);
}

/** `10.244.1.5` → `10-244-1-5`, as CoreDNS names pods and unnamed endpoints. */
export function dashed(ip: string): string {
  return ip.replace(/\./g, '-');
}

/** `10.96.0.10` → `10.0.96.10.in-addr.arpa.` */
export function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
}
