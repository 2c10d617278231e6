/**
 * Wall-clock helpers over luxon. Every local time is resolved to an instant with the UTC offset in
 * force just before a DST transition (what Temporal calls "compatible"):
 * - a local time inside a spring-forward gap moves forward by the length of the gap
 *   (Europe/Berlin 2026-03-29 02:30 -> 03:30 CEST);
 * - an ambiguous local time in a fall-back overlap takes the earlier of its two instants
 *   (Europe/Berlin 2026-10-25 02:30 -> 02:30 CEST = 00:30Z, not 02:30 CET).
 */
import { DateTime, IANAZone } from 'luxon';

export const DAY_MS = 86_400_000;

/** A calendar date in some zone, as plain numbers. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const zoneCache = new Map<string, IANAZone>();

export function zoneOf(timeZone: string): IANAZone {
  let z = zoneCache.get(timeZone);
  if (!z) {
    if (!IANAZone.isValidZone(timeZone)) throw new RangeError(`unknown time zone "${timeZone}"`);
    z = IANAZone.create(timeZone);
    zoneCache.set(timeZone, z);
  }
  return z;
}

const HOUR_MS = 3_600_000;
const offsetCache = new Map<string, Map<number, number>>();

/**
 * The zone's UTC offset in minutes at an instant. luxon asks Intl for every offset, which made
 * the SLA clocks of an inbox with thousands of open reports take seconds; the offsets at whole
 * hours are kept instead. When the offsets at both ends of the hour agree, no transition lies in
 * between (the time zone database has none less than an hour apart); otherwise luxon is asked.
 */
export function offsetAt(timeZone: string, ms: number): number {
  const zone = zoneOf(timeZone);
  let cache = offsetCache.get(timeZone);
  if (!cache) offsetCache.set(timeZone, (cache = new Map()));
  const known = cache;
  const at = (hour: number): number => {
    let o = known.get(hour);
    if (o === undefined) {
      if (known.size >= 500_000) known.clear();
      o = zone.offset(hour * HOUR_MS);
      known.set(hour, o);
    }
    return o;
  };
  const hour = Math.floor(ms / HOUR_MS);
  const before = at(hour);
  return before === at(hour + 1) ? before : zone.offset(ms);
}

export function checkTimeZone(tz: string): string | null {
  if (typeof tz !== 'string' || tz.trim() === '') return 'time zone is empty; use an IANA name such as "Europe/Berlin" or "UTC"';
  if (!IANAZone.isValidZone(tz)) {
    return `"${tz}" is not an IANA time zone; use a name such as "Europe/Berlin", "America/New_York" or "UTC" (list: https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)`;
  }
  return null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDate(iso: string): LocalDate {
  const m = ISO_DATE.exec(iso);
  const d = m ? DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone: 'UTC' }) : null;
  if (!d || !d.isValid) throw new RangeError(`"${iso}" is not a YYYY-MM-DD date`);
  return { year: d.year, month: d.month, day: d.day };
}

/** Day number since 1970-01-01, for cheap date arithmetic independent of any zone. */
export function epochDay(d: LocalDate): number {
  return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / DAY_MS);
}

export function fromEpochDay(n: number): LocalDate {
  const dt = new Date(n * DAY_MS);
  return { year: dt.getUTCFullYear(), month: dt.getUTCMonth() + 1, day: dt.getUTCDate() };
}

export function isoDate(d: LocalDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** ISO weekday, 1 = Monday .. 7 = Sunday. */
export function isoWeekday(d: LocalDate): number {
  const w = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  return w === 0 ? 7 : w;
}

/** The local date of an instant and the wall-clock milliseconds since that date's 00:00. */
export function toLocal(t: Date, timeZone: string): { epochDay: number; wallMs: number } {
  const ms = t.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid Date');
  const shifted = ms + offsetAt(timeZone, ms) * 60_000;
  const day = Math.floor(shifted / DAY_MS);
  return { epochDay: day, wallMs: shifted - day * DAY_MS };
}

/** The instant of a local wall-clock time (wallMs after 00:00 of the given day), see header for gaps and overlaps. */
export function fromLocal(day: number, wallMs: number, timeZone: string): Date {
  const u = day * DAY_MS + wallMs;
  const offsets = new Set([offsetAt(timeZone, u - DAY_MS), offsetAt(timeZone, u), offsetAt(timeZone, u + DAY_MS)]);
  const valid: number[] = [];
  const all: number[] = [];
  for (const o of offsets) {
    const t = u - o * 60_000;
    all.push(t);
    if (offsetAt(timeZone, t) === o) valid.push(t);
  }
  // Overlap: earlier instant. Gap: the old (smaller) offset, i.e. the later candidate = moved forward.
  return new Date(valid.length > 0 ? Math.min(...valid) : Math.max(...all));
}
