/**
 * Business days: a local date is a business day when its ISO weekday is a workday
 * (default Monday..Friday), it is not a public holiday of the calendar's date-holidays region
 * (only holidays of type 'public'; bank, school, optional and observance days do not count),
 * and it is not one of the calendar's extraHolidays.
 */
import Holidays from 'date-holidays';
import type { BusinessCalendar } from './types.js';
import { type LocalDate, epochDay, fromEpochDay, isoDate, isoWeekday, parseIsoDate } from './zone.js';

const DEFAULT_WORKDAYS: readonly number[] = [1, 2, 3, 4, 5];
const REGION_HELP =
  'region codes are date-holidays codes "COUNTRY[-STATE[-REGION]]" (ISO 3166), e.g. "DE", "DE-BE", "US-CA", "GB-ENG"; ' +
  'see https://github.com/commenthol/date-holidays#supported-countries-states-regions';

const catalog = new Holidays();
const regionCache = new Map<string, Holidays>();
/** region|year -> local date -> holiday names */
const yearCache = new Map<string, Map<string, string[]>>();

function splitRegion(region: string): string[] {
  return region.trim().toUpperCase().split('-');
}

export function checkHolidayRegion(region: string): string | null {
  const parts = typeof region === 'string' ? splitRegion(region) : [];
  const [country, state, sub, ...rest] = parts;
  if (!country || rest.length > 0) return `"${region}" is not a holiday region; ${REGION_HELP}`;
  const countries = catalog.getCountries('en') ?? {};
  if (!(country in countries)) return `unknown holiday country "${country}"; ${REGION_HELP}`;
  if (state === undefined) return null;
  const states = catalog.getStates(country, 'en') ?? {};
  if (!(state in states)) {
    const known = Object.keys(states);
    const list = known.length > 0 ? `known states of ${country}: ${known.join(', ')}` : `${country} has no states in date-holidays`;
    return `unknown state "${state}" in holiday region "${region}"; ${list}`;
  }
  if (sub === undefined) return null;
  const regions = catalog.getRegions(country, state, 'en') ?? {};
  if (!(sub in regions)) {
    const known = Object.keys(regions);
    const list = known.length > 0 ? `known regions of ${country}-${state}: ${known.join(', ')}` : `${country}-${state} has no regions in date-holidays`;
    return `unknown region "${sub}" in holiday region "${region}"; ${list}`;
  }
  return null;
}

function holidaysOf(region: string): Holidays {
  let h = regionCache.get(region);
  if (!h) {
    const problem = checkHolidayRegion(region);
    if (problem) throw new RangeError(problem);
    const [country, state, sub] = splitRegion(region);
    h = new Holidays({ country: country ?? '', state, region: sub }, { types: ['public'] });
    regionCache.set(region, h);
  }
  return h;
}

/** Public holidays of a region in one year, keyed by local date (date-holidays dates are local already). */
function publicHolidays(region: string, year: number): Map<string, string[]> {
  const key = `${region}|${year}`;
  let byDate = yearCache.get(key);
  if (byDate) return byDate;
  byDate = new Map();
  for (const h of holidaysOf(region).getHolidays(year, 'en')) {
    if (h.type !== 'public') continue;
    const first = parseIsoDate(h.date.slice(0, 10));
    // A few rules span several days (date-holidays "P2D" durations); count each day.
    const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000));
    for (let i = 0; i < days; i++) {
      const d = isoDate(fromEpochDay(epochDay(first) + i));
      byDate.set(d, [...(byDate.get(d) ?? []), h.name]);
    }
  }
  yearCache.set(key, byDate);
  return byDate;
}

function holidayNames(d: LocalDate, cal: BusinessCalendar): string[] {
  const iso = isoDate(d);
  const names = cal.holidayRegion ? [...(publicHolidays(cal.holidayRegion, d.year).get(iso) ?? [])] : [];
  if (cal.extraHolidays?.includes(iso)) names.push('Team holiday');
  return names;
}

/** Calendar (region, workdays, extra holidays) -> epoch day -> business day or not. */
const dayCache = new Map<string, Map<number, boolean>>();
const CALENDARS_KEPT = 64;
const DAYS_KEPT = 100_000;

/**
 * Predicate over epoch days. Answers are kept per calendar content: deadlines and pauses scan the
 * same days over and over (every open report's clocks on every inbox request).
 */
export function businessDayTest(cal: BusinessCalendar): (day: number) => boolean {
  const workdays = cal.workdays ?? DEFAULT_WORKDAYS;
  const extra = new Set(cal.extraHolidays ?? []);
  const key = JSON.stringify([cal.holidayRegion ?? null, workdays, [...extra].sort()]);
  let known = dayCache.get(key);
  if (!known) {
    if (dayCache.size >= CALENDARS_KEPT) dayCache.clear();
    dayCache.set(key, (known = new Map()));
  }
  const days = known;
  return (day: number) => {
    let answer = days.get(day);
    if (answer === undefined) {
      const d = fromEpochDay(day);
      const iso = isoDate(d);
      answer = workdays.includes(isoWeekday(d)) && !extra.has(iso) && !(cal.holidayRegion && publicHolidays(cal.holidayRegion, d.year).has(iso));
      if (days.size >= DAYS_KEPT) days.clear();
      days.set(day, answer);
    }
    return answer;
  };
}

export function isBusinessDay(localIsoDate: string, cal: BusinessCalendar): boolean {
  return businessDayTest(cal)(epochDay(parseIsoDate(localIsoDate)));
}

/** Public holidays and extraHolidays between two local dates, both inclusive, whatever their weekday. */
export function holidaysBetween(fromIsoDate: string, toIsoDate: string, cal: BusinessCalendar): { date: string; name: string }[] {
  const out: { date: string; name: string }[] = [];
  const last = epochDay(parseIsoDate(toIsoDate));
  for (let day = epochDay(parseIsoDate(fromIsoDate)); day <= last; day++) {
    const d = fromEpochDay(day);
    const names = holidayNames(d, cal);
    if (names.length > 0) out.push({ date: isoDate(d), name: [...new Set(names)].join(' / ') });
  }
  return out;
}
