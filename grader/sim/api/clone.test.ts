import { describe, expect, it } from 'vitest';
import { cloneApi } from './clone.ts';

/** Same value, same key order, and no object shared with the input. */
function expectIndependentCopy(input: unknown, out: unknown): void {
  expect(out).toEqual(structuredClone(input));
  expect(JSON.stringify(out)).toBe(JSON.stringify(input));
  const walk = (a: unknown, b: unknown): void => {
    if (typeof a !== 'object' || a === null) return;
    expect(b).not.toBe(a);
    for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
  };
  walk(input, out);
}

describe('cloneApi', () => {
  it('copies a JSON-shaped API object deeply, keeping key order and undefined values', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, '10': 'numeric key' },
      spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }], nodeName: undefined },
      status: { conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null }] },
    };
    const out = cloneApi(pod);
    expectIndependentCopy(pod, out);
    expect(Object.keys(out.metadata)).toEqual(Object.keys(structuredClone(pod.metadata)));
    expect('nodeName' in out.spec).toBe(true);
    out.spec.containers[0]!.image = 'changed';
    expect(pod.spec.containers[0]!.image).toBe('nginx');
  });

  it('keeps shared references shared, as structuredClone does', () => {
    const labels = { app: 'web' };
    const d = { spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } } };
    const out = cloneApi(d);
    expect(out.spec.selector.matchLabels).toBe(out.spec.template.metadata.labels);
    expect(out.spec.selector.matchLabels).not.toBe(labels);
  });

  it('copies cycles, Dates, Maps and class instances as structuredClone does', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const c = cloneApi(cyclic);
    expect(c.self).toBe(c);
    const when = new Date(0);
    expect(cloneApi({ when }).when).toBeInstanceOf(Date);
    expect(cloneApi({ m: new Map([[1, 2]]) }).m.get(1)).toBe(2);
    class Box {
      constructor(public v: number) {}
    }
    const boxed = cloneApi({ b: new Box(3) });
    expect(boxed.b).not.toBeInstanceOf(Box);
    expect(boxed.b).toEqual({ v: 3 });
  });

  it('keeps array holes and own __proto__ keys', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = cloneApi({ xs: [1, , 3] });
    expect(1 in sparse.xs).toBe(false);
    expect(sparse.xs.length).toBe(3);
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}');
    const out = cloneApi(hostile);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'x']);
  });

  it('throws on functions and symbols like structuredClone', () => {
    expect(() => cloneApi({ f: () => 1 })).toThrow();
    expect(() => cloneApi({ s: Symbol('x') })).toThrow();
    expect(() => cloneApi(() => 1)).toThrow();
  });

  it('returns primitives as they are', () => {
    expect(cloneApi(undefined)).toBeUndefined();
    expect(cloneApi(null)).toBeNull();
    expect(cloneApi('x')).toBe('x');
    expect(cloneApi(0)).toBe(0);
  });
});
