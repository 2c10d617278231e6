import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/parse-policy.js';
import type { Policy } from '../policy/schema.js';
import { reportClocks } from '../reports/sla-status.js';
import { decideBackInCycle, decideOutOfCycle } from './out-of-cycle.js';
import { decideShipment, groupByRelease, plannedRelease, shippableWindows, type PlannedRelease } from './release-plan.js';
import { windowToRemindOf } from './reminders.js';

const load = (file: string): Policy => {
  const r = parsePolicy(readFileSync(`examples/policies/${file}`, 'utf8'), file);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
};
// UTC; windows on the 2nd and 4th Wednesday: 2026-11-11, 2026-11-25, 2026-12-09, 2026-12-23
const mautic = load('mautic-docker.yaml');
// Europe/Berlin with German holidays, no windows: "with the next release"
const ozg = load('ozg-security-scanner.yaml');
const berlin: Policy = { ...mautic, calendar: { ...mautic.calendar, timeZone: 'Europe/Berlin' } };
const t = (s: string) => new Date(s);

const windowOf = (p: PlannedRelease) => (p.kind === 'window' ? { date: p.window.date, due: p.dueWindow.date, carriedOver: p.carriedOver } : p.kind);

describe('plannedRelease: the window a fixed report goes to', () => {
  it('the next 2nd or 4th Wednesday after the fix', () => {
    expect(windowOf(plannedRelease(mautic, { fixedAt: t('2026-11-12T10:00:00Z'), outOfCycle: false }, t('2026-11-12T12:00:00Z')))).toEqual({ date: '2026-11-25', due: '2026-11-25', carriedOver: false });
    expect(windowOf(plannedRelease(mautic, { fixedAt: t('2026-11-02T10:00:00Z'), outOfCycle: false }, t('2026-11-02T12:00:00Z')))).toEqual({ date: '2026-11-11', due: '2026-11-11', carriedOver: false });
    // across the year end: after the 4th Wednesday of December comes the 2nd of January
    expect(windowOf(plannedRelease(mautic, { fixedAt: t('2026-12-23T08:00:00Z'), outOfCycle: false }, t('2026-12-23T09:00:00Z')))).toEqual({ date: '2027-01-13', due: '2027-01-13', carriedOver: false });
  });

  it('a report fixed on a window day: at the window\'s start it makes that window, after it the next one (as the SLA patch clock says)', () => {
    const atStart = plannedRelease(mautic, { fixedAt: t('2026-11-11T00:00:00Z'), outOfCycle: false }, t('2026-11-11T00:00:00Z'));
    expect(windowOf(atStart)).toEqual({ date: '2026-11-11', due: '2026-11-11', carriedOver: false });
    const later = plannedRelease(mautic, { fixedAt: t('2026-11-11T10:00:00Z'), outOfCycle: false }, t('2026-11-11T10:00:00Z'));
    expect(windowOf(later)).toEqual({ date: '2026-11-25', due: '2026-11-25', carriedOver: false });
    const patch = reportClocks(
      mautic,
      { state: 'fixed', receivedAt: t('2026-11-02T10:00:00Z'), acknowledgedAt: t('2026-11-02T11:00:00Z'), triagedAt: t('2026-11-03T10:00:00Z'), fixedAt: t('2026-11-11T10:00:00Z'), disclosedAt: null, severity: 'high' },
      [],
      t('2026-11-11T10:00:00Z'),
    ).find((c) => c.stage === 'patch');
    expect(later.kind === 'window' && later.dueWindow.start.getTime()).toBe(patch?.deadline?.getTime());
  });

  it('windows are local to the policy zone: 00:30 on a Berlin window day is after that window began', () => {
    // 2026-11-11 00:00 CET = 2026-11-10T23:00Z
    expect(windowOf(plannedRelease(berlin, { fixedAt: t('2026-11-10T22:59:00Z'), outOfCycle: false }, t('2026-11-10T22:59:00Z')))).toMatchObject({ date: '2026-11-11' });
    expect(windowOf(plannedRelease(berlin, { fixedAt: t('2026-11-10T23:30:00Z'), outOfCycle: false }, t('2026-11-10T23:30:00Z')))).toMatchObject({ date: '2026-11-25' });
  });

  it('a window stays current through its day; a report not shipped by then is carried over to the next window', () => {
    const facts = { fixedAt: t('2026-11-20T10:00:00Z'), outOfCycle: false };
    expect(windowOf(plannedRelease(mautic, facts, t('2026-11-25T23:59:00Z')))).toEqual({ date: '2026-11-25', due: '2026-11-25', carriedOver: false });
    expect(windowOf(plannedRelease(mautic, facts, t('2026-11-26T00:00:00Z')))).toEqual({ date: '2026-12-09', due: '2026-11-25', carriedOver: true });
    expect(windowOf(plannedRelease(mautic, facts, t('2026-12-10T09:00:00Z')))).toEqual({ date: '2026-12-23', due: '2026-11-25', carriedOver: true });
  });

  it('out of cycle, and "with the next release" for a policy without windows', () => {
    expect(plannedRelease(mautic, { fixedAt: t('2026-11-12T10:00:00Z'), outOfCycle: true }, t('2026-11-12T12:00:00Z'))).toEqual({ kind: 'out_of_cycle' });
    expect(plannedRelease(ozg, { fixedAt: t('2026-11-12T10:00:00Z'), outOfCycle: false }, t('2026-11-12T12:00:00Z'))).toEqual({ kind: 'next_release' });
    expect(plannedRelease(ozg, { fixedAt: t('2026-11-12T10:00:00Z'), outOfCycle: true }, t('2026-11-12T12:00:00Z'))).toEqual({ kind: 'out_of_cycle' });
  });

  it('groups: out of cycle first, then each window by date, with its reports', () => {
    const now = t('2026-11-12T12:00:00Z');
    const reports = [
      { n: 1, fixedAt: t('2026-11-27T10:00:00Z'), outOfCycle: false }, // fixed in the future of "now": still planned by its fix time
      { n: 2, fixedAt: t('2026-11-12T09:00:00Z'), outOfCycle: false },
      { n: 3, fixedAt: t('2026-11-12T08:00:00Z'), outOfCycle: true },
      { n: 4, fixedAt: t('2026-11-03T10:00:00Z'), outOfCycle: false }, // due 11-11, carried over to 11-25
    ];
    const groups = groupByRelease(mautic, reports, (r) => r, now);
    expect(groups.map((g) => [g.key, g.items.map((i) => i.item.n)])).toEqual([
      ['out-of-cycle', [3]],
      ['2026-11-25', [2, 4]],
      ['2026-12-09', [1]],
    ]);
    expect(groups[1]!.window?.start.toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(groupByRelease(ozg, reports.slice(0, 2), (r) => r, now).map((g) => g.key)).toEqual(['next-release']);
  });
});

describe('out-of-cycle decisions', () => {
  it('the policy\'s severities qualify; others need an urgent mark; always a reason', () => {
    expect(decideOutOfCycle(mautic, { severity: 'critical', urgent: false, reason: ' RCE in the entrypoint ' })).toEqual({ ok: true, basis: 'severity', reason: 'RCE in the entrypoint' });
    expect(decideOutOfCycle(mautic, { severity: 'high', urgent: true, reason: 'exploited in the wild' })).toEqual({ ok: true, basis: 'urgent', reason: 'exploited in the wild' });
    const high = decideOutOfCycle(mautic, { severity: 'high', urgent: false, reason: 'soon please' });
    expect(high).toEqual({ ok: false, field: 'urgent', reason: 'a high report stays in the windows unless it is marked urgent (the policy releases critical reports out of cycle)' });
    expect(decideOutOfCycle(mautic, { severity: null, urgent: false, reason: 'x' })).toMatchObject({ ok: false, field: 'urgent', reason: expect.stringContaining('an unrated report') });
    expect(decideOutOfCycle(mautic, { severity: 'critical', urgent: true, reason: '   ' })).toMatchObject({ ok: false, field: 'reason' });
    expect(decideOutOfCycle(mautic, { severity: 'critical', urgent: false, reason: 'x'.repeat(2001) })).toMatchObject({ ok: false, field: 'reason' });
    // a policy without an out-of-cycle rule: only an urgent mark moves a report
    expect(decideOutOfCycle(ozg, { severity: 'critical', urgent: false, reason: 'x' })).toMatchObject({ ok: false, reason: expect.stringContaining('names no severity') });
    expect(decideOutOfCycle(ozg, { severity: 'critical', urgent: true, reason: 'x' })).toMatchObject({ ok: true, basis: 'urgent' });
    expect(decideBackInCycle({ reason: '' })).toMatchObject({ ok: false, field: 'reason' });
    expect(decideBackInCycle({ reason: 'fix needs the 6.0.1 base image' })).toEqual({ ok: true, reason: 'fix needs the 6.0.1 base image' });
  });
});

describe('recording a shipment', () => {
  const facts = { fixedAt: t('2026-11-11T10:00:00Z'), outOfCycle: false };
  const now = t('2026-11-26T09:00:00Z');

  it('offers the windows from the fix day to today, newest first (a fix on a window day may still go out that day)', () => {
    expect(shippableWindows(mautic, facts.fixedAt, now).map((w) => w.date)).toEqual(['2026-11-25', '2026-11-11']);
    expect(shippableWindows(mautic, t('2026-11-12T10:00:00Z'), t('2026-11-24T10:00:00Z'))).toEqual([]);
    expect(shippableWindows(mautic, t('2024-01-01T10:00:00Z'), now)).toHaveLength(6);
    expect(shippableWindows(ozg, facts.fixedAt, now)).toEqual([]);
  });

  it('a window date between the fix and today; out of cycle on any such day; a policy without windows on any such day', () => {
    expect(decideShipment(mautic, facts, '2026-11-25', now)).toEqual({ ok: true, shippedIn: 'window', date: '2026-11-25' });
    expect(decideShipment(mautic, facts, '2026-11-11', now)).toEqual({ ok: true, shippedIn: 'window', date: '2026-11-11' });
    expect(decideShipment(mautic, facts, '2026-11-12', now)).toEqual({
      ok: false,
      reason: '2026-11-12 is not a security window of the policy (windows since the fix: 2026-11-25, 2026-11-11); a release outside the windows is moved out of cycle first',
    });
    expect(decideShipment(mautic, facts, '2026-12-09', now)).toMatchObject({ ok: false, reason: expect.stringContaining('still to come') });
    expect(decideShipment(mautic, facts, '2026-11-04', now)).toMatchObject({ ok: false, reason: '2026-11-04 is before the report was fixed (2026-11-11)' });
    expect(decideShipment(mautic, { ...facts, outOfCycle: true }, '2026-11-12', now)).toEqual({ ok: true, shippedIn: 'out_of_cycle', date: '2026-11-12' });
    expect(decideShipment(ozg, facts, '2026-11-13', now)).toEqual({ ok: true, shippedIn: 'release', date: '2026-11-13' });
    expect(decideShipment(mautic, facts, '2026-02-30', now)).toMatchObject({ ok: false, reason: '"2026-02-30" is not a date; give it as YYYY-MM-DD' });
    expect(decideShipment(mautic, facts, 'next week', now)).toMatchObject({ ok: false });
  });
});

describe('windowToRemindOf: 2 business days before a window', () => {
  it('from the start of the 2nd business day before the window until the window day is over', () => {
    // Window: Wednesday 2026-11-25 00:00 UTC. Friday 23:59 + 2 business days = Tuesday 23:59: not yet.
    expect(windowToRemindOf(mautic, t('2026-11-20T23:59:00Z'))).toBeNull();
    // Saturday counts from Monday 00:00: + 2 business days = Wednesday 00:00, the window.
    expect(windowToRemindOf(mautic, t('2026-11-21T00:00:00Z'))?.date).toBe('2026-11-25');
    expect(windowToRemindOf(mautic, t('2026-11-24T10:00:00Z'))?.date).toBe('2026-11-25');
    expect(windowToRemindOf(mautic, t('2026-11-25T18:00:00Z'))?.date).toBe('2026-11-25');
    expect(windowToRemindOf(mautic, t('2026-11-26T00:00:00Z'))).toBeNull();
    expect(windowToRemindOf(ozg, t('2026-11-24T10:00:00Z'))).toBeNull();
    const hours: Policy = { ...mautic, releases: { ...mautic.releases, remindBeforeWindow: { amount: 6, unit: 'hours' } } };
    expect(windowToRemindOf(hours, t('2026-11-24T17:59:00Z'))).toBeNull();
    expect(windowToRemindOf(hours, t('2026-11-24T18:00:00Z'))?.date).toBe('2026-11-25');
  });
});
