/** Values a scenario captures and compares: a field, DNS answers, ready endpoints, a body, pod names. */
import type { Backend } from '../../backend/types.ts';
import type { ValueSource } from '../../lab/schema.ts';
import { addressesOf } from '../dns/dns.ts';
import { explainError, prepareRequest } from '../http/request.ts';
import { podsMatching, readyEndpointIPs } from '../util/cluster.ts';
import { getPath, parsePath } from '../util/fieldpath.ts';
import { describeOrigin, toProbeOrigin } from '../util/origin.ts';
import { describeRef, labelString, namespaceFor } from '../util/refs.ts';

export type ValueRead = { ok: true; value: unknown } | { ok: false; problem: string };

export function describeSource(s: ValueSource): string {
  if ('field' in s) return `${describeRef(s.field.object.kind, namespaceFor(s.field.object.kind, s.field.object.namespace), s.field.object.name)} ${s.field.path}`;
  if ('dns' in s) return `the A records of ${s.dns.name} from ${describeOrigin(toProbeOrigin(s.dns.from))}`;
  if ('readyEndpoints' in s) return `the ready endpoints of Service ${s.readyEndpoints.namespace ?? 'default'}/${s.readyEndpoints.name}`;
  if ('httpBody' in s) return `the body of GET ${s.httpBody.url}`;
  return `the pods with ${labelString(s.podNames.selector)} in namespace ${s.podNames.namespace}`;
}

export async function readValue(backend: Backend, s: ValueSource): Promise<ValueRead> {
  if ('field' in s) {
    const t = s.field.object;
    const ns = namespaceFor(t.kind, t.namespace);
    const obj = await backend.get({ kind: t.kind, namespace: ns, name: t.name });
    if (!obj) return { ok: false, problem: `${describeRef(t.kind, ns, t.name)} does not exist` };
    const v = getPath(obj, parsePath(s.field.path));
    if (!v.found) return { ok: false, problem: `${describeRef(t.kind, ns, t.name)} has no ${s.field.path}` };
    return { ok: true, value: v.value };
  }
  if ('dns' in s) {
    const from = toProbeOrigin(s.dns.from);
    if (from.kind !== 'pod') throw new Error('DNS values are read from inside a pod: set `from` to a pod');
    const r = await backend.dns({ from, name: s.dns.name, type: 'A' });
    if (r.rcode !== 'NOERROR') return { ok: false, problem: `${s.dns.name} did not resolve (${r.rcode})` };
    return { ok: true, value: addressesOf(r) };
  }
  if ('readyEndpoints' in s) {
    return { ok: true, value: await readyEndpointIPs(backend, s.readyEndpoints.namespace ?? 'default', s.readyEndpoints.name) };
  }
  if ('httpBody' in s) {
    const prep = await prepareRequest({ from: s.httpBody.from ?? { pod: { namespace: 'default' } }, url: s.httpBody.url, method: 'GET', followRedirects: false }, backend);
    if (!prep.ok) return { ok: false, problem: prep.problem };
    const r = await backend.http(prep.probe);
    if (!r.ok) return { ok: false, problem: `${prep.label} failed: ${r.error} — ${explainError(r.error, prep.probe.url)}` };
    return { ok: true, value: r.body };
  }
  const pods = await podsMatching(backend, s.podNames.namespace, s.podNames.selector);
  return { ok: true, value: pods.map((p) => p.metadata.name) };
}
