import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDuration, businessDaysBetween } from './business-days.js';
import { isBusinessDay } from './holidays.js';
import { pausedDeadline } from './sla.js';
import type { BusinessCalendar, DurationUnit } from './types.js';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Australia/Lord_Howe', 'America/Santiago'];
const REGIONS = [undefined, 'DE', 'DE-BE', 'US-NY', 'GB-ENG'];

const calArb: fc.Arbitrary<BusinessCalendar> = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  holidayRegion: fc.constantFrom(...REGIONS),
  workdays: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }), { nil: undefined }),
});
const instantArb = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true });
const local = (t: Date, zone: string) => DateTime.fromJSDate(t, { zone });

describe('addDuration properties', () => {
  it('business days: monotone in N, lands on a business day, keeps the local time of day', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 0, max: 40 }), calArb, (t, n, cal) => {
        const a = addDuration(t, { amount: n, unit: 'business_days' }, cal);
        const b = addDuration(t, { amount: n + 1, unit: 'business_days' }, cal);
        expect(b.getTime()).toBeGreaterThan(a.getTime());
        expect(a.getTime()).toBeGreaterThanOrEqual(t.getTime());
        const la = local(a, cal.timeZone);
        expect(isBusinessDay(la.toISODate() ?? '', cal)).toBe(true);
        const lt = local(t, cal.timeZone);
        const wanted = isBusinessDay(lt.toISODate() ?? '', cal) ? lt.toFormat('HH:mm:ss.SSS') : '00:00:00.000';
        // Only a wall time that does not exist on the target date (DST gap) may differ.
        const [hh, mm, rest] = wanted.split(':');
        const exists = DateTime.fromObject({ year: la.year, month: la.month, day: la.day, hour: Number(hh), minute: Number(mm), second: Math.floor(Number(rest)) }, { zone: cal.timeZone });
        if (exists.toFormat('HH:mm') === `${hh}:${mm}`) expect(la.toFormat('HH:mm:ss.SSS')).toBe(wanted);
        expect(businessDaysBetween(t, a, cal)).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it('pausedDeadline without pauses is addDuration', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 1, max: 40 }), fc.constantFrom<DurationUnit>('hours', 'calendar_days', 'business_days'), calArb, (t, n, unit, cal) => {
        const d = { amount: n, unit };
        expect(pausedDeadline(t, d, cal, [], t).getTime()).toBe(addDuration(t, d, cal).getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('a pause never makes a deadline earlier', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 30 * 86_400_000 }), fc.integer({ min: 1, max: 10 * 86_400_000 }), calArb, (t, n, offset, len, cal) => {
        const d = { amount: n, unit: 'business_days' as const };
        const from = new Date(t.getTime() + offset);
        const paused = pausedDeadline(t, d, cal, [{ from, to: new Date(from.getTime() + len) }], from);
        expect(paused.getTime()).toBeGreaterThanOrEqual(addDuration(t, d, cal).getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('never throws for any valid IANA zone', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2060-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom<DurationUnit>('hours', 'calendar_days', 'business_days'),
        fc.constantFrom(...zones),
        (t, n, unit, timeZone) => {
          const r = addDuration(t, { amount: n, unit }, { timeZone });
          expect(r.getTime()).toBeGreaterThan(t.getTime());
        },
      ),
      { numRuns: 500 },
    );
  });
});
