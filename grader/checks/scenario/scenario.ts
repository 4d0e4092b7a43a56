/**
 * `scenario`: a timeline on its own cluster. Steps change the cluster (`do`), remember values
 * (`capture`), check behaviour with any other operation (`assert`) and compare values over
 * time (`compare`). Every step is logged in the evidence, so a failure shows what happened
 * before it. The engine gives each scenario a fresh backend with the submission applied.
 */
import type { AssertSpec, ScenarioStep } from '../../lab/schema.ts';
import type { Evidence } from '../report.ts';
import { type CheckContext, type CheckOf, type CheckOutcome, fail, pass, skipped } from '../types.ts';
import { show } from '../util/refs.ts';
import * as object from '../object/object.ts';
import * as dns from '../dns/dns.ts';
import * as http from '../http/http.ts';
import * as tcp from '../tcp/tcp.ts';
import * as distribution from '../distribution/distribution.ts';
import { describeAction, runAction } from './actions.ts';
import { describeSource, readValue } from './values.ts';

export type ScenarioSpec = Pick<CheckOf<'scenario'>, 'steps' | 'kind'> & { id?: string };

export async function exec(ctx: CheckContext<ScenarioSpec>): Promise<CheckOutcome> {
  const c = ctx.check;
  if (ctx.backend.name === 'kind' && c.kind?.skip) return skipped(`not run on kind: ${c.kind.skip}`);
  const captures = new Map<string, unknown>();
  const sources = new Map<string, Parameters<typeof readValue>[1]>();
  const evidence: Evidence[] = [];
  const did: string[] = [];
  for (const [i, step] of c.steps.entries()) {
    const n = `step ${i + 1}`;
    const outcome = await runStep(ctx, step, n, captures, sources, evidence);
    if (outcome) return outcome;
    if ('do' in step) did.push(describeAction(step.do));
  }
  return pass(`all ${c.steps.length} steps held${did.length ? ` (${did.join(' → ')})` : ''}`, evidence);
}

async function runStep(
  ctx: CheckContext<ScenarioSpec>,
  step: ScenarioStep,
  n: string,
  captures: Map<string, unknown>,
  sources: Map<string, Parameters<typeof readValue>[1]>,
  evidence: Evidence[],
): Promise<CheckOutcome | undefined> {
  if ('do' in step) {
    const what = describeAction(step.do);
    const r = await runAction({ backend: ctx.backend, loadLabFiles: ctx.loadLabFiles, maxWaitSeconds: ctx.check.kind?.maxWaitSeconds }, step.do);
    if (r.ok === 'skip') {
      evidence.push({ path: `${n}: do ${what}`, expected: step.note ?? what, observed: `skipped: ${r.reason}` });
      return skipped(`${n} (${what}) cannot run here: ${r.reason}`, evidence);
    }
    if (r.ok === false) {
      evidence.push({ path: `${n}: do ${what}`, expected: step.note ?? what, observed: r.problem });
      return fail(`${n} (${what}) could not run: ${r.problem}`, evidence);
    }
    evidence.push({ path: `${n}: do ${what}`, expected: step.note ?? what, observed: r.approximation ? `${r.summary} (approximation: ${r.approximation})` : r.summary });
    return undefined;
  }
  if ('capture' in step) {
    const { as, value } = step.capture;
    const r = await readValue(ctx.backend, value);
    const path = `${n}: capture ${as} = ${describeSource(value)}`;
    if (!r.ok) {
      evidence.push({ path, expected: 'a value', observed: r.problem });
      return fail(`${n} could not capture ${as}: ${r.problem}`, evidence);
    }
    captures.set(as, r.value);
    sources.set(as, value);
    evidence.push({ path, expected: 'a value', observed: r.value });
    return undefined;
  }
  if ('assert' in step) {
    const { type, outcome } = await runAssert(ctx, step.assert);
    const label = `${n}: assert ${type}${step.note ? ` (${step.note})` : ''}`;
    evidence.push({ path: label, expected: 'holds', observed: outcome.message });
    for (const e of outcome.evidence) evidence.push({ ...e, path: `${n}: ${e.path}` });
    if (outcome.status === 'pass') return undefined;
    return { status: outcome.status, message: `${n}${step.note ? ` (${step.note})` : ''}: ${outcome.message}`, evidence };
  }
  const { captured, op, with: other } = step.compare;
  if (!captures.has(captured)) throw new Error(`${n} compares "${captured}", which no earlier step captured`);
  const before = captures.get(captured);
  let now: unknown;
  let nowLabel: string;
  if (other && 'captured' in other) {
    if (!captures.has(other.captured)) throw new Error(`${n} compares with "${other.captured}", which no earlier step captured`);
    now = captures.get(other.captured);
    nowLabel = other.captured;
  } else {
    const source = other ?? sources.get(captured)!;
    const r = await readValue(ctx.backend, source);
    nowLabel = `${describeSource(source)} now`;
    if (!r.ok) {
      evidence.push({ path: `${n}: compare ${captured} ${op} ${nowLabel}`, expected: op, observed: r.problem });
      return fail(`${n} could not read ${nowLabel}: ${r.problem}`, evidence);
    }
    now = r.value;
  }
  const verdict = compare(op, before, now);
  evidence.push({ path: `${n}: compare ${captured} ${op} ${nowLabel}`, expected: { [op]: before }, observed: now });
  if (verdict) return fail(`${n}${step.note ? ` (${step.note})` : ''}: ${captured} was ${show(before)} and ${nowLabel} is ${show(now)}; ${verdict}`, evidence);
  return undefined;
}

function compare(op: 'equal' | 'notEqual' | 'disjoint', a: unknown, b: unknown): string | undefined {
  const same = JSON.stringify(a) === JSON.stringify(b);
  if (op === 'equal') return same ? undefined : 'they should be equal';
  if (op === 'notEqual') return same ? 'they should differ' : undefined;
  const as = Array.isArray(a) ? a : [a];
  const bs = new Set((Array.isArray(b) ? b : [b]).map((x) => JSON.stringify(x)));
  const common = as.filter((x) => bs.has(JSON.stringify(x)));
  return common.length ? `they should have nothing in common, but share ${show(common)}` : undefined;
}

async function runAssert(ctx: CheckContext<ScenarioSpec>, a: AssertSpec): Promise<{ type: string; outcome: CheckOutcome }> {
  const sub = <T>(check: T): CheckContext<T> => ({ ...ctx, check });
  if ('object' in a) return { type: 'object', outcome: await object.exec(sub(a.object)) };
  if ('dns' in a) return { type: 'dns', outcome: await dns.exec(sub(a.dns)) };
  if ('http' in a) return { type: 'http', outcome: await http.exec(sub(a.http)) };
  if ('tcp' in a) return { type: 'tcp', outcome: await tcp.exec(sub(a.tcp)) };
  return { type: 'distribution', outcome: await distribution.exec(sub({ ...a.distribution, id: ctx.check.id })) };
}
