import { describe, expect, it } from 'vitest';
import { ForkError, cloneGraph, markShared } from './clone.ts';

class Counter {
  n = 0;
  readonly seen = new Set<string>();
  bump(k: string): number {
    this.seen.add(k);
    return ++this.n;
  }
}

describe('cloneGraph', () => {
  it('copies class instances with their prototypes, so methods work on the copy alone', () => {
    const a = new Counter();
    a.bump('x');
    const b = cloneGraph(a);
    expect(b).toBeInstanceOf(Counter);
    expect(b.bump('y')).toBe(2);
    expect(a.n).toBe(1);
    expect([...a.seen]).toEqual(['x']);
    expect([...b.seen]).toEqual(['x', 'y']);
  });

  it('keeps shared references shared and cycles cyclic', () => {
    const shared = { v: 1 };
    const root: { a: { s: typeof shared }; b: { s: typeof shared }; self?: unknown; m: Map<string, unknown> } = { a: { s: shared }, b: { s: shared }, m: new Map() };
    root.self = root;
    root.m.set('k', root.a);
    const c = cloneGraph(root);
    expect(c.a.s).toBe(c.b.s);
    expect(c.a.s).not.toBe(shared);
    expect(c.self).toBe(c);
    expect(c.m.get('k')).toBe(c.a);
  });

  it('keeps Map and Set insertion order and copies their keys and values', () => {
    const key = { id: 1 };
    const m = new Map<unknown, unknown>([['z', 1], [key, [1, 2]], ['a', 3]]);
    const c = cloneGraph({ m, s: new Set(['q', 'b', 'k']) });
    expect([...c.m.keys()].map((k) => (typeof k === 'string' ? k : 'obj'))).toEqual(['z', 'obj', 'a']);
    expect([...c.s]).toEqual(['q', 'b', 'k']);
    const copiedKey = [...c.m.keys()][1] as { id: number };
    expect(copiedKey).toEqual({ id: 1 });
    expect(copiedKey).not.toBe(key);
  });

  it('shares what is marked shared or chosen by the share option, and copies the rest', () => {
    const table = markShared({ rows: [1, 2] });
    const frozen = Object.freeze({ x: 1 });
    const c = cloneGraph({ table, frozen, plain: { x: 1 } }, { share: (o) => Object.isFrozen(o) });
    expect(c.table).toBe(table);
    expect(c.frozen).toBe(frozen);
    const c2 = cloneGraph({ frozen });
    expect(c2.frozen).not.toBe(frozen);
  });

  it('starts WeakMaps empty (they hold caches only) and copies Dates and Buffers', () => {
    const k = {};
    const wm = new WeakMap([[k, 1]]);
    const c = cloneGraph({ wm, d: new Date(5), buf: Buffer.from('hi') });
    expect(c.wm).toBeInstanceOf(WeakMap);
    expect(c.wm).not.toBe(wm);
    expect(c.wm.has(k)).toBe(false);
    expect(c.d.getTime()).toBe(5);
    expect(c.buf.toString()).toBe('hi');
    c.buf[0] = 0x48;
    expect(Buffer.from('hi').toString()).toBe('hi');
  });

  it('refuses a closure held in the graph and names where it is', () => {
    const root = { parts: [{ name: 'a' }, { name: 'b', onEvent: () => 1 }] };
    expect(() => cloneGraph(root)).toThrow(ForkError);
    expect(() => cloneGraph(root)).toThrow(/cluster\.parts\.1\.onEvent/);
  });

  it('accepts a module-level function marked shared', () => {
    const pure = markShared((x: number) => x * 2);
    const c = cloneGraph({ f: pure });
    expect(c.f).toBe(pure);
  });
});
