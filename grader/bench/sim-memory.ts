/**
 * Peak memory for synchronous simulator work. A timer cannot fire while the simulator runs
 * (it never yields), so callers sample at natural boundaries (after each apply chunk, each
 * settle) and a timer covers the async gaps in between.
 */
import v8 from 'node:v8';

export class MemorySampler {
  private peakRss = 0;
  private peakHeap = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 25) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
    this.peakHeap = Math.max(this.peakHeap, v8.getHeapStatistics().used_heap_size);
  }

  stop(): { peakRssMb: number; peakHeapMb: number } {
    this.sample();
    clearInterval(this.timer);
    return { peakRssMb: this.peakRss / 2 ** 20, peakHeapMb: this.peakHeap / 2 ** 20 };
  }
}

/** Heap in use now, in MB (after a GC when node runs with --expose-gc). */
export function heapUsedMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return v8.getHeapStatistics().used_heap_size / 2 ** 20;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
