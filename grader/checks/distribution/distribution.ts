/**
 * `distribution`: send N requests and count which pod served each. Compared with the
 * ready endpoints of a Service (all used, evenly within a tolerance), with shares by label
 * (canary), with one backend only (session affinity or keep-alive) and with no errors. An
 * error is a request without an answer (refused, timed out) or answered by a gateway error
 * (502, 503, 504); those count toward no pod.
 */
import type { HttpResult, ServedBy, TraceHop } from '../../backend/types.ts';
import type { Pod } from '../../sim/api/types.ts';
import type { Evidence } from '../report.ts';
import { type CheckContext, type CheckOf, type CheckOutcome, fail, pass } from '../types.ts';
import { serviceEndpoints } from '../util/cluster.ts';
import { labelString, labelsMatch } from '../util/refs.ts';
import { prepareRequest } from '../http/request.ts';

export type DistributionSpec = Pick<CheckOf<'distribution'>, 'request' | 'requests' | 'keepAlive' | 'expect'>;

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/**
 * Counts answers as they arrive and drops them: only the counts and two traces are kept. A
 * class with its state in fields (not a closure over locals) and pods found through nested
 * maps of the pod's own name strings, since it runs for every one of hundreds of requests.
 */
class Tally {
  readonly errors = new Map<string, number>();
  unattributed = 0;
  firstTrace: TraceHop[] = [];
  /** The first dropped request after an answered first one: its path says why it failed. */
  firstFailure: { index: number; error: string; trace: TraceHop[] } | undefined;
  private firstFailed = false;
  private readonly byNamespace = new Map<string, Map<string, { n: number; by: ServedBy }>>();
  /** Every serving pod once, in the order it first answered. */
  readonly served: { n: number; by: ServedBy }[] = [];

  add(r: HttpResult, i: number): void {
    if (i === 0) this.firstTrace = r.trace;
    let error: string | undefined;
    if (!r.ok) error = r.error;
    // A gateway error is a dropped request to the client as much as a refused connection is:
    // ingress-nginx answers 503 while a Service has no ready endpoint, 502 when the upstream
    // refuses, 504 when it times out. An application's own 500 is an answer from a pod (the
    // app's problem, judged by the checks about the app), and counts for that pod.
    else if (r.status === 502 || r.status === 503 || r.status === 504) error = `HTTP ${r.status}`;
    if (error !== undefined) {
      this.errors.set(error, (this.errors.get(error) ?? 0) + 1);
      if (i === 0) this.firstFailed = true;
      else if (!this.firstFailure && !this.firstFailed) this.firstFailure = { index: i, error, trace: r.trace };
      return;
    }
    if (!r.ok) return;
    const by = r.servedBy;
    if (!by) {
      this.unattributed++;
      return;
    }
    let pods = this.byNamespace.get(by.namespace);
    if (!pods) this.byNamespace.set(by.namespace, (pods = new Map()));
    const seen = pods.get(by.pod);
    if (seen) {
      seen.n++;
      seen.by = by;
    } else {
      const s = { n: 1, by };
      pods.set(by.pod, s);
      this.served.push(s);
    }
  }
}

export async function exec(ctx: CheckContext<DistributionSpec & { id?: string }>): Promise<CheckOutcome> {
  const c = ctx.check;
  const prep = await prepareRequest(c.request, ctx.backend);
  if (!prep.ok) return fail(prep.problem, [{ path: `request ${c.request.url}`, expected: 'resolvable address', observed: prep.problem }]);
  const n = c.requests ?? 90;
  const probe = { ...prep.probe };
  // One connection for all requests pins a backend under iptables; otherwise a new one each time.
  if (c.keepAlive) probe.connectionKey = `distribution:${c.id ?? 'assert'}`;
  const tally = new Tally();
  if (ctx.backend.httpRepeat) await ctx.backend.httpRepeat(probe, n, (r, i) => tally.add(r, i));
  else for (let i = 0; i < n; i++) tally.add(await ctx.backend.http({ ...probe }), i);
  const { errors, unattributed, firstTrace, firstFailure } = tally;
  // `namespace/pod` → count and who served, in the order the pods first answered.
  const counts = new Map<string, number>();
  const servers = new Map<string, ServedBy>();
  for (const s of tally.served) {
    const key = `${s.by.namespace}/${s.by.pod}`;
    counts.set(key, s.n);
    servers.set(key, s.by);
  }
  const answered = [...counts.values()].reduce((a, b) => a + b, 0);
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  const perPod = Object.fromEntries([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  const observed: Record<string, unknown> = { requests: n, perPod };
  if (errorCount) observed.errors = Object.fromEntries([...errors.entries()].sort());
  if (unattributed) observed.unattributed = unattributed;
  const evidence: Evidence[] = [{ path: `${n} × ${prep.label}`, expected: c.expect, observed, trace: firstTrace }];
  if (firstFailure) evidence.push({ path: `request ${firstFailure.index + 1} of ${n}`, expected: 'an answer from a pod', observed: firstFailure.error, trace: firstFailure.trace });
  const summary = () => `${n} requests: ${Object.entries(perPod).map(([p, k]) => `${p.split('/')[1]} ${k}`).join(', ') || 'none answered'}${errorCount ? `, ${errorCount} failed` : ''}`;
  const e = c.expect;

  if (unattributed && (e.allReadyEndpointsOf || e.evenWithin !== undefined || e.shares || e.singleBackend)) {
    return fail(`${unattributed} of ${n} answers do not say which pod served them, so the spread cannot be measured`, evidence);
  }
  if (e.noErrors && errorCount) {
    const kinds = [...errors.entries()].map(([k, v]) => `${v}× ${k}`).join(', ');
    return fail(`${errorCount} of ${n} requests failed (${kinds}); every request should be answered`, evidence);
  }
  if (answered === 0) {
    const kinds = [...errors.entries()].map(([k, v]) => `${v}× ${k}`).join(', ');
    return fail(`none of the ${n} requests was answered${kinds ? ` (${kinds})` : ''}`, evidence);
  }
  let endpoints: string[] | undefined;
  if (e.allReadyEndpointsOf) {
    const ns = e.allReadyEndpointsOf.namespace ?? 'default';
    const eps = (await serviceEndpoints(ctx.backend, ns, e.allReadyEndpointsOf.name)).filter((x) => x.ready);
    evidence.push({ path: `ready endpoints of Service ${ns}/${e.allReadyEndpointsOf.name}`, expected: 'each serves at least one request', observed: eps.map((x) => `${x.ip}${x.pod ? ` (${x.pod})` : ''}`) });
    if (eps.length === 0) return fail(`Service ${ns}/${e.allReadyEndpointsOf.name} has no ready endpoints, so no pod can share the traffic (${summary()})`, evidence);
    endpoints = eps.map((x) => (x.pod ? `${ns}/${x.pod}` : ([...servers.entries()].find(([, s]) => s.ip === x.ip)?.[0] ?? x.ip)));
    const idle = endpoints.filter((p) => !counts.has(p));
    if (idle.length) return fail(`${idle.length} of ${endpoints.length} ready endpoints of Service ${ns}/${e.allReadyEndpointsOf.name} served no request (${idle.map((p) => p.split('/').pop()).join(', ')}); ${summary()}`, evidence);
  }
  if (e.evenWithin !== undefined) {
    const pool = endpoints ?? Object.keys(perPod);
    const fair = 1 / pool.length;
    for (const p of pool) {
      const share = (counts.get(p) ?? 0) / answered;
      if (Math.abs(share - fair) > e.evenWithin) {
        return fail(`pod ${p.split('/').pop()} served ${pct(share)} of the requests, but an even spread over ${pool.length} pods is ${pct(fair)} ± ${pct(e.evenWithin)}; ${summary()}`, evidence);
      }
    }
  }
  // Each serving pod's labels, read once for all the shares.
  const labelsOf = new Map<string, Readonly<Record<string, string>> | undefined>();
  for (const s of e.shares ?? []) {
    let hits = 0;
    for (const [key, k] of counts) {
      const sb = servers.get(key)!;
      if (sb.namespace !== s.namespace) continue;
      if (!labelsOf.has(key)) labelsOf.set(key, sb.labels ?? ((await ctx.backend.get({ kind: 'Pod', namespace: sb.namespace, name: sb.pod })) as Pod | undefined)?.metadata.labels);
      if (labelsMatch(s.selector, labelsOf.get(key))) hits += k;
    }
    const share = hits / answered;
    if (Math.abs(share - s.share) > s.tolerance) {
      return fail(`pods with ${labelString(s.selector)} served ${pct(share)} of the requests (${hits} of ${answered}), expected ${pct(s.share)} ± ${pct(s.tolerance)}; ${summary()}`, evidence);
    }
  }
  if (e.singleBackend && counts.size > 1) {
    return fail(`the requests were spread over ${counts.size} pods, but they should all reach the same pod; ${summary()}`, evidence);
  }
  return pass(summary(), evidence);
}
