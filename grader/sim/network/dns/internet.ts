/**
 * The simulated cluster has no Internet. A few documentation names stand in for it, so
 * ExternalName labs and "resolve something outside" checks have something to reach:
 * - example.com, example.net, example.org and their www. names → 93.184.215.14 (example.com's
 *   address in 2024);
 * - any other name under example.com / example.net / example.org → a stable address in
 *   192.0.2.0/24 (TEST-NET-1, RFC 5737), derived from the name.
 * Hosts listed here accept TCP on every port and answer HTTP with a small "Example Domain"
 * page. Every other name outside the cluster is NXDOMAIN. Documented in docs/fidelity.md.
 */
import { hashString } from '../../../util/rng.ts';

export const EXAMPLE_DOMAIN_IP = '93.184.215.14';
const DOMAINS = ['example.com', 'example.net', 'example.org'];

/** Public resolvers a `dnsPolicy: None` pod may name; they answer from this table. */
export const PUBLIC_RESOLVERS = new Set(['8.8.8.8', '8.8.4.4', '1.1.1.1', '1.0.0.1', '9.9.9.9']);

export function internetLookup(name: string): string | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  for (const d of DOMAINS) {
    if (n === d || n === `www.${d}`) return EXAMPLE_DOMAIN_IP;
    if (n.endsWith(`.${d}`)) return `192.0.2.${1 + (hashString(n) % 254)}`;
  }
  return undefined;
}

export function isInternetHost(ip: string): boolean {
  return ip === EXAMPLE_DOMAIN_IP || /^192\.0\.2\.\d+$/.test(ip);
}

export function internetHttpBody(host: string): string {
  return `<!doctype html>\n<html>\n<head><title>Example Domain</title></head>\n<body>\n<h1>Example Domain</h1>\n<p>${host}: a stand-in for a host outside the cluster (kubelab simulator).</p>\n</body>\n</html>\n`;
}
