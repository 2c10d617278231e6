/**
 * Cron schedules via croner, computed only: jobs are created paused and without a callback, so
 * croner never arms a timer. Runs are strictly after `from` (a schedule due exactly at `from` is
 * not returned). Across DST croner fires a local time that falls in a spring-forward gap once,
 * moved forward by the gap (Europe/Berlin '30 2 * * *' on 2026-03-29 -> 03:30 CEST), and an
 * ambiguous local time once, at its second (standard-time) occurrence.
 */
import { Cron } from 'croner';
import type { CronSchedule } from './types.js';
import { checkTimeZone } from './zone.js';

const NICKNAMES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);
/** Farthest look-back for previousCronRun: covers '0 0 29 2 1' (Feb 29 on a Monday, ~28 years). */
const MAX_LOOKBACK_MS = 60 * 366 * 86_400_000;

function compile(s: CronSchedule): Cron {
  return new Cron(s.cron, { timezone: s.timeZone, paused: true });
}

export function checkCron(expr: string): string | null {
  const text = typeof expr === 'string' ? expr.trim() : '';
  if (!NICKNAMES.has(text.toLowerCase())) {
    const fields = text.split(/\s+/).filter(Boolean).length;
    if (fields !== 5) return `"${expr}" has ${fields} fields; write 5: minute hour day-of-month month day-of-week, e.g. "0 0 * * 1" (Mondays 00:00)`;
  }
  try {
    const job = new Cron(text, { timezone: 'UTC', paused: true });
    // Patterns like '0 0 31 2 *' parse but never fire.
    if (job.nextRun(new Date(Date.UTC(2000, 0, 1))) === null) return `"${expr}" never fires`;
  } catch (e) {
    return `"${expr}" is not a valid cron expression: ${e instanceof Error ? e.message : String(e)}`;
  }
  return null;
}

export function checkCronSchedule(s: CronSchedule): string | null {
  return checkCron(s.cron) ?? checkTimeZone(s.timeZone);
}

/** The next `count` runs strictly after `from`. */
export function nextCronRuns(s: CronSchedule, from: Date, count: number): Date[] {
  if (count <= 0) return [];
  return compile(s).nextRuns(count, from);
}

/**
 * The last run strictly before `before`, or null if there is none in the look-back horizon.
 * croner 9 only enumerates forward, so: widen a window back from `before` until it holds a run,
 * then bisect for the latest start whose next run is still before `before`.
 */
export function previousCronRun(s: CronSchedule, before: Date): Date | null {
  const job = compile(s);
  const end = before.getTime();
  const nextBefore = (t: number): boolean => {
    const r = job.nextRun(new Date(t));
    return r !== null && r.getTime() < end;
  };
  let width = 60_000;
  while (!nextBefore(end - width)) {
    width *= 2;
    if (width > MAX_LOOKBACK_MS) return null;
  }
  // Invariant: nextRun(lo) < before <= nextRun(hi) (or none); runs are whole seconds.
  let lo = end - width;
  let hi = end;
  while (hi - lo > 500) {
    const mid = Math.floor((lo + hi) / 2);
    if (nextBefore(mid)) lo = mid;
    else hi = mid;
  }
  return job.nextRun(new Date(lo));
}
