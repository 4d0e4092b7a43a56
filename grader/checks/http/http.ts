/**
 * `http`: one request, from a pod or from outside, and what the answer must be: status,
 * connection error, body, headers, which pod served it, certificate, redirect.
 */
import type { CertificateInfo, HttpResult } from '../../backend/types.ts';
import type { HttpExpect } from '../../lab/schema.ts';
import type { z } from 'zod';
import type { Backend } from '../../backend/types.ts';
import type { Evidence } from '../report.ts';
import { type CheckContext, type CheckOf, type CheckOutcome, fail, pass } from '../types.ts';
import { describeAnswer, explainError, observedOf, prepareRequest, snippet } from './request.ts';
import { labelString, labelsMatch } from '../util/refs.ts';

export type HttpSpec = Pick<CheckOf<'http'>, 'request' | 'expect'>;
type Expect = z.infer<typeof HttpExpect>;

export async function exec(ctx: CheckContext<HttpSpec>): Promise<CheckOutcome> {
  const { request, expect } = ctx.check;
  const prep = await prepareRequest(request, ctx.backend);
  if (!prep.ok) return fail(prep.problem, [{ path: `request ${request.url}`, expected: 'resolvable address', observed: prep.problem }]);
  const r = await ctx.backend.http(prep.probe);
  const evidence: Evidence[] = [{ path: prep.label, expected: expect, observed: observedOf(r), trace: r.trace }];
  const problem = await judge(ctx.backend, prep.label, prep.probe.url, expect, r);
  if (problem) return fail(problem, evidence);
  return pass(`${prep.label} ${expect.error && !r.ok ? `failed with "${r.error}", as expected` : `answered ${describeAnswer(r)}`}`, evidence);
}

/** The first expectation the answer breaks, in words; undefined when all hold. */
export async function judge(backend: Backend, label: string, url: string, e: Expect, r: HttpResult): Promise<string | undefined> {
  if (e.error !== undefined) {
    if (r.ok) return `${label} answered ${describeAnswer(r)}, but it should fail with "${e.error}"`;
    if (!r.error.toLowerCase().includes(e.error.toLowerCase())) return `${label} failed with "${r.error}", expected "${e.error}"`;
    return undefined;
  }
  if (!r.ok) return `${label} failed: ${r.error} — ${explainError(r.error, url)}`;
  if (e.status !== undefined) {
    const want = Array.isArray(e.status) ? e.status : [e.status];
    if (!want.includes(r.status)) {
      const body = snippet(r.body, 80);
      return `${label} answered HTTP ${r.status}${r.servedBy ? ` from pod ${r.servedBy.namespace}/${r.servedBy.pod}` : ''}, expected ${want.join(' or ')}${body ? ` (body: "${body}")` : ''}`;
    }
  }
  if (e.redirectTo !== undefined) {
    const loc = r.headers.location ?? r.headers.Location;
    if (r.status < 300 || r.status > 399 || !loc) return `${label} answered HTTP ${r.status} without a redirect, expected a redirect to ${e.redirectTo}`;
    if (!loc.startsWith(e.redirectTo)) return `${label} redirects to ${loc}, expected ${e.redirectTo}`;
  }
  for (const s of e.bodyContains ?? []) {
    if (!r.body.includes(s)) return `the answer to ${label} (${describeAnswer(r)}) does not contain "${s}" (body: "${snippet(r.body, 80)}")`;
  }
  for (const s of e.bodyNotContains ?? []) {
    if (r.body.includes(s)) return `the answer to ${label} (${describeAnswer(r)}) contains "${s}", but it should not`;
  }
  for (const [k, v] of Object.entries(e.headers ?? {})) {
    const got = Object.entries(r.headers).find(([h]) => h.toLowerCase() === k.toLowerCase())?.[1];
    if (got === undefined) return `the answer to ${label} has no ${k} header (expected "${v}")`;
    if (got !== v) return `the answer to ${label} has ${k}: ${got}, expected "${v}"`;
  }
  if (e.servedBy) {
    const want = `a pod with ${labelString(e.servedBy.selector)} in namespace ${e.servedBy.namespace}`;
    // No pod named: on the simulator the proxy (e.g. ingress-nginx's own 404) answered; on kind
    // the image may not print its pod name. Show the body so the student can tell which.
    if (!r.servedBy) return `${label} answered HTTP ${r.status} (body: "${snippet(r.body, 80)}"), but no pod is known to have served it; expected an answer from ${want}`;
    const pod = await backend.get({ kind: 'Pod', namespace: r.servedBy.namespace, name: r.servedBy.pod });
    const ok = r.servedBy.namespace === e.servedBy.namespace && labelsMatch(e.servedBy.selector, pod?.metadata.labels);
    if (!ok) return `${label} was served by pod ${r.servedBy.namespace}/${r.servedBy.pod} (labels ${labelString(pod?.metadata.labels) || 'none'}), expected ${want}`;
  }
  if (e.certificateValidFor !== undefined) {
    const problem = certificateProblem(r.certificate, e.certificateValidFor);
    if (problem) return `${label}: ${problem}`;
  }
  return undefined;
}

export function certificateProblem(cert: CertificateInfo | undefined, host: string): string | undefined {
  if (!cert) return `the answer was not over HTTPS, so no certificate for ${host} was served`;
  if (cert.fake) {
    // The simulator says why the controller fell back (Secret missing, host not covered, …); kind cannot.
    if (cert.fakeReason) return `ingress-nginx served its default "Kubernetes Ingress Controller Fake Certificate" for ${host}: ${cert.fakeReason}`;
    return `ingress-nginx served its default "Kubernetes Ingress Controller Fake Certificate": no Ingress TLS entry for ${host} points at a usable Secret`;
  }
  if (!cert.subjectAltNames.some((san) => hostMatches(san, host))) return `the certificate covers ${cert.subjectAltNames.join(', ') || cert.subject}, not ${host}`;
  if (!cert.validForHost) {
    const now = cert.checkedAt ? Date.parse(cert.checkedAt) : NaN;
    if (now < Date.parse(cert.validFrom)) return `the certificate for ${host} is not valid yet: its validity starts ${cert.validFrom}, and the clock reads ${cert.checkedAt}`;
    if (now > Date.parse(cert.validTo)) return `the certificate for ${host} has expired: its validity ended ${cert.validTo}, and the clock reads ${cert.checkedAt}`;
    return `the certificate for ${host} is not valid now (valid ${cert.validFrom} to ${cert.validTo})`;
  }
  return undefined;
}

/** RFC 6125: a wildcard covers exactly one left-most label. */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.replace(/^DNS:/, '').toLowerCase();
  const h = host.toLowerCase();
  if (!p.startsWith('*.')) return p === h;
  const rest = p.slice(2);
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === rest;
}
