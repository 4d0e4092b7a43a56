/**
 * A bitmap-style allocator over a contiguous integer range, as pkg/registry/core/service/
 * allocator's: explicit requests are checked against the range and the used set, and dynamic
 * allocation picks a random start in the upper band (the lower band is kept for static
 * requests, KEP-3070 / KEP-3668) and scans forward for a free slot, falling back to the lower
 * band only when the upper one is full. Membership is a Set, so every operation is O(1)
 * amortised even with thousands of Services.
 */
import type { Rng } from '../../../util/rng.ts';

export type AllocateResult = 'ok' | 'not-in-range' | 'allocated';

/** calculateRangeOffset: the size of the static (lower) band, clamped to [min, max]. */
export function rangeOffset(size: number, min: number, max: number, step: number): number {
  if (size < min) return 0;
  return Math.min(max, Math.max(min, Math.floor(size / step)));
}

export class RangeAllocator {
  private used = new Set<number>();

  /** Values first..last inclusive; `offset` values at the bottom form the static band. */
  constructor(
    readonly first: number,
    readonly last: number,
    private readonly offset: number,
    private readonly rng: Rng,
  ) {}

  get size(): number {
    return this.last - this.first + 1;
  }

  has(v: number): boolean {
    return this.used.has(v);
  }

  allocate(v: number): AllocateResult {
    if (!Number.isInteger(v) || v < this.first || v > this.last) return 'not-in-range';
    if (this.used.has(v)) return 'allocated';
    this.used.add(v);
    return 'ok';
  }

  /** A free value (random in the dynamic band first), or undefined when the range is full. */
  allocateNext(): number | undefined {
    const upper = this.scan(this.first + this.offset, this.last);
    const v = upper ?? (this.offset > 0 ? this.scan(this.first, this.first + this.offset - 1) : undefined);
    if (v !== undefined) this.used.add(v);
    return v;
  }

  release(v: number): void {
    this.used.delete(v);
  }

  private scan(lo: number, hi: number): number | undefined {
    const n = hi - lo + 1;
    if (n <= 0) return undefined;
    const start = this.rng.int(n);
    for (let i = 0; i < n; i++) {
      const v = lo + ((start + i) % n);
      if (!this.used.has(v)) return v;
    }
    return undefined;
  }
}
