/**
 * Release windows: "the nth <weekday> of each month at HH:MM local" (nth 1..5, -1 = last).
 * A month without a 5th such weekday has no window for nth 5. `time` defaults to '00:00': the
 * window opens when its day begins. Windows are not moved for holidays; the policy names dates.
 * nextReleaseWindows returns windows whose start is strictly after `from` (so a window later on
 * `from`'s own day counts, one that started at or before `from` does not); windowFor returns the
 * first window starting at or after a date. Results are merged across rules, sorted and
 * deduplicated by start instant.
 */
import type { BusinessCalendar, ReleaseWindowRule, Weekday } from './types.js';
import { fromLocal, isoDate, isoWeekday, fromEpochDay, epochDay, toLocal } from './zone.js';

export interface ReleaseWindow {
  /** YYYY-MM-DD, local to the calendar's zone */
  date: string;
  start: Date;
}

const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** Rules that never match (e.g. nth: []) must not loop forever. */
const MAX_MONTHS = 12 * 100;

function parseTime(time: string | undefined): number {
  if (time === undefined) return 0;
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!m) throw new RangeError(`release window time "${time}" is not HH:MM`);
  return (Number(m[1]) * 60 + Number(m[2])) * 60_000;
}

export function checkReleaseWindowRule(rule: ReleaseWindowRule): string | null {
  if (!WEEKDAYS.includes(rule.weekday)) return `"${String(rule.weekday)}" is not a weekday; use one of ${WEEKDAYS.join(', ')}`;
  if (rule.nth.length === 0) return 'nth is empty; list which occurrences count, e.g. [2, 4] or [-1] for the last';
  const bad = rule.nth.filter((n) => !(Number.isInteger(n) && ((n >= 1 && n <= 5) || n === -1)));
  if (bad.length > 0) return `nth ${bad.join(', ')} is not 1..5 or -1 (last)`;
  if (rule.time !== undefined && !/^([01]\d|2[0-3]):([0-5]\d)$/.test(rule.time)) return `time "${rule.time}" is not HH:MM (24 h, local)`;
  return null;
}

/** Epoch days of the rule's dates in one month. */
function datesInMonth(year: number, month: number, rule: ReleaseWindowRule): number[] {
  const target = WEEKDAYS.indexOf(rule.weekday) + 1;
  const first = epochDay({ year, month, day: 1 });
  const firstMatch = first + ((target - isoWeekday({ year, month, day: 1 }) + 7) % 7);
  const all: number[] = [];
  for (let d = firstMatch; fromEpochDay(d).month === month; d += 7) all.push(d);
  const out: number[] = [];
  for (const n of rule.nth) {
    const d = n === -1 ? all.at(-1) : all[n - 1];
    if (d !== undefined) out.push(d);
  }
  return out;
}

function windowsFrom(from: Date, rules: readonly ReleaseWindowRule[], cal: BusinessCalendar, count: number, inclusive: boolean): ReleaseWindow[] {
  if (count <= 0 || rules.length === 0) return [];
  const times = rules.map((r) => parseTime(r.time));
  const startDay = fromEpochDay(toLocal(from, cal.timeZone).epochDay);
  // A window's start can differ from its local date by a day at most; begin one month earlier.
  let year = startDay.year;
  let month = startDay.month - 1;
  if (month === 0) [year, month] = [year - 1, 12];
  const found = new Map<number, ReleaseWindow>();
  for (let i = 0; i < MAX_MONTHS; i++) {
    rules.forEach((rule, r) => {
      for (const day of datesInMonth(year, month, rule)) {
        const start = fromLocal(day, times[r] ?? 0, cal.timeZone);
        const ok = inclusive ? start.getTime() >= from.getTime() : start.getTime() > from.getTime();
        if (ok) found.set(start.getTime(), { date: isoDate(fromEpochDay(day)), start });
      }
    });
    // Months are visited in order, so once we hold enough windows from an earlier month, later
    // months cannot contribute anything smaller.
    if (found.size >= count && i >= 1) break;
    if (++month === 13) [year, month] = [year + 1, 1];
  }
  return [...found.values()].sort((a, b) => a.start.getTime() - b.start.getTime()).slice(0, count);
}

export function nextReleaseWindows(from: Date, rules: readonly ReleaseWindowRule[], cal: BusinessCalendar, count: number): ReleaseWindow[] {
  return windowsFrom(from, rules, cal, count, false);
}

/** The first window starting at or after `date`; null when the rules produce none. */
export function windowFor(date: Date, rules: readonly ReleaseWindowRule[], cal: BusinessCalendar): ReleaseWindow | null {
  return windowsFrom(date, rules, cal, 1, true)[0] ?? null;
}
