import { describe, expect, it } from 'vitest';
import { curlCommand, digCommand, parseCurl, parseDig, parseNc } from './probes.ts';

const digOk = `; <<>> DiG 9.18.24 <<>> +search web A
;; global options: +cmd
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242
;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1

;; ANSWER SECTION:
web.default.svc.cluster.local. 30 IN	A	10.96.12.7
`;
const digNx = `;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 1
;; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1
`;

describe('probe commands and their parsing', () => {
  it('asks dig with the pod\'s search path', () => {
    expect(digCommand('web', 'A')).toEqual(expect.arrayContaining(['dig', '+search', 'web', 'A']));
  });

  it('parses NOERROR answers and NXDOMAIN', () => {
    expect(parseDig(digOk)).toEqual({
      rcode: 'NOERROR', qname: 'web.default.svc.cluster.local.',
      answers: [{ name: 'web.default.svc.cluster.local.', ttl: 30, type: 'A', data: '10.96.12.7' }],
    });
    expect(parseDig(digNx)).toEqual({ rcode: 'NXDOMAIN', qname: undefined, answers: [] });
    expect(parseDig('').rcode).toBe('SERVFAIL');
  });

  it('builds curl with --resolve, headers and cookies', () => {
    const cmd = curlCommand({ from: { kind: 'external' }, url: 'https://shop.example.com/cart', connectTo: '172.18.0.2', headers: { 'X-Canary': 'always' }, cookies: { INGRESSCOOKIE: 'abc' } });
    expect(cmd).toEqual(expect.arrayContaining(['--resolve', 'shop.example.com:443:172.18.0.2', '-H', 'X-Canary: always', '--cookie', 'INGRESSCOOKIE=abc']));
    expect(cmd.at(-1)).toBe('https://shop.example.com/cart');
  });

  it('parses status, headers, body and the serving pod from curl -i output', () => {
    const out = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nHostname: web-7d9f8-abcde\nIP: 10.244.1.4\n\n__KUBELAB__200 10.96.12.7';
    const r = parseCurl(out, 0, '');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain');
    expect(r.body).toContain('IP: 10.244.1.4');
    expect(r.servedBy?.pod).toBe('web-7d9f8-abcde');
  });

  it('maps curl failures to the simulator\'s error words', () => {
    expect(parseCurl('', 7, 'curl: (7) Failed to connect to web port 80: Connection refused')).toMatchObject({ ok: false, error: 'connection refused' });
    expect(parseCurl('', 6, 'curl: (6) Could not resolve host: nope')).toMatchObject({ ok: false, error: 'could not resolve host' });
    expect(parseCurl('', 28, 'curl: (28) Connection timed out')).toMatchObject({ ok: false, error: 'timed out' });
  });

  it('tells refused from timeout for nc', () => {
    expect(parseNc(0, 'web (10.96.0.5:80) open')).toBe('connected');
    expect(parseNc(1, 'nc: connect to web port 80 (tcp) failed: Connection refused')).toBe('refused');
    expect(parseNc(1, 'nc: connect to 10.96.0.9 port 80 (tcp) timed out')).toBe('timeout');
  });
});
