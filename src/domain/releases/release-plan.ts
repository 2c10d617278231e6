/**
 * Which release a fixed report ships in. Pure: the caller passes the report's facts and "now".
 *
 * - A report the team moved out of cycle ships in an out-of-cycle release.
 * - A policy without security windows ships fixes "with the next release".
 * - Otherwise a report is due in the first security window at or after the moment it was fixed
 *   (the same window the SLA's "next-security-window" patch clock ends at, so a report fixed on a
 *   window day after that window began is due in the next one). A window stays current for its
 *   whole local day, the day the release is made; once that day is over and the report has not
 *   shipped, it is carried over to the next window.
 */
import { nextReleaseWindows, windowFor, type BusinessCalendar, type ReleaseWindow } from '../calendar/index.js';
import { fromEpochDay, fromLocal, isoDate, parseIsoDate, epochDay, toLocal } from '../calendar/zone.js';
import type { Policy } from '../policy/schema.js';
import { calendarOf } from '../reports/sla-plan.js';

export type PlannedRelease =
  | {
      kind: 'window';
      /** The window the report is planned for now. */
      window: ReleaseWindow;
      /** The window it was first due in (the SLA patch deadline); earlier than `window` when carried over. */
      dueWindow: ReleaseWindow;
      carriedOver: boolean;
    }
  | { kind: 'out_of_cycle' }
  | { kind: 'next_release' };

export interface ReleaseFacts {
  fixedAt: Date;
  outOfCycle: boolean;
}

/** The local date (YYYY-MM-DD) of an instant in the policy's zone. */
export const localDate = (t: Date, cal: BusinessCalendar): string => isoDate(fromEpochDay(toLocal(t, cal.timeZone).epochDay));

/** 00:00 of the local date of `t`: the earliest start a window of that day can have. */
const startOfLocalDay = (t: Date, cal: BusinessCalendar): Date => fromLocal(toLocal(t, cal.timeZone).epochDay, 0, cal.timeZone);

export function plannedRelease(policy: Policy, facts: ReleaseFacts, now: Date): PlannedRelease {
  if (facts.outOfCycle) return { kind: 'out_of_cycle' };
  const rules = policy.releases.securityWindows;
  const cal = calendarOf(policy);
  const due = rules.length > 0 ? windowFor(facts.fixedAt, rules, cal) : null;
  if (!due) return { kind: 'next_release' };
  if (due.date >= localDate(now, cal)) return { kind: 'window', window: due, dueWindow: due, carriedOver: false };
  const current = windowFor(startOfLocalDay(now, cal), rules, cal);
  if (!current) return { kind: 'next_release' };
  return { kind: 'window', window: current, dueWindow: due, carriedOver: true };
}

export interface PlanGroup<T> {
  /** "out-of-cycle", "next-release" or the window's date. */
  key: string;
  kind: PlannedRelease['kind'];
  window: ReleaseWindow | null;
  items: Array<{ item: T; planned: PlannedRelease }>;
}

/** Reports grouped by the release they are planned for: out of cycle first, then the windows by date, then "with the next release". */
export function groupByRelease<T>(policy: Policy, items: readonly T[], factsOf: (item: T) => ReleaseFacts, now: Date): Array<PlanGroup<T>> {
  const groups = new Map<string, PlanGroup<T>>();
  for (const item of items) {
    const planned = plannedRelease(policy, factsOf(item), now);
    const key = planned.kind === 'window' ? planned.window.date : planned.kind === 'out_of_cycle' ? 'out-of-cycle' : 'next-release';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, kind: planned.kind, window: planned.kind === 'window' ? planned.window : null, items: [] }));
    g.items.push({ item, planned });
  }
  const rank = (g: PlanGroup<T>) => (g.kind === 'out_of_cycle' ? 0 : g.kind === 'window' ? 1 : 2);
  return [...groups.values()].sort((a, b) => rank(a) - rank(b) || (a.window?.start.getTime() ?? 0) - (b.window?.start.getTime() ?? 0));
}

/** The next window whose release is still to come (today's counts for its whole day); null without windows. */
export function currentWindow(policy: Policy, now: Date): ReleaseWindow | null {
  const rules = policy.releases.securityWindows;
  if (rules.length === 0) return null;
  const cal = calendarOf(policy);
  return windowFor(startOfLocalDay(now, cal), rules, cal);
}

/** At most this many windows are offered when a late shipment is recorded. */
const MAX_SHIPPABLE = 6;

/**
 * The windows a report fixed at `fixedAt` can have shipped in by `now`: those whose local date lies
 * between the fix's date and today (a fix made on a window day may still go out that day), newest
 * first, at most six.
 */
export function shippableWindows(policy: Policy, fixedAt: Date, now: Date): ReleaseWindow[] {
  const rules = policy.releases.securityWindows;
  if (rules.length === 0) return [];
  const cal = calendarOf(policy);
  const today = localDate(now, cal);
  const out: ReleaseWindow[] = [];
  let w = windowFor(startOfLocalDay(fixedAt, cal), rules, cal);
  // Bounded: a report fixed decades ago offers its newest windows and stops at today.
  for (let i = 0; w && w.date <= today && i < 10_000; i++) {
    out.push(w);
    if (out.length > MAX_SHIPPABLE) out.shift();
    w = nextReleaseWindows(w.start, rules, cal, 1)[0] ?? null;
  }
  return out.reverse();
}

export type ShipmentDecision = { ok: true; shippedIn: 'window' | 'out_of_cycle' | 'release'; date: string } | { ok: false; reason: string };

/**
 * Checks the date a report shipped on. An out-of-cycle report ships out of cycle on any day from
 * its fix to today; otherwise the date must be one of the policy's security windows in that range
 * (or, without windows, any such day: "with the next release").
 */
export function decideShipment(policy: Policy, facts: ReleaseFacts, date: string, now: Date): ShipmentDecision {
  const cal = calendarOf(policy);
  let day: number;
  try {
    day = epochDay(parseIsoDate(date));
  } catch {
    return { ok: false, reason: `"${date}" is not a date; give it as YYYY-MM-DD` };
  }
  const fixedOn = localDate(facts.fixedAt, cal);
  const today = localDate(now, cal);
  if (date > today) return { ok: false, reason: `${date} is still to come; a release is recorded once it has shipped` };
  if (date < fixedOn) return { ok: false, reason: `${date} is before the report was fixed (${fixedOn})` };
  if (facts.outOfCycle) return { ok: true, shippedIn: 'out_of_cycle', date };
  const rules = policy.releases.securityWindows;
  if (rules.length === 0) return { ok: true, shippedIn: 'release', date };
  const w = windowFor(fromLocal(day, 0, cal.timeZone), rules, cal);
  if (w?.date !== date) {
    const offered = shippableWindows(policy, facts.fixedAt, now).map((x) => x.date);
    return {
      ok: false,
      reason: `${date} is not a security window of the policy${offered.length > 0 ? ` (windows since the fix: ${offered.join(', ')})` : ' and no window has come since the fix'}; a release outside the windows is moved out of cycle first`,
    };
  }
  return { ok: true, shippedIn: 'window', date };
}
