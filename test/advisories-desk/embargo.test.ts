import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { embargoEndsAt, embargoStatus, missingFixes, publishPlan } from '../../src/domain/advisories/embargo.js';
import { advisorySchema, type Advisory } from '../../src/domain/advisories/schema.js';
import { parsePolicy } from '../../src/domain/policy/parse-policy.js';
import type { Policy } from '../../src/domain/policy/schema.js';

const load = (file: string): Policy => {
  const r = parsePolicy(readFileSync(`examples/policies/${file}`, 'utf8'), file);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
};
// UTC; publish: next-security-window; windows on the 2nd and 4th Wednesday (2026-11-25, 2026-12-09); 90 days, warn 14 before
const mautic = load('mautic-docker.yaml');
const withPolicy = (publish: Policy['disclosure']['publish'], over: Partial<Policy['disclosure']> = {}): Policy => ({ ...mautic, disclosure: { ...mautic.disclosure, publish, ...over } });
const t = (s: string) => new Date(s);
const MAUTIC = 'docker.io/mautic/mautic';
const d = (c: string) => `sha256:${c.repeat(64)}`;

const advisory = (images: unknown[]): Advisory =>
  advisorySchema.parse({ id: 'CVDESK-2026-0001', title: 'T', summary: 'S', details: 'D', severity: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N' }, images });

describe('missingFixes: a fixed build in the inventory for each affected repository', () => {
  const known = new Map([[MAUTIC, new Set([d('a'), d('b')])]]);
  it('a fixed image whose digest the inventory holds is enough', () => {
    expect(missingFixes(mautic, advisory([{ name: MAUTIC, affected: { tags: ['5.2.1'] }, fixed: [{ tag: '5.2.2', digest: d('a') }] }]), known)).toEqual([]);
  });
  it('no fixed tag, or a fixed digest the inventory does not hold, is missing; each repository is named', () => {
    const none = missingFixes(mautic, advisory([{ name: MAUTIC, affected: { tags: ['5.2.1'] } }]), known);
    expect(none).toEqual([{ image: MAUTIC, reason: `${MAUTIC} names no fixed tag` }]);
    const unknown = missingFixes(mautic, advisory([{ name: MAUTIC, affected: { tags: ['5.2.1'] }, fixed: [{ tag: '5.2.2', digest: d('c') }] }]), known);
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.reason).toContain('holds none of the fixed images (5.2.2@sha256:cccccccccccc…)');
    expect(missingFixes(mautic, advisory([{ name: MAUTIC, affected: { tags: ['5.2.1'] }, fixed: [{ tag: '5.2.2', digest: d('a') }] }]), new Map())).toHaveLength(1);
  });
  it('a repository that is only "not affected" needs no fix; a policy without privateUntilFixed needs none at all', () => {
    const na = advisory([{ name: MAUTIC, notAffected: [{ variants: ['fpm'], justification: 'component_not_present', statement: 'No web server.' }] }]);
    expect(missingFixes(mautic, na, new Map())).toEqual([]);
    const open = withPolicy('immediately', { privateUntilFixed: false });
    expect(missingFixes(open, advisory([{ name: MAUTIC, affected: { tags: ['5.2.1'] } }]), new Map())).toEqual([]);
  });
});

describe('publishPlan: when the policy publishes', () => {
  const fixedReport = { fixedAt: t('2026-11-12T10:00:00Z'), outOfCycle: false, shippedAt: null };
  it('immediately: now', () => {
    const p = publishPlan(withPolicy('immediately'), [fixedReport], t('2026-11-16T10:00:00Z'));
    expect(p).toMatchObject({ at: t('2026-11-16T10:00:00Z'), basis: 'immediately', window: null });
  });
  it('next-security-window: the next window starts it; on a window day, at once', () => {
    const p = publishPlan(mautic, [fixedReport], t('2026-11-16T10:00:00Z'));
    expect(p).toMatchObject({ at: t('2026-11-25T00:00:00Z'), basis: 'window', window: { date: '2026-11-25' } });
    expect(p.explanation).toContain('2026-11-25');
    const onTheDay = publishPlan(mautic, [fixedReport], t('2026-11-25T09:30:00Z'));
    expect(onTheDay).toMatchObject({ at: t('2026-11-25T09:30:00Z'), basis: 'window', window: { date: '2026-11-25' } });
    expect(publishPlan(mautic, [], t('2026-11-26T00:00:01Z')).window?.date).toBe('2026-12-09');
  });
  it('next-security-window with a report released out of cycle: now', () => {
    const p = publishPlan(mautic, [fixedReport, { ...fixedReport, outOfCycle: true }], t('2026-11-16T10:00:00Z'));
    expect(p).toMatchObject({ at: t('2026-11-16T10:00:00Z'), basis: 'out-of-cycle' });
  });
  it('with-release: the latest window the unshipped fixes are planned for, else now', () => {
    const policy = withPolicy('with-release');
    const later = { fixedAt: t('2026-11-26T10:00:00Z'), outOfCycle: false, shippedAt: null };
    expect(publishPlan(policy, [fixedReport, later], t('2026-11-27T10:00:00Z'))).toMatchObject({ at: t('2026-12-09T00:00:00Z'), basis: 'with-release', window: { date: '2026-12-09' } });
    const shipped = { ...fixedReport, shippedAt: t('2026-11-25T08:00:00Z') };
    expect(publishPlan(policy, [shipped], t('2026-11-27T10:00:00Z'))).toMatchObject({ at: t('2026-11-27T10:00:00Z'), basis: 'with-release', window: null });
    expect(publishPlan(policy, [{ ...fixedReport, outOfCycle: true }], t('2026-11-16T10:00:00Z'))).toMatchObject({ at: t('2026-11-16T10:00:00Z'), window: null });
  });
});

describe('embargoStatus: the maximum embargo from the earliest report', () => {
  const received = t('2026-09-01T12:00:00Z');
  it('ends maxEmbargoDays after the first report arrived', () => {
    expect(embargoEndsAt(mautic, received)).toEqual(t('2026-11-30T12:00:00Z'));
  });
  it('runs, then warns warnBeforeDays ahead, then is over', () => {
    expect(embargoStatus(mautic, received, t('2026-11-16T11:59:59Z'))).toMatchObject({ kind: 'running', warnFrom: t('2026-11-16T12:00:00Z') });
    expect(embargoStatus(mautic, received, t('2026-11-16T12:00:00Z'))).toMatchObject({ kind: 'warn', daysLeft: 14 });
    expect(embargoStatus(mautic, received, t('2026-11-30T11:00:00Z'))).toMatchObject({ kind: 'warn', daysLeft: 1 });
    expect(embargoStatus(mautic, received, t('2026-11-30T12:00:00Z'))).toMatchObject({ kind: 'over', daysOver: 0 });
    expect(embargoStatus(mautic, received, t('2026-12-03T12:00:00Z'))).toMatchObject({ kind: 'over', daysOver: 3 });
  });
  it('no linked report: no embargo to count', () => {
    expect(embargoStatus(mautic, null, t('2026-12-03T12:00:00Z'))).toEqual({ kind: 'none' });
  });
});
