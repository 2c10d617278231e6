import { AppError } from '../app/errors.js';

/** Parses an ISO 8601 date-time flag (a bare date means 00:00 UTC); a bad value is the user's error, said plainly. */
export function parseInstant(flag: string, value: string | undefined, fallback: () => Date): Date {
  if (value === undefined) return fallback();
  const v = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v);
  const d = new Date(v);
  if (!ok || Number.isNaN(d.getTime())) {
    throw new AppError('invalid_input', `${flag} needs an ISO 8601 date-time with a time zone, e.g. 2026-11-23T09:30:00Z (got "${value}")`);
  }
  return d;
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new AppError('invalid_input', `${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}
