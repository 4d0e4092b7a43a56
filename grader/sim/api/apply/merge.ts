/**
 * kubectl apply's client-side three-way merge, reduced to what manifests need: fields the user
 * sets replace live values, fields dropped since the last apply (recorded in the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation) are removed, and fields only
 * the cluster set (defaults, allocated nodePorts, status) are kept. Lists whose Go type has a
 * strategic-merge key (containers by name, container ports by containerPort, Service ports by
 * port, …; k8s.io/api types' patchMergeKey tags) merge element by element; other lists are
 * replaced whole, as strategic merge patch does.
 */
import { cloneApi } from '../clone.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const hasOwn = Object.prototype.hasOwnProperty;

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  // Keys holding undefined count as absent (JSON drops them). Every defined key of `a` must
  // equal in `b` (so is defined there too); equal counts then mean the same key sets. Counting
  // instead of filtering key lists, and for-in over own keys (Object.keys' set) rather than
  // Object.keys' arrays: this runs on every write.
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let na = 0;
  for (const k in ao) {
    if (!hasOwn.call(ao, k)) continue;
    const v = ao[k];
    if (v === undefined) continue;
    na++;
    if (!deepEqual(v, bo[k])) return false;
  }
  let nb = 0;
  for (const k in bo) if (hasOwn.call(bo, k) && bo[k] !== undefined) nb++;
  return na === nb;
}

const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** patchMergeKey of the list fields manifests use, by field name (and, for `ports`, by shape). */
function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'env':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'hostAliases':
      return 'ip';
    case 'ownerReferences':
      return 'uid';
    case 'ports':
      if (items.some((i) => isObj(i) && 'containerPort' in i)) return 'containerPort';
      if (items.some((i) => isObj(i) && 'port' in i)) return 'port';
      return undefined;
    default:
      return undefined;
  }
}

function mergeList(field: string, original: unknown, modified: Json[], current: unknown): Json[] {
  const key = mergeKeyFor(field, modified);
  if (!key || !Array.isArray(current) || !modified.every(isObj)) return cloneApi(modified);
  const curList = current as Json[];
  const origList = Array.isArray(original) ? (original as Json[]) : [];
  const find = (list: Json[], k: Json | undefined) => list.find((e) => isObj(e) && e[key] === k);
  const out: Json[] = [];
  for (const m of modified as Record<string, Json>[]) {
    const c = find(curList, m[key]);
    out.push(isObj(c) ? mergeMap(find(origList, m[key]), m, c) : cloneApi(m));
  }
  // Live elements the user never applied (added by the cluster) stay; ones they removed go.
  for (const c of curList) {
    if (!isObj(c)) continue;
    if (find(modified, c[key]) || find(origList, c[key])) continue;
    out.push(cloneApi(c));
  }
  return out;
}

function mergeMap(original: unknown, modified: Record<string, Json>, current: Record<string, Json>): Record<string, Json> {
  const orig = isObj(original) ? original : {};
  const out: Record<string, Json> = cloneApi(current);
  for (const [k, m] of Object.entries(modified)) {
    if (m === null) {
      delete out[k];
      continue;
    }
    const c = current[k];
    if (isObj(m) && isObj(c)) out[k] = mergeMap(orig[k], m, c);
    else if (Array.isArray(m)) out[k] = mergeList(k, orig[k], m, c);
    else out[k] = cloneApi(m);
  }
  for (const k of Object.keys(orig)) if (!(k in modified)) delete out[k];
  return out;
}

/** The object kubectl apply would leave: `current` patched from `original` to `modified`. */
export function threeWayMerge<T extends object>(original: object | undefined, modified: T, current: T): T {
  return mergeMap(original, modified as unknown as Record<string, Json>, current as unknown as Record<string, Json>) as unknown as T;
}

/** JSON with sorted keys and a trailing newline, as kubectl writes last-applied-configuration. */
export function canonicalJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (isObj(x)) return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort(x[k])]));
    return x;
  };
  return `${JSON.stringify(sort(v))}\n`;
}
