import { describe, expect, it } from 'vitest';
import { copyRecord } from './record.ts';

describe('copyRecord', () => {
  it('gives the keys, values and order a spread gives, and stays a separate object', () => {
    const src = { host: 'a', 'x-b': 'b', cookie: 'c=1' };
    const out = copyRecord(src);
    expect(Object.entries(out)).toEqual(Object.entries({ ...src }));
    out.host = 'changed';
    expect(src.host).toBe('a');
  });

  it('keeps an own __proto__ key as data, like the spread, instead of changing the prototype', () => {
    const src = JSON.parse('{"__proto__": "x", "a": "1"}') as Record<string, string>;
    const out = copyRecord(src);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(Object.keys({ ...src }));
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('x');
  });

  it('a key set after the copy keeps the place it had in the source', () => {
    const out = copyRecord({ a: '1', host: 'h', b: '2' });
    out.host = 'new';
    (out as Record<string, string>)['x-real-ip'] = '10.0.0.1';
    expect(Object.keys(out)).toEqual(['a', 'host', 'b', 'x-real-ip']);
  });
});
