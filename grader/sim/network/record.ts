/**
 * A copy of a string record that stays cheap to extend. `{ ...src }` gives the same keys in the
 * same order, but V8 makes adding further keys to such a copy (or writing `{ ...src, k: v }`)
 * cost about a microsecond per key, which showed up on every proxied request. Own keys are
 * defined as the spread defines them, `__proto__` included.
 */
export function copyRecord<T extends object>(src: T): T {
  const out = {} as Record<string, unknown>;
  for (const k of Object.keys(src)) {
    const v = (src as Record<string, unknown>)[k];
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out as T;
}
