/** What a benchmark file exports, and the one way to time a case. */
export interface BenchResult {
  name: string;
  /** Operations (or requests) per second, or null when the case measures something else (see note). */
  opsPerSec: number | null;
  /** Latency percentiles in milliseconds, when the case measures them. */
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  /** Subject ÷ reference of the same run (how many times the reference's cost), when the case compares. */
  ratio?: number;
  note: string;
}

export type Bench = () => Promise<BenchResult[]>;

/** Runs fn repeatedly for about `ms` milliseconds after a warm-up and returns operations per second. */
export async function measure(fn: () => unknown, ms = 1000): Promise<number> {
  for (let i = 0; i < 20; i++) await fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await fn();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

/** The p-th percentile (0–100) of a list of numbers (nearest rank), or NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
