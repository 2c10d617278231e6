import { describe, expect, it } from 'vitest';
import { checkReleaseWindowRule, nextReleaseWindows, windowFor } from './release-windows.js';
import type { BusinessCalendar, ReleaseWindowRule } from './types.js';

const BERLIN: BusinessCalendar = { timeZone: 'Europe/Berlin' };
const UTC: BusinessCalendar = { timeZone: 'UTC' };
const SECOND_FOURTH_WED: ReleaseWindowRule = { weekday: 'wednesday', nth: [2, 4] };
const dates = (ws: { date: string }[]) => ws.map((w) => w.date);

describe('nextReleaseWindows', () => {
  it('2nd and 4th Wednesday, including April 2026 with five Wednesdays', () => {
    const ws = nextReleaseWindows(new Date('2026-03-01T00:00:00Z'), [SECOND_FOURTH_WED], BERLIN, 6);
    expect(dates(ws)).toEqual(['2026-03-11', '2026-03-25', '2026-04-08', '2026-04-22', '2026-05-13', '2026-05-27']);
    expect(ws[0]?.start.toISOString()).toBe('2026-03-10T23:00:00.000Z'); // 00:00 CET
    expect(ws[2]?.start.toISOString()).toBe('2026-04-07T22:00:00.000Z'); // 00:00 CEST
  });

  it('-1 is the last, 5 exists only in some months', () => {
    expect(dates(nextReleaseWindows(new Date('2026-03-01T00:00:00Z'), [{ weekday: 'wednesday', nth: [-1] }], UTC, 3))).toEqual(['2026-03-25', '2026-04-29', '2026-05-27']);
    expect(dates(nextReleaseWindows(new Date('2026-03-01T00:00:00Z'), [{ weekday: 'wednesday', nth: [5] }], UTC, 2))).toEqual(['2026-04-29', '2026-07-29']);
  });

  it('crosses the year end', () => {
    expect(dates(nextReleaseWindows(new Date('2026-12-10T00:00:00Z'), [SECOND_FOURTH_WED], UTC, 3))).toEqual(['2026-12-23', '2027-01-13', '2027-01-27']);
  });

  it('counts a window later on from\'s own day, but not one that has started', () => {
    const rule: ReleaseWindowRule = { ...SECOND_FOURTH_WED, time: '10:00' };
    // 2026-03-11 10:00 CET = 09:00Z
    expect(dates(nextReleaseWindows(new Date('2026-03-11T08:00:00Z'), [rule], BERLIN, 1))).toEqual(['2026-03-11']);
    expect(dates(nextReleaseWindows(new Date('2026-03-11T09:00:00Z'), [rule], BERLIN, 1))).toEqual(['2026-03-25']);
    expect(dates(nextReleaseWindows(new Date('2026-03-11T10:00:00Z'), [rule], BERLIN, 1))).toEqual(['2026-03-25']);
    expect(nextReleaseWindows(new Date('2026-03-11T08:00:00Z'), [rule], BERLIN, 1)[0]?.start.toISOString()).toBe('2026-03-11T09:00:00.000Z');
  });

  it('merges, sorts and deduplicates several rules', () => {
    const rules: ReleaseWindowRule[] = [SECOND_FOURTH_WED, { weekday: 'wednesday', nth: [2] }, { weekday: 'monday', nth: [1] }];
    expect(dates(nextReleaseWindows(new Date('2026-03-01T00:00:00Z'), rules, UTC, 5))).toEqual(['2026-03-02', '2026-03-11', '2026-03-25', '2026-04-06', '2026-04-08']);
  });

  it('returns nothing for no rules or count 0', () => {
    expect(nextReleaseWindows(new Date('2026-03-01T00:00:00Z'), [], UTC, 3)).toEqual([]);
    expect(nextReleaseWindows(new Date('2026-03-01T00:00:00Z'), [SECOND_FOURTH_WED], UTC, 0)).toEqual([]);
  });
});

describe('windowFor', () => {
  it('is the first window at or after the date', () => {
    const rule: ReleaseWindowRule = { ...SECOND_FOURTH_WED, time: '10:00' };
    expect(windowFor(new Date('2026-03-11T09:00:00Z'), [rule], BERLIN)?.date).toBe('2026-03-11');
    expect(windowFor(new Date('2026-03-11T09:00:01Z'), [rule], BERLIN)?.date).toBe('2026-03-25');
    expect(windowFor(new Date('2026-03-26T00:00:00Z'), [rule], BERLIN)?.date).toBe('2026-04-08');
    expect(windowFor(new Date('2026-03-26T00:00:00Z'), [], BERLIN)).toBeNull();
  });
});

describe('checkReleaseWindowRule', () => {
  it.each<[ReleaseWindowRule, RegExp | null]>([
    [SECOND_FOURTH_WED, null],
    [{ weekday: 'friday', nth: [-1], time: '14:30' }, null],
    [{ weekday: 'friday', nth: [] }, /nth is empty/],
    [{ weekday: 'friday', nth: [0, 6] }, /nth 0, 6/],
    [{ weekday: 'friday', nth: [1], time: '25:00' }, /HH:MM/],
    [{ weekday: 'funday' as 'friday', nth: [1] }, /not a weekday/],
  ])('%j', (rule, want) => {
    const got = checkReleaseWindowRule(rule);
    if (want === null) expect(got).toBeNull();
    else expect(got).toMatch(want);
  });
});
