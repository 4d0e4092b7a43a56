/**
 * Probes from the host machine, outside the cluster: node IPs and NodePorts, LoadBalancer
 * IPs and the ingress on kind's docker network. Uses node:http/https so HTTPS probes can read
 * the certificate the server presented (SNI = the URL's host, even when connecting elsewhere).
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { CertificateInfo, HttpProbe, HttpResult, TcpResult } from '../types.ts';
import { servedByFromBody } from './probes.ts';

/** Whether `cert` covers `host` (SAN DNS names with one-label wildcards, else CN). */
export function certificateCovers(subjectAltName: string | undefined, subjectCN: string | undefined, host: string): boolean {
  const names = (subjectAltName ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase());
  const candidates = names.length ? names : subjectCN ? [subjectCN.toLowerCase()] : [];
  const h = host.toLowerCase();
  return candidates.some((n) => {
    if (n === h) return true;
    if (n.startsWith('*.')) {
      const rest = n.slice(2);
      const dot = h.indexOf('.');
      return dot > 0 && h.slice(dot + 1) === rest;
    }
    return false;
  });
}

export function externalHttp(p: HttpProbe, timeoutMs = 5000, nowMs?: number): Promise<HttpResult> {
  const url = new URL(p.url);
  const isHttps = url.protocol === 'https:';
  const mod = isHttps ? https : http;
  const headers: Record<string, string> = { ...(p.headers ?? {}) };
  const cookies = Object.entries(p.cookies ?? {}).map(([k, v]) => `${k}=${v}`).join('; ');
  if (cookies) headers.cookie = cookies;
  const connectHost = p.connectTo ?? url.hostname;
  return new Promise((resolve) => {
    const req = mod.request(
      {
        host: connectHost,
        port: url.port || (isHttps ? 443 : 80),
        path: url.pathname + url.search,
        method: p.method ?? 'GET',
        headers: { host: url.host, ...headers },
        servername: isHttps ? url.hostname : undefined,
        rejectUnauthorized: false,
        timeout: timeoutMs,
        agent: false,
      } as https.RequestOptions,
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
          let certificate: CertificateInfo | undefined;
          if (isHttps) {
            const x = (res.socket as TLSSocket).getPeerX509Certificate?.();
            if (x) {
              const now = nowMs ?? Date.now();
              const cn = /CN=([^\n,]+)/.exec(x.subject)?.[1];
              certificate = {
                subject: x.subject,
                issuer: x.issuer,
                subjectAltNames: (x.subjectAltName ?? '').split(',').map((s) => s.trim()).filter(Boolean),
                validFrom: x.validFrom,
                validTo: x.validTo,
                validForHost: certificateCovers(x.subjectAltName, cn, url.hostname) && now >= Date.parse(x.validFrom) && now <= Date.parse(x.validTo),
                fake: /Kubernetes Ingress Controller Fake Certificate/.test(x.subject),
                fingerprint256: x.fingerprint256,
              };
            }
          }
          resolve({
            ok: true,
            status: res.statusCode ?? 0,
            headers: flat,
            body,
            servedBy: servedByFromBody(body, flat),
            certificate,
            trace: [{ component: 'client', detail: `host → ${connectHost}:${url.port || (isHttps ? 443 : 80)} answered ${res.statusCode}` }],
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e: NodeJS.ErrnoException) => {
      const error = e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ENOTFOUND' ? 'could not resolve host' : /timed out/.test(e.message) ? 'timed out' : e.code === 'EHOSTUNREACH' ? 'no route to host' : e.message;
      resolve({ ok: false, error, trace: [{ component: 'client', detail: `host → ${connectHost}: ${error}` }] });
    });
    req.end();
  });
}

export function externalTcp(host: string, port: number, timeoutMs = 3000): Promise<TcpResult> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (result: TcpResult['result'], detail: string) => {
      s.destroy();
      resolve({ result, trace: [{ component: 'client', detail }] });
    };
    s.setTimeout(timeoutMs, () => done('timeout', `host → ${host}:${port}: no answer in ${timeoutMs} ms`));
    s.on('connect', () => done('connected', `host → ${host}:${port}: connected`));
    s.on('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ENOTFOUND' ? 'unresolved' : 'timeout', `host → ${host}:${port}: ${e.code ?? e.message}`));
  });
}
