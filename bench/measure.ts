/** What a benchmark file exports, and the one way to time a case. */
export interface BenchResult {
  name: string;
  /** Operations per second, or null when the case measures something else (see note). */
  opsPerSec: number | null;
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

