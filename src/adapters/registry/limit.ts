/**
 * A concurrency limit: at most `max` calls of the wrapped functions run at once, the rest wait in
 * arrival order. Callers must not nest a limited call inside another one (the client limits single
 * HTTP exchanges, never whole operations, so that an auth round trip cannot deadlock).
 */
export type Limit = <T>(fn: () => Promise<T>) => Promise<T>;

export function createLimit(max: number): Limit {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${max}`);
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) {
      active++;
      next();
    }
  };
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      release();
    }
  };
}
