import { describe, expect, it } from 'vitest';
import { jsonEqual } from './json-equal.ts';
import { Rng } from '../../util/rng.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe('jsonEqual', () => {
  it('agrees with comparing JSON.stringify texts on the cases JSON treats specially', () => {
    const pairs: [unknown, unknown][] = [
      [{ a: 1, b: 2 }, { a: 1, b: 2 }],
      [{ a: 1, b: 2 }, { b: 2, a: 1 }], // key order counts
      [{ a: 1, b: undefined }, { a: 1 }], // undefined members do not print
      [{ a: 1, s: Symbol('x') }, { a: 1 }],
      [[undefined], [null]], // ...but print as null in arrays
      // eslint-disable-next-line no-sparse-arrays
      [[1, , 3], [1, null, 3]],
      [NaN, null],
      [{ x: Infinity }, { x: null }],
      [0, -0],
      [1, '1'],
      [{}, []],
      [undefined, undefined],
      [undefined, null],
      [{ d: new Date(0) }, { d: '1970-01-01T00:00:00.000Z' }], // toJSON
      [{ t: { toJSON: () => 'x' } }, { t: 'x' }],
      [{ m: new Map([[1, 2]]) }, { m: {} }],
      [{ f: () => 1 }, {}],
      [Object.assign(Object.create(null), { a: 1 }), { a: 1 }],
      [{ a: [{ b: [1, 2, { c: 'd' }] }] }, { a: [{ b: [1, 2, { c: 'e' }] }] }],
      [{ a: 1 }, { a: 1, b: 2 }],
      [{ a: 1, b: 2 }, { a: 1 }],
      ['é\u2028"', 'é\u2028"'],
    ];
    for (const [a, b] of pairs) {
      expect(jsonEqual(a, b), JSON.stringify([a, b])).toBe(same(a, b));
      expect(jsonEqual(b, a), JSON.stringify([b, a])).toBe(same(b, a));
    }
  });

  it('throws what JSON.stringify throws', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => jsonEqual(cyclic, {})).toThrow(TypeError);
    expect(() => jsonEqual({ n: 1n }, { n: 1 })).toThrow(TypeError);
  });

  it('agrees with JSON.stringify on random JSON-like trees and their mutations', () => {
    const rng = new Rng(42);
    const leaves = [null, true, false, 0, -0, 1, 2.5, NaN, '', 'a', 'b', undefined];
    const tree = (depth: number): unknown => {
      const r = rng.int(10);
      if (depth > 3 || r < 5) return leaves[rng.int(leaves.length)];
      if (r < 7) return Array.from({ length: rng.int(4) }, () => tree(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = rng.int(4); i > 0; i--) o['kab'[rng.int(3)]! + rng.int(2)] = tree(depth + 1);
      return o;
    };
    let equal = 0;
    for (let i = 0; i < 2000; i++) {
      const a = tree(0);
      const b = rng.int(2) ? structuredClone(a) : tree(0);
      expect(jsonEqual(a, b)).toBe(same(a, b));
      if (same(a, b)) equal++;
    }
    expect(equal).toBeGreaterThan(100);
  });
});

describe('jsonEqual on values stringify refuses', () => {
  it('throws even when a difference comes before the unprintable part', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => jsonEqual({ x: 1, y: cyclic }, { x: 2 })).toThrow(TypeError);
    expect(() => jsonEqual({ x: 1 }, { x: 2, n: 3n })).toThrow(TypeError);
  });
});
