import { describe, expect, it } from 'vitest';
import { runOne } from '../fixtures/run-check.ts';
import { webApp } from '../fixtures/fake-backend.ts';
import type { HttpResult } from '../../backend/types.ts';

const reply = (r: Partial<Extract<HttpResult, { ok: true }>>): HttpResult => ({ ok: true, status: 200, headers: {}, body: '', trace: [], ...r });

describe('http check', () => {
  it('passes on the expected status and says which pod served it', async () => {
    const r = await runOne({ type: 'http', request: { url: 'http://web/' }, expect: { status: 200, bodyContains: ['hello'] } });
    expect(r.status).toBe('pass');
    expect(r.message).toBe('GET http://web/ from a client pod in namespace default answered HTTP 200 from pod default/web-a');
    expect(r.evidence[0]!.trace?.map((h) => h.component)).toEqual(['client', 'pod']);
  });
  it('explains connection errors', async () => {
    const r = await runOne({ type: 'http', request: { url: 'http://web:8080/' }, expect: { status: 200 } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^GET http:\/\/web:8080\/ from a client pod in namespace default failed: connection refused — nothing accepted the connection/);
    const nx = await runOne({ type: 'http', request: { url: 'http://wordpress/' }, expect: { status: 200 } });
    expect(nx.message).toContain('could not resolve host — the name wordpress does not resolve from there');
  });
  it('expects an error when asked to', async () => {
    expect((await runOne({ type: 'http', request: { url: 'http://web:8080/' }, expect: { error: 'connection refused' } })).status).toBe('pass');
    const r = await runOne({ type: 'http', request: { url: 'http://web/' }, expect: { error: 'connection refused' } });
    expect(r.message).toContain('answered HTTP 200 from pod default/web-a, but it should fail with "connection refused"');
  });
  it('resolves placeholders from the cluster', async () => {
    const r = await runOne({ type: 'http', request: { from: 'external', url: 'http://{{nodeIP:any}}:{{nodePort:default/web:80}}/' }, expect: { status: 200 } }, {
      overrides: { http: (p) => (p.url === 'http://172.18.0.3:30080/' ? reply({ body: 'ok' }) : reply({ status: 404 })) },
    });
    expect(r.status).toBe('pass');
    expect(r.backend.log).toEqual(['http http://172.18.0.3:30080/']);
    const named = await runOne({ type: 'http', request: { from: 'external', url: 'http://{{nodeIP:kind-worker2}}/' }, expect: {} }, { overrides: { http: (p) => reply({ body: p.url }) } });
    expect(named.status).toBe('pass');
    expect(named.backend.log).toEqual(['http http://172.18.0.4/']);
    const cip = await runOne({ type: 'http', request: { url: 'http://{{clusterIP:default/web}}/' }, expect: { status: 200 } });
    expect(cip.backend.log).toEqual(['http http://10.96.0.12/']);
  });
  it('fails with the reason when a placeholder cannot be resolved', async () => {
    const lb = await runOne({ type: 'http', request: { from: 'external', url: 'http://{{loadBalancerIP:default/web}}/' }, expect: { status: 200 } });
    expect(lb.status).toBe('fail');
    expect(lb.message).toBe('cannot send the request to http://<LoadBalancer IP of default/web>/: Service default/web has no LoadBalancer IP: it is of type NodePort, not LoadBalancer');
    const objects = webApp();
    objects.find((o) => o.metadata.name === 'web' && o.kind === 'Service')!.spec.type = 'ClusterIP';
    delete objects.find((o) => o.metadata.name === 'web' && o.kind === 'Service')!.spec.ports[0].nodePort;
    const np = await runOne({ type: 'http', request: { from: 'external', url: 'http://{{nodeIP:any}}:{{nodePort:default/web:80}}/' }, expect: { status: 200 } }, { objects });
    expect(np.message).toContain('Service default/web is of type ClusterIP, so port 80 has no NodePort');
  });
  it('checks status, body, headers and redirects', async () => {
    const wrong = await runOne({ type: 'http', request: { url: 'http://web/' }, expect: { status: 404 } });
    expect(wrong.message).toBe('GET http://web/ from a client pod in namespace default answered HTTP 200 from pod default/web-a, expected 404 (body: "hello from web-a")');
    const body = await runOne({ type: 'http', request: { url: 'http://web/' }, expect: { bodyContains: ['v2'] } });
    expect(body.message).toContain('does not contain "v2"');
    const not = await runOne({ type: 'http', request: { url: 'http://web/' }, expect: { bodyNotContains: ['hello'] } });
    expect(not.message).toContain('contains "hello", but it should not');
    const hdr = await runOne({ type: 'http', request: { url: 'http://web/' }, expect: { headers: { 'Content-Type': 'text/html' } } });
    expect(hdr.message).toContain('has Content-Type: text/plain, expected "text/html"');
    const redirect = reply({ status: 308, headers: { location: 'https://shop.example.com/' } });
    expect((await runOne({ type: 'http', request: { url: 'http://shop.example.com/' }, expect: { status: 308, redirectTo: 'https://shop.example.com/' } }, { overrides: { http: () => redirect } })).status).toBe('pass');
    const noRedirect = await runOne({ type: 'http', request: { url: 'http://web/' }, expect: { redirectTo: 'https://shop.example.com/' } });
    expect(noRedirect.message).toContain('answered HTTP 200 without a redirect');
  });
  it('checks which pod served the answer', async () => {
    expect((await runOne({ type: 'http', request: { url: 'http://web/' }, expect: { servedBy: { selector: { track: 'stable' } } } })).status).toBe('pass');
    const r = await runOne({ type: 'http', request: { url: 'http://web/' }, expect: { servedBy: { selector: { track: 'canary' } } } });
    expect(r.message).toBe('GET http://web/ from a client pod in namespace default was served by pod default/web-a (labels app=web,track=stable), expected a pod with track=canary in namespace default');
  });
  it('shows the answer when no pod can be named as its source (a proxy\'s own 404)', async () => {
    const notFound = reply({ status: 404, body: '<html>\n<head><title>404 Not Found</title></head>\n</html>' });
    const r = await runOne({ type: 'http', request: { url: 'http://web/' }, expect: { servedBy: { selector: { app: 'fallback' } } } }, { overrides: { http: () => notFound } });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('GET http://web/ from a client pod in namespace default answered HTTP 404 (body: "<html> <head><title>404 Not Found</title></head> </html>"), but no pod is known to have served it; expected an answer from a pod with app=fallback in namespace default');
  });
  it('checks the certificate', async () => {
    const cert = { subject: 'CN=shop.example.com', issuer: 'CN=ca', subjectAltNames: ['shop.example.com'], validFrom: '2024-01-01', validTo: '2025-01-01', validForHost: true, fake: false, fingerprint256: 'ab' };
    const https = (c: typeof cert) => ({ http: () => reply({ certificate: c }) });
    expect((await runOne({ type: 'http', request: { url: 'https://shop.example.com/' }, expect: { certificateValidFor: 'shop.example.com' } }, { overrides: https(cert) })).status).toBe('pass');
    const fake = await runOne({ type: 'http', request: { url: 'https://shop.example.com/' }, expect: { certificateValidFor: 'shop.example.com' } }, { overrides: https({ ...cert, fake: true }) });
    expect(fake.message).toContain('Kubernetes Ingress Controller Fake Certificate');
    const other = await runOne({ type: 'http', request: { url: 'https://shop.example.com/' }, expect: { certificateValidFor: 'api.example.com' } }, { overrides: https(cert) });
    expect(other.message).toContain('the certificate covers shop.example.com, not api.example.com');
    const wildcard = await runOne({ type: 'http', request: { url: 'https://a.example.com/' }, expect: { certificateValidFor: 'a.example.com' } }, { overrides: https({ ...cert, subjectAltNames: ['*.example.com'] }) });
    expect(wildcard.status).toBe('pass');
    const plain = await runOne({ type: 'http', request: { url: 'http://web/' }, expect: { certificateValidFor: 'web' } });
    expect(plain.message).toContain('not over HTTPS');
  });
});
