/**
 * Turning a lab's HTTP request (URL with placeholders) into a Backend probe, and an answer
 * into words. Shared by the http, distribution and scenario operations.
 */
import type { Backend, HttpProbe, HttpResult } from '../../backend/types.ts';
import type { HttpRequestSpec } from '../../lab/schema.ts';
import { describeOrigin, toProbeOrigin } from '../util/origin.ts';
import { describeTemplate, resolvePlaceholders } from '../util/placeholders.ts';

export type PreparedRequest = { ok: true; probe: HttpProbe; label: string; notes: string[] } | { ok: false; problem: string };

export async function prepareRequest(spec: HttpRequestSpec, backend: Backend): Promise<PreparedRequest> {
  const url = await resolvePlaceholders(spec.url, backend);
  if (!url.ok) return { ok: false, problem: `cannot send the request to ${describeTemplate(spec.url)}: ${url.problem}` };
  const probe: HttpProbe = {
    from: toProbeOrigin(spec.from),
    url: url.value,
    method: spec.method ?? 'GET',
    followRedirects: spec.followRedirects ?? false,
  };
  if (spec.headers) probe.headers = spec.headers;
  if (spec.cookies) probe.cookies = spec.cookies;
  const notes = [...url.notes];
  if (spec.connectTo) {
    const to = await resolvePlaceholders(spec.connectTo, backend);
    if (!to.ok) return { ok: false, problem: `cannot send the request to ${describeTemplate(spec.url)}: ${to.problem}` };
    probe.connectTo = to.value;
    notes.push(...to.notes);
  }
  const via = probe.connectTo ? ` (connecting to ${probe.connectTo})` : '';
  return { ok: true, probe, label: `${probe.method} ${probe.url}${via} from ${describeOrigin(probe.from)}`, notes };
}

/** What the answer was, briefly: `HTTP 200 from pod default/web-7d4b9-abcde` or the error. */
export function describeAnswer(r: HttpResult): string {
  if (!r.ok) return r.error;
  return `HTTP ${r.status}${r.servedBy ? ` from pod ${r.servedBy.namespace}/${r.servedBy.pod}` : ''}`;
}

export function observedOf(r: HttpResult): Record<string, unknown> {
  if (!r.ok) return { error: r.error };
  const o: Record<string, unknown> = { status: r.status };
  if (r.servedBy) o.servedBy = `${r.servedBy.namespace}/${r.servedBy.pod}`;
  if (r.headers.location) o.location = r.headers.location;
  o.body = snippet(r.body);
  return o;
}

export function snippet(body: string, n = 120): string {
  const one = body.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n)}…` : one;
}

/** The usual causes behind a connection-level error, so a message explains rather than reports. */
export function explainError(error: string, url: string): string {
  const e = error.toLowerCase();
  let host = url;
  try {
    host = new URL(url).hostname;
  } catch {
    /* keep the raw text */
  }
  if (e.includes('resolve')) return `the name ${host} does not resolve from there`;
  if (e.includes('refused')) return 'nothing accepted the connection on that address and port (no such Service port, no ready endpoint, or the container does not listen on the targetPort)';
  if (e.includes('timed out') || e.includes('timeout')) return 'nothing answered: the address is not served (no endpoints behind it, a node that is down, or an IP that nothing owns)';
  if (e.includes('no route')) return `no route to ${host}: that address is not reachable from there`;
  if (e.includes('tls')) return 'the TLS handshake failed';
  return error;
}
