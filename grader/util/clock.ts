/**
 * The simulator's virtual clock. Time only moves when someone advances it, and timers fire
 * in (time, insertion order), so runs are deterministic. Wall-clock time never enters here.
 */
export interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly label: string;
  /** Who is told when the timer fires, with `data`. An object, not a closure: see TimerTarget. */
  readonly target: TimerTarget;
  readonly data: unknown;
  cancelled: boolean;
}

/**
 * What a timer calls. Pending timers are part of a cluster's state, and a forked cluster
 * copies them (grader/sim/fork): an object with a method is copied with its owner, a closure
 * could not be.
 */
export interface TimerTarget {
  onTimer(data: unknown, timer: Timer): void;
}

/** 2024-01-01T00:00:00Z: a fixed epoch so timestamps in views and reports are reproducible. */
export const DEFAULT_EPOCH_MS = Date.UTC(2024, 0, 1);

export class VirtualClock {
  private nowMs: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(epochMs: number = DEFAULT_EPOCH_MS) {
    this.nowMs = epochMs;
  }

  now(): number {
    return this.nowMs;
  }

  /** RFC 3339 with second precision, as Kubernetes prints metadata timestamps. */
  iso(ms: number = this.nowMs): string {
    // Called for every condition and event at the same few instants: remember the last one.
    if (ms !== this.isoMs) {
      this.isoMs = ms;
      this.isoText = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    return this.isoText;
  }

  private isoMs = Number.NaN;
  private isoText = '';

  /** Tell `target` (with `data`) after `delayMs` of virtual time. Returns the timer so it can be cancelled. */
  after(delayMs: number, label: string, target: TimerTarget, data?: unknown): Timer {
    const t: Timer = { at: this.nowMs + Math.max(0, delayMs), seq: this.seq++, label, target, data, cancelled: false };
    // Keep sorted by (at, seq); timers are few, so insertion by binary search is enough.
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.timers[mid]!;
      if (m.at < t.at || (m.at === t.at && m.seq < t.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, t);
    return t;
  }

  cancel(t: Timer | undefined): void {
    if (t) t.cancelled = true;
  }

  /** When the next live timer is due, or undefined when none is pending. */
  nextDue(): number | undefined {
    while (this.timers.length && this.timers[0]!.cancelled) this.timers.shift();
    return this.timers[0]?.at;
  }

  pending(): readonly Timer[] {
    return this.timers.filter((t) => !t.cancelled);
  }

  /**
   * Move to the next due timer (if it is not later than `limit`) and fire every timer due at
   * that instant. Returns false when nothing was due by `limit`; time then moves to `limit`.
   */
  step(limit: number): boolean {
    const due = this.nextDue();
    if (due === undefined || due > limit) {
      if (limit > this.nowMs) this.nowMs = limit;
      return false;
    }
    this.nowMs = Math.max(this.nowMs, due);
    while (this.timers.length && this.timers[0]!.at <= this.nowMs) {
      const t = this.timers.shift()!;
      if (!t.cancelled) t.target.onTimer(t.data, t);
    }
    return true;
  }
}
