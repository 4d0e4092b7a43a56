import { describe, expect, it } from 'vitest';
import { PodAnswer, plainAnswer } from './probe.ts';
import { LazyReply } from '../../images/builtin/factories.ts';
import type { ContainerRuntimeInfo, HttpRequestInfo } from '../../images/types.ts';

const info = { pod: { metadata: { name: 'web-a' } } } as unknown as ContainerRuntimeInfo;
const req: HttpRequestInfo = { method: 'GET', path: '/', host: 'web', port: 80, headers: { accept: '*/*' } };

describe('a pod answer with a lazily written body', () => {
  it('writes the body once, and only when it is read', () => {
    let renders = 0;
    const render = (c: ContainerRuntimeInfo, r: HttpRequestInfo) => {
      renders++;
      return `Hostname: ${c.pod.metadata.name}\n${r.method} ${r.path}`;
    };
    const a = new PodAnswer(new LazyReply(200, { 'content-type': 'text/plain' }, render, info, req), { 'content-type': 'text/plain' }, { pod: 'web-a', namespace: 'default' }, undefined, []);
    expect(a.ok).toBe(true);
    expect(a.status).toBe(200);
    expect(renders).toBe(0);
    expect(a.body).toBe('Hostname: web-a\nGET /');
    expect(a.body).toBe('Hostname: web-a\nGET /');
    expect(renders).toBe(1);
  });

  it('prints and copies as the plain result, fields in their documented order', () => {
    const trace = [{ component: 'pod', detail: 'web-a answers 200' }];
    const a = new PodAnswer({ status: 200, body: 'hi' }, {}, { pod: 'web-a', namespace: 'default' }, undefined, trace);
    const plain = { ok: true, status: 200, headers: {}, body: 'hi', servedBy: { pod: 'web-a', namespace: 'default' }, trace };
    expect(plainAnswer(a)).toEqual(plain);
    expect(Object.keys(plainAnswer(a))).toEqual(['ok', 'status', 'headers', 'body', 'servedBy', 'trace']);
    expect(JSON.parse(JSON.stringify(a))).toEqual(plain);
    // Results that are plain already pass through untouched.
    const refused = { ok: false as const, error: 'connection refused', trace: [] };
    expect(plainAnswer(refused)).toBe(refused);
  });

  it('keeps the certificate of an HTTPS answer, before the trace', () => {
    const cert = { subject: 'CN=shop.example.com', issuer: 'CN=ca', dnsNames: ['shop.example.com'], notBefore: '', notAfter: '', validForHost: true, selfSigned: false } as never;
    const a = new PodAnswer({ status: 200, body: '' }, {}, { pod: 'web-a', namespace: 'default' }, cert, []);
    expect(Object.keys(plainAnswer(a))).toEqual(['ok', 'status', 'headers', 'body', 'servedBy', 'certificate', 'trace']);
  });
});
