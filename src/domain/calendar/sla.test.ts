import { describe, expect, it } from 'vitest';
import { pausedDeadline, remainingUntil, slaDeadlines, type Pause } from './sla.js';
import type { BusinessCalendar, Duration } from './types.js';

const UTC: BusinessCalendar = { timeZone: 'UTC' };
const DE: BusinessCalendar = { timeZone: 'Europe/Berlin', holidayRegion: 'DE' };
const d = (s: string): Date => new Date(s);
const p = (from: string, to: string | null): Pause => ({ from: d(from), to: to === null ? null : d(to) });

describe('slaDeadlines', () => {
  it('computes every set target of the reference policy', () => {
    const got = slaDeadlines(
      d('2026-03-09T09:00:00Z'),
      { acknowledge: { amount: 24, unit: 'hours' }, triage: { amount: 7, unit: 'business_days' }, fix: { amount: 21, unit: 'business_days' }, patch: undefined },
      DE,
    );
    expect(Object.fromEntries(Object.entries(got).map(([k, v]) => [k, v.toISOString()]))).toEqual({
      acknowledge: '2026-03-10T09:00:00.000Z',
      triage: '2026-03-18T09:00:00.000Z',
      fix: '2026-04-09T08:00:00.000Z',
    });
  });

  it('remainingUntil is negative once overdue', () => {
    expect(remainingUntil(d('2026-03-10T09:00:00Z'), d('2026-03-10T08:00:00Z'))).toEqual({ ms: 3_600_000, overdue: false });
    expect(remainingUntil(d('2026-03-10T09:00:00Z'), d('2026-03-10T09:00:00Z'))).toEqual({ ms: 0, overdue: false });
    expect(remainingUntil(d('2026-03-10T09:00:00Z'), d('2026-03-10T10:00:00Z'))).toEqual({ ms: -3_600_000, overdue: true });
  });
});

describe('pausedDeadline', () => {
  const received = d('2026-03-02T09:00:00Z'); // Monday
  const now = d('2026-03-20T00:00:00Z');
  it.each<[string, Duration, BusinessCalendar, Pause[], string, Date?]>([
    ['hours, no pause', { amount: 24, unit: 'hours' }, UTC, [], '2026-03-03T09:00:00Z'],
    ['hours, 4 h pause', { amount: 24, unit: 'hours' }, UTC, [p('2026-03-02T10:00:00Z', '2026-03-02T14:00:00Z')], '2026-03-03T13:00:00Z'],
    ['hours, overlapping pauses merge', { amount: 24, unit: 'hours' }, UTC, [p('2026-03-02T10:00:00Z', '2026-03-02T12:00:00Z'), p('2026-03-02T11:00:00Z', '2026-03-02T13:00:00Z')], '2026-03-03T12:00:00Z'],
    ['hours, pause before received is clipped', { amount: 24, unit: 'hours' }, UTC, [p('2026-03-02T08:00:00Z', '2026-03-02T10:00:00Z')], '2026-03-03T10:00:00Z'],
    ['hours, pause after the deadline is ignored', { amount: 24, unit: 'hours' }, UTC, [p('2026-03-04T00:00:00Z', '2026-03-05T00:00:00Z')], '2026-03-03T09:00:00Z'],
    ['hours, open pause runs until now', { amount: 24, unit: 'hours' }, UTC, [p('2026-03-02T12:00:00Z', null)], '2026-03-03T17:00:00Z', d('2026-03-02T20:00:00Z')],
    ['calendar days, 1 day pause', { amount: 7, unit: 'calendar_days' }, UTC, [p('2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z')], '2026-03-10T09:00:00Z'],
    ['business days, no pause', { amount: 7, unit: 'business_days' }, UTC, [], '2026-03-11T09:00:00Z'],
    ['business days, weekend pause changes nothing', { amount: 7, unit: 'business_days' }, UTC, [p('2026-03-07T00:00:00Z', '2026-03-09T00:00:00Z')], '2026-03-11T09:00:00Z'],
    ['business days, Fri 18:00 to Mon 00:00 costs 6 h', { amount: 7, unit: 'business_days' }, UTC, [p('2026-03-06T18:00:00Z', '2026-03-09T00:00:00Z')], '2026-03-11T15:00:00Z'],
    ['business days, Tue 10:00 to Wed 10:00 costs 1 day', { amount: 7, unit: 'business_days' }, UTC, [p('2026-03-03T10:00:00Z', '2026-03-04T10:00:00Z')], '2026-03-12T09:00:00Z'],
    ['business days, open pause of 2 days', { amount: 7, unit: 'business_days' }, UTC, [p('2026-03-03T10:00:00Z', null)], '2026-03-13T09:00:00Z', d('2026-03-05T10:00:00Z')],
    ['business days, pause past the old deadline', { amount: 2, unit: 'business_days' }, UTC, [p('2026-03-03T09:00:00Z', '2026-03-05T09:00:00Z')], '2026-03-06T09:00:00Z'],
    ['business days, pause starting after the deadline', { amount: 2, unit: 'business_days' }, UTC, [p('2026-03-04T09:00:00Z', '2026-03-06T09:00:00Z')], '2026-03-04T09:00:00Z'],
    // Berlin, received 10:00 CET: 23 bd = Thu 2 Apr 10:00 CEST. A pause Thu 00:00 .. Tue 00:00 covers
    // one business day only (Good Friday and Easter Monday are holidays), so the clock moves one day.
    ['DE, no pause', { amount: 23, unit: 'business_days' }, DE, [], '2026-04-02T08:00:00Z'],
    ['DE, pause over Easter costs one business day', { amount: 23, unit: 'business_days' }, DE, [p('2026-04-01T22:00:00Z', '2026-04-06T22:00:00Z')], '2026-04-07T08:00:00Z'],
    ['DE, pause Good Friday to Easter Monday costs nothing', { amount: 24, unit: 'business_days' }, DE, [p('2026-04-02T22:00:00Z', '2026-04-06T22:00:00Z')], '2026-04-07T08:00:00Z'],
  ])('%s', (_n, target, cal, pauses, want, at = now) => {
    expect(pausedDeadline(received, target, cal, pauses, at).toISOString()).toBe(d(want).toISOString());
  });
});
