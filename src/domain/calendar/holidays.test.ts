import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHolidayRegion, holidaysBetween, isBusinessDay } from './holidays.js';
import { checkTimeZone } from './zone.js';
import type { BusinessCalendar } from './types.js';

const cal = (holidayRegion?: string, extra: Partial<BusinessCalendar> = {}): BusinessCalendar => ({ timeZone: 'Europe/Berlin', holidayRegion, ...extra });

describe('isBusinessDay', () => {
  it.each<[string, BusinessCalendar, boolean]>([
    ['2026-03-06', cal(), true], // Friday
    ['2026-03-07', cal(), false], // Saturday
    ['2026-03-08', cal(), false], // Sunday
    ['2027-03-08', cal('DE'), true], // Frauentag, Monday: Berlin only
    ['2027-03-08', cal('DE-BE'), false],
    ['2025-03-07', cal('DE-BE'), true], // 2025-03-08 is a Saturday anyway
    ['2025-10-31', cal('DE-BB'), false], // Reformationstag
    ['2025-10-31', cal('DE-BE'), true],
    ['2026-12-24', cal('DE'), true], // Heiligabend is no public holiday
    ['2026-12-25', cal('DE'), false],
    ['2026-12-31', cal('DE'), true],
    ['2027-01-01', cal('DE'), false],
    ['2026-04-03', cal('DE'), false], // Good Friday
    ['2026-04-06', cal('DE'), false], // Easter Monday
    ['2026-07-03', cal('US-NY'), false], // observed Independence Day
    ['2027-12-28', cal('GB-ENG'), false], // Boxing Day substitute
    ['2026-03-06', cal(undefined, { workdays: [1, 2, 3, 4] }), false],
    ['2026-03-07', cal(undefined, { workdays: [6] }), true],
    ['2026-03-06', cal(undefined, { extraHolidays: ['2026-03-06'] }), false],
    ['2026-03-06', cal('de-be'), true], // region codes are case-insensitive
  ])('%s %j -> %s', (date, c, want) => {
    expect(isBusinessDay(date, c)).toBe(want);
  });

  it('answers each calendar for itself, however calendars and days are asked in turn', () => {
    // the answers are kept per calendar: calendars that differ in one field must not share them
    const calendar = fc.record({
      holidayRegion: fc.constantFrom(undefined, 'DE', 'DE-BE', 'US-NY'),
      workdays: fc.constantFrom<number[] | undefined>(undefined, [1, 2, 3, 4], [1, 2, 3, 4, 5, 6]),
      extraHolidays: fc.constantFrom<string[] | undefined>(undefined, ['2026-03-06'], ['2026-03-06', '2026-12-24']),
    });
    const day = fc.integer({ min: 0, max: 3 * 365 }).map((i) => new Date(Date.UTC(2025, 11, 20) + i * 86_400_000).toISOString().slice(0, 10));
    const direct = (date: string, c: BusinessCalendar) => {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
      return (c.workdays ?? [1, 2, 3, 4, 5]).includes(weekday) && holidaysBetween(date, date, c).length === 0;
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(day, calendar), { minLength: 1, maxLength: 30 }), (asks) => {
        for (const [date, c] of asks) expect(isBusinessDay(date, cal(c.holidayRegion, c))).toBe(direct(date, cal(c.holidayRegion, c)));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects malformed dates', () => {
    expect(() => isBusinessDay('2026-02-30', cal())).toThrow(/YYYY-MM-DD/);
    expect(() => isBusinessDay('6 March', cal())).toThrow(/YYYY-MM-DD/);
  });
});

describe('holidaysBetween', () => {
  it('lists public holidays across the year end, inclusive', () => {
    expect(holidaysBetween('2026-12-20', '2027-01-01', cal('DE'))).toEqual([
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2026-12-26', name: 'Boxing Day' },
      { date: '2027-01-01', name: "New Year's Day" },
    ]);
  });

  it('adds extra holidays and regional days', () => {
    const c = cal('DE-BE', { extraHolidays: ['2026-12-24', '2026-12-31'] });
    expect(holidaysBetween('2026-12-24', '2026-12-31', c).map((x) => x.date)).toEqual(['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31']);
    expect(holidaysBetween('2026-12-24', '2026-12-24', c)).toEqual([{ date: '2026-12-24', name: 'Team holiday' }]);
    expect(holidaysBetween('2027-03-01', '2027-03-31', cal('DE-BE')).map((x) => x.date)).toEqual(['2027-03-08', '2027-03-26', '2027-03-29']);
  });

  it('is empty without a region, and for an empty range', () => {
    expect(holidaysBetween('2026-12-20', '2027-01-10', cal())).toEqual([]);
    expect(holidaysBetween('2026-12-26', '2026-12-25', cal('DE'))).toEqual([]);
  });
});

describe('checkHolidayRegion', () => {
  it.each(['DE', 'DE-BE', 'US-CA', 'GB-ENG', 'de-bb', 'DE-BY-A'])('%s is valid', (r) => {
    expect(checkHolidayRegion(r)).toBeNull();
  });
  it.each<[string, RegExp]>([
    ['XX', /unknown holiday country "XX".*date-holidays/],
    ['DE-XX', /unknown state "XX".*BB, BE, BW/],
    ['DE-BY-ZZ', /unknown region "ZZ".*A, /],
    ['', /not a holiday region/],
    ['DE-BE-X-Y', /not a holiday region/],
  ])('%s -> message', (r, re) => {
    expect(checkHolidayRegion(r)).toMatch(re);
  });
});

describe('checkTimeZone', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'])('%s is valid', (tz) => {
    expect(checkTimeZone(tz)).toBeNull();
  });
  it.each(['', 'Berlin', 'Mars/Olympus', 'CEST+1'])('%j -> message', (tz) => {
    expect(checkTimeZone(tz)).toMatch(/IANA/);
  });
});
