/**
 * `object`: what the apiserver holds. One object by name, or every object of a kind matching
 * labels (with a count); `match` is a partial object compared field by field, lists as sets.
 * Evidence names the exact field: `Service default/web spec.ports[0].targetPort`.
 */
import type { KubeObject } from '../../sim/api/types.ts';
import type { Evidence } from '../report.ts';
import { type CheckContext, type CheckOf, type CheckOutcome, fail, pass } from '../types.ts';
import { formatPath, parsePath } from '../util/fieldpath.ts';
import { matchPartial, type Mismatch } from '../util/match.ts';
import { describeRef, kindPlural, labelString, labelsMatch, namespaceFor, show } from '../util/refs.ts';

export type ObjectSpec = Pick<CheckOf<'object'>, 'target' | 'select' | 'count' | 'match' | 'absent'>;

export async function exec(ctx: CheckContext<ObjectSpec>): Promise<CheckOutcome> {
  const c = ctx.check;
  if (c.target) return one(ctx, c.target);
  if (c.select) return many(ctx, c.select);
  throw new Error('an object check needs `target` (one object) or `select` (objects by labels)');
}

/** `match` may use dotted keys (`spec.type: NodePort`) as well as nested objects. */
export function expandMatch(match: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(match)) {
    const segs = /[.[]/.test(key) ? parsePath(key) : [key];
    let cur: Record<string | number, unknown> = out;
    segs.forEach((seg, i) => {
      if (i === segs.length - 1) cur[seg] = value;
      else cur = (cur[seg] ??= typeof segs[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
    });
  }
  return out;
}

function mismatchEvidence(label: string, mismatches: Mismatch[]): Evidence[] {
  return mismatches.map((m) => ({ path: `${label} ${formatPath(m.path)}`, expected: m.expected, observed: m.observed }));
}

function describeMismatch(label: string, m: Mismatch): string {
  const field = formatPath(m.path);
  const last = m.path[m.path.length - 1];
  if (typeof last === 'number' && m.observed === undefined) {
    return `${label} has no ${formatPath(m.path.slice(0, -1))} entry matching ${show(m.expected)}`;
  }
  if (m.observed === undefined) return `${label} has no ${field} (expected ${show(m.expected)})`;
  if (m.expected === null) return `${label} sets ${field} to ${show(m.observed)}, but it should not be set`;
  return `${label} has ${field} = ${show(m.observed)}, expected ${show(m.expected)}`;
}

async function one(ctx: CheckContext<ObjectSpec>, t: NonNullable<ObjectSpec['target']>): Promise<CheckOutcome> {
  const c = ctx.check;
  const namespace = namespaceFor(t.kind, t.namespace);
  const label = describeRef(t.kind, namespace, t.name);
  const obj = await ctx.backend.get({ kind: t.kind, namespace, name: t.name });
  if (c.absent) {
    return obj
      ? fail(`${label} exists, but it should not`, [{ path: label, expected: 'absent', observed: 'present' }])
      : pass(`${label} does not exist, as expected`, [{ path: label, expected: 'absent', observed: 'absent' }]);
  }
  if (!obj) {
    // Missing because `kubectl apply` refused it: the apiserver's words say what to fix.
    const refused = ctx.rejected?.find((f) => f.ref?.kind === t.kind && f.ref.name === t.name && (namespace === undefined || (f.ref.namespace ?? 'default') === namespace));
    if (refused) {
      const where = refused.line !== undefined ? `${refused.file}:${refused.line}` : refused.file;
      return fail(`${label} does not exist: kubectl apply rejected it (${where}): ${refused.message}`, [{ path: label, expected: 'present', observed: `rejected by the apiserver: ${refused.message}` }]);
    }
    const others = (await ctx.backend.list(t.kind, namespace)).map((o) => o.metadata.name);
    const found = others.length ? `the ${kindPlural(t.kind)} there are: ${others.join(', ')}` : `there is no ${t.kind} there at all`;
    const elsewhere = namespace
      ? (await ctx.backend.list(t.kind)).filter((o) => o.metadata.name === t.name && o.metadata.namespace !== namespace).map((o) => o.metadata.namespace)
      : [];
    const also = elsewhere.length ? `; a ${t.kind} named ${t.name} exists in namespace ${elsewhere.join(', ')}` : '';
    return fail(`${label} does not exist: ${found}${also}`, [{ path: label, expected: 'present', observed: others.length ? others : 'absent' }]);
  }
  if (!c.match) return pass(`${label} exists`, [{ path: label, expected: 'present', observed: 'present' }]);
  const mismatches = matchPartial(expandMatch(c.match), obj);
  if (mismatches.length === 0) return pass(`${label} has the expected fields`, [{ path: label, expected: c.match, observed: 'matches' }]);
  const more = mismatches.length > 1 ? ` (and ${mismatches.length - 1} more difference${mismatches.length > 2 ? 's' : ''})` : '';
  return fail(describeMismatch(label, mismatches[0]!) + more + podStatusNote(obj), mismatchEvidence(label, mismatches));
}

/**
 * For a Pod, what `kubectl get pods` would show in STATUS when a container is not running
 * (ImagePullBackOff, CrashLoopBackOff, CreateContainerConfigError …), with the kubelet's
 * message: the phase alone ("Pending") rarely tells a student what went wrong.
 */
export function podStatusNote(o: KubeObject): string {
  if (o.kind !== 'Pod') return '';
  for (const cs of [...(o.status?.initContainerStatuses ?? []), ...(o.status?.containerStatuses ?? [])]) {
    const waiting = cs?.state?.waiting;
    if (waiting?.reason) return `; container ${cs.name} is waiting: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`;
    const term = cs?.state?.terminated;
    if (term?.reason && term.reason !== 'Completed') return `; container ${cs.name} terminated: ${term.reason} (exit code ${term.exitCode})`;
  }
  const unsched = o.status?.conditions?.find((c: { type: string; status: string }) => c.type === 'PodScheduled' && c.status === 'False');
  return unsched?.message ? `; the pod is not scheduled: ${unsched.message}` : '';
}

/** A count bound as a reader says it: "at least 3", "exactly 2", "none", "between 2 and 4". */
function countWords(min: number, max: number | undefined): string {
  if (max === undefined) return `at least ${min}`;
  if (max === 0) return 'none';
  if (min === max) return `exactly ${min}`;
  return min === 0 ? `at most ${max}` : `between ${min} and ${max}`;
}

async function many(ctx: CheckContext<ObjectSpec>, s: NonNullable<ObjectSpec['select']>): Promise<CheckOutcome> {
  const c = ctx.check;
  const namespace = namespaceFor(s.kind, s.namespace);
  const sel = labelString(s.selector);
  // Evidence names the query in the plural; messages agree with the count ("found 1 Pod").
  const whereFor = (n: number) => `${kindPlural(s.kind, n)}${sel ? ` with ${sel}` : ''}${namespace ? ` in namespace ${namespace}` : ''}`;
  const where = whereFor(2);
  const objs: KubeObject[] = (await ctx.backend.list(s.kind, namespace)).filter((o) => labelsMatch(s.selector, o.metadata.labels));
  const names = objs.map((o) => o.metadata.name);
  const min = c.absent ? 0 : (c.count?.min ?? (c.count?.max !== undefined ? 0 : 1));
  const max = c.absent ? 0 : c.count?.max;
  const evidence: Evidence[] = [{ path: where, expected: countWords(min, max), observed: names }];
  if (objs.length < min) return fail(`found ${objs.length} ${whereFor(objs.length)}${names.length ? ` (${names.join(', ')})` : ''}, expected at least ${min}`, evidence);
  if (max !== undefined && objs.length > max) return fail(`found ${objs.length} ${whereFor(objs.length)} (${names.join(', ')}), expected at most ${max}`, evidence);
  if (c.match) {
    const expected = expandMatch(c.match);
    for (const o of objs) {
      const label = describeRef(s.kind, o.metadata.namespace, o.metadata.name);
      const mismatches = matchPartial(expected, o);
      if (mismatches.length) {
        const more = mismatches.length > 1 ? ` (and ${mismatches.length - 1} more difference${mismatches.length > 2 ? 's' : ''})` : '';
        return fail(describeMismatch(label, mismatches[0]!) + more + podStatusNote(o), [...evidence, ...mismatchEvidence(label, mismatches)]);
      }
    }
  }
  return pass(`found ${objs.length} ${whereFor(objs.length)}${names.length ? ` (${names.join(', ')})` : ''}${c.match ? ', all with the expected fields' : ''}`, evidence);
}
