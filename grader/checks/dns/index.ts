export { exec, addressesOf, explainNxdomain, type DnsSpec } from './dns.ts';
