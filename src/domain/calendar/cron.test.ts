import { describe, expect, it } from 'vitest';
import { checkCron, checkCronSchedule, nextCronRuns, previousCronRun } from './cron.js';
import type { CronSchedule } from './types.js';

const MONDAY_UTC: CronSchedule = { cron: '0 0 * * 1', timeZone: 'UTC' };
const MONDAY_BERLIN: CronSchedule = { cron: '0 0 * * 1', timeZone: 'Europe/Berlin' };
const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe('nextCronRuns', () => {
  it.each<[string, string, string[]]>([
    ['exactly Monday 00:00 is not included', '2026-03-02T00:00:00.000Z', ['2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z']],
    ['just before Monday 00:00', '2026-03-01T23:59:59.999Z', ['2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z']],
    ['just after Monday 00:00', '2026-03-02T00:00:00.001Z', ['2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z']],
    ['mid-week', '2026-03-04T12:00:00.000Z', ['2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z']],
    ['over the year end', '2026-12-29T00:00:00.000Z', ['2027-01-04T00:00:00.000Z', '2027-01-11T00:00:00.000Z']],
  ])('Monday 00:00 UTC, %s', (_n, from, want) => {
    expect(iso(nextCronRuns(MONDAY_UTC, new Date(from), 2))).toEqual(want);
  });

  it('Europe/Berlin keeps local midnight across DST', () => {
    expect(iso(nextCronRuns(MONDAY_BERLIN, new Date('2026-03-20T00:00:00Z'), 2))).toEqual(['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(iso(nextCronRuns(MONDAY_BERLIN, new Date('2026-10-20T00:00:00Z'), 2))).toEqual(['2026-10-25T23:00:00.000Z', '2026-11-01T23:00:00.000Z']);
  });

  it('Europe/Berlin 02:30 daily: the gap moves forward, the overlap fires once', () => {
    const s: CronSchedule = { cron: '30 2 * * *', timeZone: 'Europe/Berlin' };
    expect(iso(nextCronRuns(s, new Date('2026-03-28T12:00:00Z'), 2))).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
    expect(iso(nextCronRuns(s, new Date('2026-10-24T12:00:00Z'), 2))).toEqual(['2026-10-25T01:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('count 0 gives nothing', () => {
    expect(nextCronRuns(MONDAY_UTC, new Date('2026-03-04T00:00:00Z'), 0)).toEqual([]);
  });
});

describe('previousCronRun', () => {
  it.each<[CronSchedule, string, string | null]>([
    [MONDAY_UTC, '2026-03-02T00:00:00.000Z', '2026-02-23T00:00:00.000Z'],
    [MONDAY_UTC, '2026-03-02T00:00:00.001Z', '2026-03-02T00:00:00.000Z'],
    [MONDAY_UTC, '2026-03-04T12:00:00.000Z', '2026-03-02T00:00:00.000Z'],
    [MONDAY_BERLIN, '2026-03-30T00:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    [MONDAY_BERLIN, '2026-03-29T22:00:00.000Z', '2026-03-22T23:00:00.000Z'],
    [{ cron: '*/5 * * * *', timeZone: 'UTC' }, '2026-03-04T12:07:30.000Z', '2026-03-04T12:05:00.000Z'],
    [{ cron: '0 0 29 2 *', timeZone: 'UTC' }, '2026-03-01T00:00:00.000Z', '2024-02-29T00:00:00.000Z'],
  ])('%j before %s', (s, before, want) => {
    expect(previousCronRun(s, new Date(before))?.toISOString() ?? null).toBe(want);
  });

  it('agrees with nextCronRuns: the next run after the previous one is the first at or after `before`', () => {
    for (const before of ['2026-03-02T00:00:00Z', '2026-05-17T13:14:15Z', '2026-10-26T00:00:00Z']) {
      const prev = previousCronRun(MONDAY_BERLIN, new Date(before));
      expect(prev).not.toBeNull();
      const next = nextCronRuns(MONDAY_BERLIN, prev as Date, 1)[0] as Date;
      expect(prev!.getTime()).toBeLessThan(new Date(before).getTime());
      expect(next.getTime()).toBeGreaterThanOrEqual(new Date(before).getTime());
    }
  });
});

describe('checkCron', () => {
  it.each(['0 0 * * 1', '*/15 9-17 * * mon-fri', '@weekly', '0 3 1 * *'])('%s is valid', (e) => {
    expect(checkCron(e)).toBeNull();
  });
  it.each<[string, RegExp]>([
    ['0 0 * *', /has 4 fields/],
    ['0 0 0 * * 1', /has 6 fields/],
    ['61 * * * *', /not a valid cron expression/],
    ['0 0 31 2 *', /never fires/],
    ['', /has 0 fields/],
  ])('%j -> message', (e, re) => {
    expect(checkCron(e)).toMatch(re);
  });
  it('checks the time zone of a schedule too', () => {
    expect(checkCronSchedule({ cron: '0 0 * * 1', timeZone: 'Mars/Olympus' })).toMatch(/IANA/);
    expect(checkCronSchedule(MONDAY_UTC)).toBeNull();
  });
});
