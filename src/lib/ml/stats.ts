/** Summary statistics of timings (ms). */

/** The q-quantile (0..1) by the nearest-rank method: p95 of 10 runs is the 10th smallest. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Median: the middle value, or the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface Summary {
  medianMs: number;
  p95Ms: number;
  minMs: number;
  /** Images per second at the median: batch / median. */
  throughput: number;
  runs: number;
}

/** Median, p95, min and throughput of `times` for a batch of `batch` images. */
export function summarize(times: readonly number[], batch: number): Summary {
  const medianMs = median(times);
  return {
    medianMs,
    p95Ms: quantile(times, 0.95),
    minMs: Math.min(...times),
    throughput: medianMs > 0 ? (batch * 1000) / medianMs : Infinity,
    runs: times.length,
  };
}
