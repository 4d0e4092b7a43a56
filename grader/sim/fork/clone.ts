/**
 * Deep copy of an object graph, for forking a simulated cluster: every part of a SimCluster
 * (store, controllers' queues and caches, kubelet records, clock and timers, RNG states) is
 * plain data held in fields — Maps, Sets, arrays, plain objects and class instances — so a
 * structural copy that keeps prototypes and shared references gives an independent cluster in
 * exactly the same state. structuredClone cannot do this (it drops prototypes).
 *
 * Rules the simulator keeps so that this works (docs/architecture.md, "Forking a cluster"):
 *  - no closures held in fields: parts register as objects with methods (WatchListener,
 *    TimerTarget). A function met in the graph is an error naming its path, unless it was
 *    marked shared (a module-level pure function);
 *  - WeakMaps and WeakSets hold caches only: the copy starts them empty;
 *  - immutable things (the image catalogue, kind tables, stored API objects) are shared, not
 *    copied: `markShared`, or the `share` option.
 */

/** Objects and functions that every fork may share because nothing ever changes them. */
const SHARED = new WeakSet<object>();

export function markShared<T extends object>(o: T): T {
  SHARED.add(o);
  return o;
}

export class ForkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForkError';
  }
}

export interface CloneOptions {
  /** Share this object instead of copying it (in addition to `markShared` ones). */
  share?: (o: object) => boolean;
}

const ObjectProto = Object.prototype;

export function cloneGraph<T>(root: T, opts: CloneOptions = {}): T {
  const memo = new Map<object, unknown>();
  const share = opts.share;

  const copy = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) {
      if (typeof v === 'function' && !SHARED.has(v)) throw new ForkError('function');
      return v;
    }
    // Shared objects first: most of a cluster's objects are frozen API objects, never memoised,
    // and the frozen test is cheaper than the memo lookup.
    if ((share !== undefined && share(v)) || SHARED.has(v)) return v;
    const done = memo.get(v);
    if (done !== undefined) return done;

    if (Array.isArray(v)) {
      // Pushed rather than preallocated: `new Array(n)` makes a holey array, which every later
      // read in the forked cluster pays for.
      const out: unknown[] = [];
      memo.set(v, out);
      for (let i = 0; i < v.length; i++) out.push(copy(v[i]));
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto === ObjectProto || proto === null || !builtinProto(proto, v)) {
      if (v instanceof Promise) throw new ForkError('promise');
      // A literal for plain objects: it gets in-object property slots, where Object.create
      // gives an object whose every property lives in a separate backing store.
      const out = (proto === ObjectProto ? {} : Object.create(proto)) as Record<string | symbol, unknown>;
      memo.set(v, out);
      const src = v as Record<string, unknown>;
      for (const k of Object.keys(src)) out[k] = copy(src[k]);
      for (const s of Object.getOwnPropertySymbols(src)) out[s] = copy((src as Record<symbol, unknown>)[s]);
      return out;
    }
    if (v instanceof Map) {
      const out = new Map();
      memo.set(v, out);
      for (const [k, x] of v) out.set(copy(k), copy(x));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set();
      memo.set(v, out);
      for (const x of v) out.add(copy(x));
      return out;
    }
    if (v instanceof WeakMap) return remember(memo, v, new WeakMap());
    if (v instanceof WeakSet) return remember(memo, v, new WeakSet());
    if (v instanceof Date) return remember(memo, v, new Date(v.getTime()));
    if (v instanceof RegExp) return v;
    if (Buffer.isBuffer(v)) return remember(memo, v, Buffer.from(v));
    if (ArrayBuffer.isView(v)) return remember(memo, v, (v as unknown as { slice(): unknown }).slice());
    if (v instanceof ArrayBuffer) return remember(memo, v, v.slice(0));
    if (v instanceof Error) return v;
    // X509Certificate, KeyObject and the like: immutable handles, shared.
    if (isImmutableHandle(v)) return v;
    throw new ForkError(`object of class ${(proto as { constructor?: { name?: string } }).constructor?.name ?? '?'}`);
  };

  try {
    return copy(root) as T;
  } catch (err) {
    if (!(err instanceof ForkError)) throw err;
    // The fast copy does not track paths; find the offending one for the message.
    throw new ForkError(`cannot fork: a ${err.message} at ${pathOfUncopyable(root, opts) ?? '(unknown path)'} is not plain data (see grader/sim/fork/clone.ts)`);
  }
}

function remember<T>(memo: Map<object, unknown>, from: object, to: T): T {
  memo.set(from, to);
  return to;
}

/**
 * isBuiltin per prototype: whether instances of a class are built-ins is a property of the
 * class, and the dozen instanceof checks cost more than copying a small instance.
 */
const builtinProtos = new WeakMap<object, boolean>();
function builtinProto(proto: object, v: object): boolean {
  let b = builtinProtos.get(proto);
  if (b === undefined) builtinProtos.set(proto, (b = isBuiltin(v)));
  return b;
}

/** Built-in containers need their own copy; class instances of ours are copied field by field. */
function isBuiltin(v: object): boolean {
  return (
    v instanceof Map || v instanceof Set || v instanceof WeakMap || v instanceof WeakSet || v instanceof Date || v instanceof RegExp ||
    ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof Error || isImmutableHandle(v)
  );
}

function isImmutableHandle(v: object): boolean {
  const name = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name === 'X509Certificate' || name === 'KeyObject' || name === 'PublicKeyObject' || name === 'PrivateKeyObject' || name === 'SecretKeyObject';
}

/** Slow walk with paths, only after the fast copy failed: where is the closure (or odd object)? */
function pathOfUncopyable(root: unknown, opts: CloneOptions): string | undefined {
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): string | undefined => {
    if (typeof v === 'function') return SHARED.has(v) ? undefined : `${path} (${(v as { name?: string }).name || 'anonymous function'})`;
    if (typeof v !== 'object' || v === null || seen.has(v) || SHARED.has(v) || opts.share?.(v)) return undefined;
    seen.add(v);
    if (v instanceof Map) {
      for (const [k, x] of v) {
        const hit = walk(k, `${path}<key>`) ?? walk(x, `${path}<${typeof k === 'string' ? k : '…'}>`);
        if (hit) return hit;
      }
      return undefined;
    }
    if (v instanceof Set) {
      for (const x of v) {
        const hit = walk(x, `${path}{}`);
        if (hit) return hit;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== ObjectProto && proto !== null && !Array.isArray(v) && isBuiltin(v)) return undefined;
    if (proto !== ObjectProto && proto !== null && !Array.isArray(v) && proto.constructor && /^(Promise|WeakRef)$/.test(proto.constructor.name)) return path;
    for (const k of Object.keys(v)) {
      const hit = walk((v as Record<string, unknown>)[k], `${path}.${k}`);
      if (hit) return hit;
    }
    return undefined;
  };
  return walk(root, 'cluster');
}
