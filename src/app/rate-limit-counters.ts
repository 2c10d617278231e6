import { sql } from 'kysely';
import type { Db } from '../adapters/db/open-database.js';

/** A fixed window: [start, end). */
export interface RateWindow {
  start: Date;
  end: Date;
}

/** The fixed window of `windowMs` that holds `now` (windows start at multiples of their length since the epoch). */
export function windowOf(now: Date, windowMs: number): RateWindow {
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  return { start: new Date(start), end: new Date(start + windowMs) };
}

/**
 * Counts one request from a client in its window and answers the counts so far, this one included:
 * the address's count, and the overall count, which only counts the request when the address was
 * within its limit (null otherwise), so one flooding address cannot use up the overall limit. One
 * statement of two upserts, in the same order for every request, so processes sharing the database
 * count together without deadlocks.
 */
export async function countRequest(db: Db, keys: { address: string; overall: string; perAddress: number }, window: RateWindow): Promise<{ address: number; overall: number | null }> {
  const r = await sql<{ address: number; overall: number | null }>`
    with a as (
      insert into rate_limit_counters (key, window_start, window_end, count) values (${keys.address}, ${window.start}, ${window.end}, 1)
      on conflict (key, window_start) do update set count = rate_limit_counters.count + 1
      returning count
    ), o as (
      insert into rate_limit_counters (key, window_start, window_end, count)
      select ${keys.overall}, ${window.start}, ${window.end}, 1 from a where a.count <= ${keys.perAddress}
      on conflict (key, window_start) do update set count = rate_limit_counters.count + 1
      returning count
    )
    select (select count from a) as address, (select count from o) as overall`.execute(db);
  const row = r.rows[0]!;
  return { address: Number(row.address), overall: row.overall === null ? null : Number(row.overall) };
}

/** Drops the counters of windows that have ended. */
export async function dropEndedWindows(db: Db, now: Date): Promise<number> {
  const r = await db.deleteFrom('rate_limit_counters').where('window_end', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
