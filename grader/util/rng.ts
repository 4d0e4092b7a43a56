/**
 * Seeded pseudo-random numbers. The simulator never calls Math.random(): every random
 * choice (kube-proxy's iptables probability rules, pod name suffixes, CoreDNS loadbalance)
 * comes from an Rng derived from the run's seed, so a seed reproduces a run byte for byte.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter): tiny, fast, and passes PractRand; we
 * only need reproducibility and a decent spread, not cryptographic strength.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string) {
    const s = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = s;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    let { a, b, c, d } = this;
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a; this.b = b; this.c = c; this.d = d;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick on an empty list');
    return items[this.int(items.length)]!;
  }

  /** `n` characters drawn from `alphabet`. */
  string(n: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  /** An independent stream for a named purpose, so adding draws in one place does not shift another. */
  fork(purpose: string): Rng {
    return new Rng(hashString(`${this.d}:${purpose}`));
  }
}

/** FNV-1a, 32 bits. Used to turn strings into seeds and stable small hashes. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
