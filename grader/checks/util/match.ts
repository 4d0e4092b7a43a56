/**
 * Partial matching of an expected fragment against an observed object, as object checks
 * use it: every field given must match, fields not given are ignored, and lists match as
 * sets (each expected element must match its own observed element, order ignored), because
 * manifest authors do not control list order (ports, env, containers).
 */
import { type Segment } from './fieldpath.ts';

export interface Mismatch {
  path: Segment[];
  expected: unknown;
  /** `undefined` when the field is absent. */
  observed: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function matchPartial(expected: unknown, observed: unknown, path: Segment[] = []): Mismatch[] {
  // `null` in a lab means "this field must not be set".
  if (expected === null) return observed === undefined || observed === null ? [] : [{ path, expected: null, observed }];
  if (Array.isArray(expected)) return matchList(expected, observed, path);
  if (isPlainObject(expected)) {
    // An absent parent: report each expected leaf as missing, so the path names the field.
    if (observed === undefined) observed = {};
    if (!isPlainObject(observed)) return [{ path, expected, observed }];
    const out: Mismatch[] = [];
    const obs = observed;
    for (const key of Object.keys(expected)) out.push(...matchPartial(expected[key], obs[key], [...path, key]));
    return out;
  }
  return Object.is(expected, observed) ? [] : [{ path, expected, observed }];
}

function matchList(expected: unknown[], observed: unknown, path: Segment[]): Mismatch[] {
  if (!Array.isArray(observed)) return [{ path, expected, observed }];
  // cost[i][j]: mismatches of expected[i] against observed[j].
  const cost = expected.map((e) => observed.map((o, j) => matchPartial(e, o, [...path, j])));
  const assigned = assign(cost.map((row) => row.map((m) => m.length === 0)));
  const out: Mismatch[] = [];
  const used = new Set(assigned.filter((j) => j >= 0));
  expected.forEach((e, i) => {
    if (assigned[i]! >= 0) return;
    if (observed.length === 0) {
      out.push({ path: [...path, i], expected: e, observed: undefined });
      return;
    }
    // Report against the closest observed element (prefer ones not matched already), so the
    // evidence points at `spec.ports[0].targetPort` rather than at the whole list.
    // On a tie, prefer the element that agrees on the earlier keys: lab authors write the
    // identifying key first (`{ type: Ready, status: "True" }`, `{ port: 80, targetPort: … }`),
    // so the Ready condition with the wrong status beats another condition with the wrong type.
    const keys = isPlainObject(e) ? Object.keys(e) : [];
    const firstDiff = (m: Mismatch[]) => Math.min(...m.map((x) => keys.indexOf(String(x.path[path.length + 1]))).filter((k) => k >= 0), keys.length);
    let best = -1;
    for (let j = 0; j < observed.length; j++) {
      const a = score(cost[i]![j]!, used.has(j));
      const b = best < 0 ? Infinity : score(cost[i]![best]!, used.has(best));
      const better = a < b || (a === b && firstDiff(cost[i]![j]!) > firstDiff(cost[i]![best]!));
      if (better) best = j;
    }
    const near = cost[i]![best]!;
    out.push(...(near.length ? near : [{ path: [...path, i], expected: e, observed: undefined }]));
  });
  return out;
}

const score = (m: Mismatch[], used: boolean) => m.length * 2 + (used ? 1 : 0);

/** Maximum bipartite matching (augmenting paths): lists in manifests are short. Returns observed index per expected, or -1. */
function assign(ok: boolean[][]): number[] {
  const n = ok.length;
  const m = n ? ok[0]!.length : 0;
  const owner = new Array<number>(m).fill(-1);
  const match = new Array<number>(n).fill(-1);
  const tryAssign = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < m; j++) {
      if (!ok[i]![j] || seen[j]) continue;
      seen[j] = true;
      if (owner[j]! < 0 || tryAssign(owner[j]!, seen)) {
        owner[j] = i;
        match[i] = j;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < n; i++) tryAssign(i, new Array<boolean>(m).fill(false));
  return match;
}
