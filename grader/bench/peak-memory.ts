/** Samples the process's resident memory while `fn` runs (worker threads live in this process). */
export async function withPeakRss<T>(fn: () => Promise<T>, everyMs = 50): Promise<{ value: T; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakRssMb: peak / (1024 * 1024) };
  } finally {
    clearInterval(timer);
  }
}
