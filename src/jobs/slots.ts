import { previousCronRun } from '../domain/calendar/index.js';

/** When a scheduled task is due: a cron expression on a wall clock, or a fixed interval. */
export type TaskSchedule = { cron: string; timeZone: string } | { everyMs: number };

/**
 * The latest slot of a schedule at or before `now`, or null when the schedule has never fired.
 * Only the latest one: a desk that was down runs a missed task once, not once per missed slot.
 * Interval slots are aligned to the Unix epoch, so every process computes the same instants.
 */
export function latestSlot(schedule: TaskSchedule, now: Date): Date | null {
  if ('everyMs' in schedule) {
    if (!Number.isInteger(schedule.everyMs) || schedule.everyMs < 1000) throw new Error(`an interval must be a whole number of milliseconds, at least 1000 (got ${schedule.everyMs})`);
    return new Date(Math.floor(now.getTime() / schedule.everyMs) * schedule.everyMs);
  }
  // previousCronRun looks strictly before its argument; a slot due exactly now is due.
  return previousCronRun({ cron: schedule.cron, timeZone: schedule.timeZone }, new Date(now.getTime() + 1));
}
