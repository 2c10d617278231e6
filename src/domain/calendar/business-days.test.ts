import { describe, expect, it } from 'vitest';
import { addDuration, businessDaysBetween } from './business-days.js';
import type { BusinessCalendar, Duration } from './types.js';

const UTC: BusinessCalendar = { timeZone: 'UTC' };
const DE: BusinessCalendar = { timeZone: 'Europe/Berlin', holidayRegion: 'DE' };
const DE_BE: BusinessCalendar = { timeZone: 'Europe/Berlin', holidayRegion: 'DE-BE' };
const DE_BB: BusinessCalendar = { timeZone: 'Europe/Berlin', holidayRegion: 'DE-BB' };
const US_NY: BusinessCalendar = { timeZone: 'America/New_York', holidayRegion: 'US-NY' };
const BERLIN_7D: BusinessCalendar = { timeZone: 'Europe/Berlin', workdays: [1, 2, 3, 4, 5, 6, 7] };

const bd = (amount: number): Duration => ({ amount, unit: 'business_days' });
const cd = (amount: number): Duration => ({ amount, unit: 'calendar_days' });
const h = (amount: number): Duration => ({ amount, unit: 'hours' });

describe('addDuration', () => {
  it.each<[string, string, Duration, BusinessCalendar, string]>([
    // weekends (Berlin is CET = UTC+1 until 2026-03-29)
    ['Fri 15:00 + 1 bd = Mon 15:00', '2026-03-06T14:00:00Z', bd(1), DE, '2026-03-09T14:00:00Z'],
    ['Sat 15:00 + 1 bd = Tue 00:00', '2026-03-07T14:00:00Z', bd(1), DE, '2026-03-09T23:00:00Z'],
    ['Sun 23:59 + 1 bd = Tue 00:00', '2026-03-08T22:59:00Z', bd(1), DE, '2026-03-09T23:00:00Z'],
    ['Mon 00:00 + 1 bd = Tue 00:00', '2026-03-08T23:00:00Z', bd(1), DE, '2026-03-09T23:00:00Z'],
    ['Fri 23:30 + 1 bd = Mon 23:30 (late in the day)', '2026-03-06T22:30:00Z', bd(1), DE, '2026-03-09T22:30:00Z'],
    ['Fri + 5 bd = next Fri', '2026-03-06T14:00:00Z', bd(5), DE, '2026-03-13T14:00:00Z'],
    // German holidays: Frauentag 2027-03-08 (Monday) only in Berlin
    ['DE: Fri + 1 bd over 2027-03-08 = Mon', '2027-03-05T09:00:00Z', bd(1), DE, '2027-03-08T09:00:00Z'],
    ['DE-BE: Frauentag skipped = Tue', '2027-03-05T09:00:00Z', bd(1), DE_BE, '2027-03-09T09:00:00Z'],
    // Reformationstag 2025-10-31 (Friday) in Brandenburg, not Berlin
    ['DE-BE: Thu + 1 bd = Fri 31 Oct', '2025-10-30T09:00:00Z', bd(1), DE_BE, '2025-10-31T09:00:00Z'],
    ['DE-BB: Thu + 1 bd = Mon 3 Nov', '2025-10-30T09:00:00Z', bd(1), DE_BB, '2025-11-03T09:00:00Z'],
    // year end: 24th and 31st are working days in DE, 25th and 1st are not
    ['DE: Wed 23 Dec + 3 bd = Tue 29 Dec', '2026-12-23T11:00:00Z', bd(3), DE, '2026-12-29T11:00:00Z'],
    ['DE: Wed 23 Dec + 7 bd = Tue 5 Jan 2027', '2026-12-23T11:00:00Z', bd(7), DE, '2027-01-05T11:00:00Z'],
    // T on a holiday: Good Friday, then Easter Monday
    ['DE: Good Friday 10:00 + 1 bd = Wed 00:00', '2026-04-03T08:00:00Z', bd(1), DE, '2026-04-07T22:00:00Z'],
    ['US-NY: Thu + 1 bd skips the observed 4th of July', '2026-07-02T20:00:00Z', bd(1), US_NY, '2026-07-06T20:00:00Z'],
    // other zones
    ['Asia/Kolkata Fri 18:30 + 1 bd', '2026-03-06T13:00:00Z', bd(1), { timeZone: 'Asia/Kolkata' }, '2026-03-09T13:00:00Z'],
    ['Pacific/Chatham (+13:45) Fri 09:00 + 1 bd', '2026-03-05T19:15:00Z', bd(1), { timeZone: 'Pacific/Chatham' }, '2026-03-08T19:15:00Z'],
    ['Pacific/Chatham across DST end (+12:45)', '2026-04-02T19:15:00Z', bd(1), { timeZone: 'Pacific/Chatham' }, '2026-04-05T20:15:00Z'],
    ['UTC Saturday is not Monday-based in Kolkata', '2026-03-06T20:00:00Z', bd(1), { timeZone: 'Asia/Kolkata' }, '2026-03-09T18:30:00Z'],
    // DST in Berlin
    ['Fri 10:00 CET + 1 bd = Mon 10:00 CEST', '2026-03-27T09:00:00Z', bd(1), DE, '2026-03-30T08:00:00Z'],
    ['Fri 10:00 CEST + 1 bd = Mon 10:00 CET', '2026-10-23T08:00:00Z', bd(1), DE, '2026-10-26T09:00:00Z'],
    ['calendar day across spring DST = 23 h', '2026-03-28T11:00:00Z', cd(1), DE, '2026-03-29T10:00:00Z'],
    ['24 hours across spring DST', '2026-03-28T11:00:00Z', h(24), DE, '2026-03-29T11:00:00Z'],
    ['calendar day across autumn DST = 25 h', '2026-10-24T10:00:00Z', cd(1), DE, '2026-10-25T11:00:00Z'],
    ['24 hours across autumn DST', '2026-10-24T10:00:00Z', h(24), DE, '2026-10-25T10:00:00Z'],
    ['calendar day into the spring gap moves forward', '2026-03-28T01:30:00Z', cd(1), DE, '2026-03-29T01:30:00Z'],
    ['calendar day into the overlap takes the earlier instant', '2026-10-24T00:30:00Z', cd(1), DE, '2026-10-25T00:30:00Z'],
    ['business day into the spring gap moves forward', '2026-03-28T01:30:00Z', bd(1), BERLIN_7D, '2026-03-29T01:30:00Z'],
    ['second 02:30 (CET) + 1 cd keeps 02:30', '2026-10-25T01:30:00Z', cd(1), DE, '2026-10-26T01:30:00Z'],
    ['calendar days cross the year', '2026-12-31T23:30:00Z', cd(1), DE, '2027-01-01T23:30:00Z'],
    ['0 business days from Saturday = Monday 00:00', '2026-03-07T14:00:00Z', bd(0), DE, '2026-03-08T23:00:00Z'],
    ['custom workdays Mon-Thu', '2026-03-05T10:00:00Z', bd(1), { timeZone: 'UTC', workdays: [1, 2, 3, 4] }, '2026-03-09T10:00:00Z'],
    ['extra holiday', '2026-03-05T10:00:00Z', bd(1), { timeZone: 'UTC', extraHolidays: ['2026-03-06'] }, '2026-03-09T10:00:00Z'],
  ])('%s', (_name, start, d, cal, want) => {
    expect(addDuration(new Date(start), d, cal).toISOString()).toBe(new Date(want).toISOString());
  });

  it('reference policy: acknowledge 24 h, triage 7 bd, fix 21 bd (UTC vs DE)', () => {
    const received = new Date('2026-03-09T09:00:00Z'); // Monday, 10:00 CET
    expect(addDuration(received, h(24), UTC).toISOString()).toBe('2026-03-10T09:00:00.000Z');
    expect(addDuration(received, bd(7), UTC).toISOString()).toBe('2026-03-18T09:00:00.000Z');
    expect(addDuration(received, bd(21), UTC).toISOString()).toBe('2026-04-07T09:00:00.000Z');
    expect(addDuration(received, h(24), DE).toISOString()).toBe('2026-03-10T09:00:00.000Z');
    expect(addDuration(received, bd(7), DE).toISOString()).toBe('2026-03-18T09:00:00.000Z');
    // Good Friday and Easter Monday push the fix two days; 10:00 is CEST by then
    expect(addDuration(received, bd(21), DE).toISOString()).toBe('2026-04-09T08:00:00.000Z');
  });

  it('throws for an unknown zone and a calendar without business days', () => {
    expect(() => addDuration(new Date('2026-03-04T09:00:00Z'), bd(1), { timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
    expect(() => addDuration(new Date('2026-03-04T09:00:00Z'), bd(1), { timeZone: 'UTC', workdays: [] })).toThrow(/no business day/);
  });
});

describe('businessDaysBetween', () => {
  it.each<[string, string, BusinessCalendar, number]>([
    ['2026-03-06T15:00:00Z', '2026-03-09T15:00:00Z', UTC, 1],
    ['2026-03-06T15:00:00Z', '2026-03-09T14:59:59Z', UTC, 0],
    ['2026-03-06T00:00:00Z', '2026-03-07T10:00:00Z', UTC, 1],
    ['2026-03-07T10:00:00Z', '2026-03-09T23:59:00Z', UTC, 0],
    ['2026-03-02T00:00:00Z', '2026-03-30T00:00:00Z', UTC, 20],
    ['2026-03-02T00:00:00Z', '2026-03-30T00:00:00Z', DE, 20],
    ['2026-03-30T00:00:00Z', '2026-04-13T00:00:00Z', DE, 8],
    ['2026-12-23T11:00:00Z', '2027-01-05T11:00:00Z', DE, 7],
    ['2026-03-09T00:00:00Z', '2026-03-02T00:00:00Z', UTC, 0],
  ])('%s .. %s', (a, b, cal, want) => {
    expect(businessDaysBetween(new Date(a), new Date(b), cal)).toBe(want);
  });
});
