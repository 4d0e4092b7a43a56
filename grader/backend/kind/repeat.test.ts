/**
 * The kind backend's request loop (curlRepeatCommand + parseCurlRepeat), run for real: the
 * command the probe pod would run is run here with this machine's bash and curl against a local
 * server, so quoting, the -w report and the parsing meet real curl output. Skipped (with the
 * reason) where curl or bash is missing.
 */
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlRepeatCommand, parseCurlRepeat } from './probes.ts';
import type { HttpResult } from '../types.ts';

const missing = ['curl', 'bash'].filter((t) => spawnSync(t, ['--version']).error);
if (missing.length) console.warn(`[kind request loop] skipped: ${missing.join(' and ')} not found on PATH`);

describe.skipIf(missing.length > 0)('curlRepeatCommand with real curl', () => {
  let server: http.Server;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    // Answers like traefik/whoami, naming a "pod" per connection: pod-1, pod-2, …
    server = http.createServer((req, res) => {
      const n = (req.socket as unknown as { n?: number }).n ?? ((req.socket as unknown as { n?: number }).n = ++connections);
      if (req.url === '/down') {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('no endpoints\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'x-echo': String(req.headers['x-canary'] ?? '') });
      res.end(`Hostname: pod-${n}\nIP: 127.0.0.1\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // Asynchronously: the server answers from this same process.
  const run = async (cmd: string[]) => {
    const r = await execa(cmd[0]!, cmd.slice(1), { reject: false });
    return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? 1 };
  };
  const pods = (rs: HttpResult[]) => rs.map((r) => (r.ok ? r.servedBy?.pod : r.error));

  it('a new connection per request without keep-alive, each answer parsed in order', async () => {
    const before = connections;
    const p = { from: { kind: 'pod' as const, namespace: 'default' }, url: `http://127.0.0.1:${port}/`, headers: { 'X-Canary': "it's on" } };
    const cmd = curlRepeatCommand(p, 5, false);
    expect(cmd.slice(0, 2)).toEqual(['bash', '-c']);
    const r = await run(cmd);
    const results = parseCurlRepeat(r.stdout, r.exitCode, r.stderr, 5, false);
    expect(results).toHaveLength(5);
    expect(results.every((x) => x.ok && x.status === 200 && x.headers['x-echo'] === "it's on")).toBe(true);
    expect(new Set(pods(results)).size).toBe(5);
    expect(connections - before).toBe(5);
  });

  it('one connection for every request with keep-alive', async () => {
    const before = connections;
    const p = { from: { kind: 'pod' as const, namespace: 'default' }, url: `http://127.0.0.1:${port}/`, connectionKey: 'k' };
    const r = await run(curlRepeatCommand(p, 4, true));
    const results = parseCurlRepeat(r.stdout, r.exitCode, r.stderr, 4, true);
    expect(pods(results)).toEqual(Array(4).fill(`pod-${before + 1}`));
    expect(connections - before).toBe(1);
  });

  it('keeps gateway answers and failures in their place', async () => {
    const down = await run(curlRepeatCommand({ from: { kind: 'pod', namespace: 'default' }, url: `http://127.0.0.1:${port}/down` }, 2, false));
    expect(parseCurlRepeat(down.stdout, down.exitCode, down.stderr, 2, false).map((x) => x.ok && x.status)).toEqual([503, 503]);
    // Nothing listens on port 1: refused, as curl exits 7.
    const refused = await run(curlRepeatCommand({ from: { kind: 'pod', namespace: 'default' }, url: 'http://127.0.0.1:1/' }, 3, false));
    expect(parseCurlRepeat(refused.stdout, refused.exitCode, refused.stderr, 3, false).map((x) => !x.ok && x.error)).toEqual(Array(3).fill('connection refused'));
  });
});

describe('parseCurlRepeat', () => {
  it('fills requests the loop never reported (the exec ended early) with timeouts', () => {
    const rs = parseCurlRepeat('HTTP/1.1 200 OK\r\n\r\nHostname: a\n\n__KUBELAB__200 10.0.0.1\n__KUBELAB_RC__0\n', 137, '', 3, false);
    expect(rs.map((r) => (r.ok ? r.status : r.error))).toEqual([200, 'timed out', 'timed out']);
    expect(rs[0]).toMatchObject({ ok: true, body: 'Hostname: a\n', servedBy: { pod: 'a' } });
    expect(rs[2]!.trace[0]!.detail).toContain('ended after 1 of 3 requests (exit 137)');
  });
});
