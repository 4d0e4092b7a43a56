/**
 * `JSON.stringify(a) === JSON.stringify(b)` without building the two strings. Controllers
 * compare what they want with what is stored this way on every sync (the JSON text is the
 * equality that matters: key order counts, `undefined` members do not), and the strings were
 * a large share of the scale bench's garbage.
 *
 * The walk follows JSON.stringify's rules for plain data: object members in Object.keys order,
 * members whose value serialises to nothing (undefined, symbols) skipped, the same values
 * printed as `null` in arrays; non-finite numbers print as `null`, and -0 as 0. Anything
 * whose text it does not model — a toJSON method, a Date, Map, class instance, function,
 * bigint, or nesting deeper than MAX_DEPTH (a cycle, say) — makes it compare the real
 * JSON.stringify texts instead, so the answer (or the TypeError) is always stringify's; the
 * same when a difference was found but some part left unvisited might not print.
 */

const MAX_DEPTH = 64;
const BAIL = 2;
const ArrayProto = Array.prototype;
const ObjectProto = Object.prototype;
const hasOwn = Object.prototype.hasOwnProperty;

const Kind = {
  Null: 0,
  Bool: 1,
  Num: 2,
  Str: 3,
  /** Serialises to nothing: skipped as a member, `null` in an array. */
  Absent: 4,
  Obj: 5,
  Arr: 6,
  Other: 7,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'string':
      return Kind.Str;
    case 'number':
      return Number.isFinite(v) ? Kind.Num : Kind.Null;
    case 'boolean':
      return Kind.Bool;
    case 'undefined':
    case 'symbol':
      return Kind.Absent;
    case 'object': {
      if (v === null) return Kind.Null;
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto === ArrayProto) return Array.isArray(v) && !('toJSON' in v) ? Kind.Arr : Kind.Other;
      if ((proto === ObjectProto || proto === null) && !('toJSON' in v)) return Kind.Obj;
      return Kind.Other;
    }
    default:
      return Kind.Other;
  }
}

/** 1 equal, 0 different, BAIL when stringify must decide. */
function compare(a: unknown, b: unknown, depth: number, inArray: boolean): number {
  if (depth > MAX_DEPTH) return BAIL;
  let ka: Kind = kindOf(a);
  let kb: Kind = kindOf(b);
  if (ka === Kind.Other || kb === Kind.Other) return BAIL;
  if (inArray) {
    if (ka === Kind.Absent) ka = Kind.Null;
    if (kb === Kind.Absent) kb = Kind.Null;
  }
  if (ka !== kb) return 0;
  switch (ka) {
    case Kind.Null:
    case Kind.Absent:
      return 1;
    case Kind.Bool:
    case Kind.Str:
    case Kind.Num:
      // Distinct finite doubles print differently; 0 and -0 both print 0 (and are ===).
      return a === b ? 1 : 0;
    case Kind.Arr: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      const n = xa.length;
      if (n !== xb.length) return 0;
      for (let i = 0; i < n; i++) {
        const r = compare(xa[i], xb[i], depth + 1, true);
        if (r !== 1) return r;
      }
      return 1;
    }
    default: {
      const oa = a as Record<string, unknown>;
      const ob = b as Record<string, unknown>;
      const keysB = Object.keys(ob);
      let j = 0;
      // for-in with the own-key test walks Object.keys(oa) in its order without making the array.
      for (const k in oa) {
        if (!hasOwn.call(oa, k)) continue;
        const va = oa[k];
        const ta = kindOf(va);
        if (ta === Kind.Absent) continue;
        if (ta === Kind.Other) return BAIL;
        // The next member of b that prints must be this one.
        let kbNext: string | undefined;
        let vb: unknown;
        while (j < keysB.length) {
          const key = keysB[j++]!;
          const v = ob[key];
          const tb = kindOf(v);
          if (tb === Kind.Other) return BAIL;
          if (tb !== Kind.Absent) {
            kbNext = key;
            vb = v;
            break;
          }
        }
        if (kbNext !== k) return 0;
        const r = compare(va, vb, depth + 1, false);
        if (r !== 1) return r;
      }
      while (j < keysB.length) {
        const tb = kindOf(ob[keysB[j++]!]);
        if (tb === Kind.Other) return BAIL;
        if (tb !== Kind.Absent) return 0;
      }
      return 1;
    }
  }
}

/**
 * Whether JSON.stringify surely prints v without throwing: plain data all the way down,
 * within MAX_DEPTH (so no cycle). Needed before answering "different": the comparison stops
 * at the first difference, and stringify might have thrown on a part it never reached.
 */
function printable(v: unknown, depth: number): boolean {
  if (typeof v !== 'object') return typeof v !== 'bigint' && typeof v !== 'function';
  if (v === null) return true;
  if (depth > MAX_DEPTH) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto === ArrayProto) {
    if (!Array.isArray(v) || 'toJSON' in v) return false;
    for (let i = 0; i < v.length; i++) if (!printable(v[i], depth + 1)) return false;
    return true;
  }
  if ((proto !== ObjectProto && proto !== null) || 'toJSON' in v) return false;
  // for-in may also meet inherited enumerable members: checking those too only makes this stricter.
  const o = v as Record<string, unknown>;
  for (const key in o) if (!printable(o[key], depth + 1)) return false;
  return true;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  const r = compare(a, b, 0, false);
  if (r === 1) return true; // every part of both was walked: stringify would not have thrown
  if (r === 0 && printable(a, 0) && printable(b, 0)) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
