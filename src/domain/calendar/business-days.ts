/**
 * Durations on a business calendar. All local reasoning happens in `cal.timeZone`.
 *
 * - `hours`: exact elapsed time (N x 3,600,000 ms), whatever the wall clock does.
 * - `calendar_days`: the same local wall-clock time N dates later. Across a DST change this is
 *   23 or 25 elapsed hours per day crossed, not 24. A result inside a spring-forward gap moves
 *   forward by the gap; an ambiguous result (fall-back overlap) takes the earlier instant.
 * - `business_days`: "N business days after T" is the same local time of day as T on the N-th
 *   business day after T's local date (see holidays.ts for what a business day is). When T falls
 *   on a non-business day, counting starts at 00:00 of the next business day, so the result is
 *   00:00 of the N-th business day after that day. Consequence: Saturday 15:00 + 1 business day =
 *   Tuesday 00:00 (the team gets all of Monday), the same as Monday 00:00 + 1; Friday 15:00 + 1 =
 *   Monday 15:00. The result is monotone in T and in N.
 *
 * Equivalent formulation used for pauses and statistics ("business time"): every business day
 * contributes 24 wall-clock hours of business time (from 00:00 to 24:00 local), other days none.
 * `T + N business days` is the last instant at which at most N x 24 h of business time have
 * elapsed since T. Business time is read on the local wall clock, so a DST change that falls on a
 * business day neither adds nor removes business time.
 */
import type { BusinessCalendar, Duration } from './types.js';
import { businessDayTest } from './holidays.js';
import { DAY_MS, fromLocal, toLocal } from './zone.js';

const HOUR_MS = 3_600_000;
/** A calendar without a single business day in this many days is treated as broken. */
const MAX_GAP_DAYS = 800;

/** Business time measured from 00:00 of a fixed origin date, in ms (one business day = DAY_MS). */
export interface BusinessClock {
  /** Business time elapsed between the origin date's 00:00 and t (t at or after that date). */
  position(t: Date): number;
  /** The last instant whose position is at most p. */
  instantAt(p: number): Date;
}

export function businessClock(cal: BusinessCalendar, originDay: number): BusinessClock {
  const isBiz = businessDayTest(cal);
  // prefix[i] = business days in [originDay, originDay + i)
  const prefix: number[] = [0];
  const countBefore = (day: number): number => {
    const i = day - originDay;
    if (i <= 0) return 0;
    while (prefix.length <= i) {
      const j = prefix.length - 1;
      prefix.push((prefix[j] ?? 0) + (isBiz(originDay + j) ? 1 : 0));
    }
    return prefix[i] ?? 0;
  };
  return {
    position(t) {
      const { epochDay, wallMs } = toLocal(t, cal.timeZone);
      if (epochDay < originDay) return 0;
      return countBefore(epochDay) * DAY_MS + (isBiz(epochDay) ? wallMs : 0);
    },
    instantAt(p) {
      const whole = Math.floor(Math.max(0, p) / DAY_MS);
      const rest = Math.max(0, p) - whole * DAY_MS;
      // The (whole + 1)-th business day on or after the origin; rest = 0 means its 00:00, which is
      // also the supremum when the p-th day ended and non-business days followed.
      let seen = 0;
      let gap = 0;
      for (let day = originDay; ; day++) {
        if (isBiz(day)) {
          gap = 0;
          if (seen === whole) return fromLocal(day, rest, cal.timeZone);
          seen++;
        } else if (++gap > MAX_GAP_DAYS) {
          throw new RangeError(`business calendar has no business day for ${MAX_GAP_DAYS} days (check workdays and extraHolidays)`);
        }
      }
    },
  };
}

function checkAmount(d: Duration): void {
  if (!Number.isSafeInteger(d.amount) || d.amount < 0) throw new RangeError(`duration amount must be a non-negative integer, got ${d.amount}`);
}

export function addDuration(start: Date, d: Duration, cal: BusinessCalendar): Date {
  checkAmount(d);
  switch (d.unit) {
    case 'hours':
      return new Date(start.getTime() + d.amount * HOUR_MS);
    case 'calendar_days': {
      const { epochDay, wallMs } = toLocal(start, cal.timeZone);
      return fromLocal(epochDay + d.amount, wallMs, cal.timeZone);
    }
    case 'business_days': {
      const clock = businessClock(cal, toLocal(start, cal.timeZone).epochDay);
      return clock.instantAt(clock.position(start) + d.amount * DAY_MS);
    }
  }
}

/**
 * Whole business days of business time elapsed from a to b (0 when b <= a). For every N,
 * businessDaysBetween(a, addDuration(a, N business days)) === N.
 */
export function businessDaysBetween(a: Date, b: Date, cal: BusinessCalendar): number {
  if (b.getTime() <= a.getTime()) return 0;
  const clock = businessClock(cal, toLocal(a, cal.timeZone).epochDay);
  return Math.max(0, Math.floor((clock.position(b) - clock.position(a)) / DAY_MS));
}
