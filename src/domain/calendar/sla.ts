/**
 * SLA deadlines and the paused clock.
 *
 * Pauses (waiting on the reporter) are first cleaned: each is clipped to start no earlier than
 * `received`; an open pause (`to: null`) is taken to end at `now` (so while it lasts the returned
 * deadline moves forward with `now`); empty or inverted pauses are dropped; overlapping or touching
 * pauses are merged. Then, walking the pauses in order, a pause counts only if it starts before the
 * deadline computed so far (a pause that begins after a deadline has passed does not revive it):
 * - hours and calendar_days: the deadline moves later by the pause's exact elapsed length (for
 *   calendar days the unpaused deadline is computed first, DST-aware, then shifted by elapsed ms);
 * - business_days: the business time inside the pause (see business-days.ts: 24 wall-clock hours
 *   per business day, none on other days) is added to the target, so only business time outside
 *   pauses counts. A pause over a weekend therefore changes nothing; a pause from Tuesday 10:00 to
 *   Wednesday 10:00 adds exactly one business day.
 * Without pauses, pausedDeadline equals addDuration.
 */
import type { BusinessCalendar, Duration } from './types.js';
import { addDuration, businessClock } from './business-days.js';
import { toLocal } from './zone.js';

export interface Pause {
  from: Date;
  to: Date | null;
}

/** Deadline per stage for every target that is set. */
export function slaDeadlines(received: Date, targets: Partial<Record<string, Duration>>, cal: BusinessCalendar): Record<string, Date> {
  const out: Record<string, Date> = {};
  for (const [stage, target] of Object.entries(targets)) {
    if (target) out[stage] = addDuration(received, target, cal);
  }
  return out;
}

export interface Remaining {
  /** Milliseconds until the deadline; negative when overdue. */
  ms: number;
  overdue: boolean;
}

export function remainingUntil(deadline: Date, now: Date): Remaining {
  const ms = deadline.getTime() - now.getTime();
  return { ms, overdue: ms < 0 };
}

/** Cleaned pause intervals in ms, sorted, merged, clipped to [received, ...). */
export function normalizePauses(received: Date, pauses: readonly Pause[], now: Date): Array<[number, number]> {
  const start = received.getTime();
  const spans = pauses
    .map((p): [number, number] => {
      const from = Math.max(p.from.getTime(), start);
      const to = p.to ? p.to.getTime() : Math.max(now.getTime(), from);
      return [from, to];
    })
    .filter(([from, to]) => to > from)
    .sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

export function pausedDeadline(received: Date, target: Duration, cal: BusinessCalendar, pauses: readonly Pause[], now: Date): Date {
  const spans = normalizePauses(received, pauses, now);
  if (target.unit !== 'business_days') {
    let deadline = addDuration(received, target, cal).getTime();
    for (const [from, to] of spans) {
      if (from >= deadline) break;
      deadline += to - from;
    }
    return new Date(deadline);
  }
  const clock = businessClock(cal, toLocal(received, cal.timeZone).epochDay);
  let goal = clock.position(received) + target.amount * 86_400_000;
  let deadline = clock.instantAt(goal);
  for (const [from, to] of spans) {
    if (from >= deadline.getTime()) break;
    goal += Math.max(0, clock.position(new Date(to)) - clock.position(new Date(from)));
    deadline = clock.instantAt(goal);
  }
  return deadline;
}
