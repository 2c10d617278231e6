import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/parse-policy.js';
import type { Policy } from '../policy/schema.js';
import { REPORT_STATES } from './states.js';
import { nextDue, reportClocks, type ReportClockInput } from './sla-status.js';

const load = (file: string): Policy => {
  const r = parsePolicy(readFileSync(`examples/policies/${file}`, 'utf8'), file);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
};
const mautic = load('mautic-docker.yaml'); // UTC; ack 24 h, triage 7 business days, fix 21 business days from triaged, patch next window
const t = (s: string) => new Date(s);

const base: ReportClockInput = {
  state: 'received',
  receivedAt: t('2026-11-23T10:00:00Z'), // a Monday
  acknowledgedAt: null,
  triagedAt: null,
  fixedAt: null,
  disclosedAt: null,
  severity: null,
};
const byStage = (c: ReturnType<typeof reportClocks>) => Object.fromEntries(c.map((x) => [x.stage, x]));

describe('reportClocks', () => {
  it('plans every stage of a new report, later stages from the earlier deadlines', () => {
    const c = byStage(reportClocks(mautic, base, [], t('2026-11-23T11:00:00Z')));
    expect(c.acknowledge!.deadline?.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(c.triage!.deadline?.toISOString()).toBe('2026-12-02T10:00:00.000Z');
    expect(c.fix!.deadline?.toISOString()).toBe('2026-12-31T10:00:00.000Z'); // 21 business days after Dec 2
    expect(c.acknowledge!.status).toBe('due_soon'); // 23 h left, and the policy warns 24 h before
    expect(c.triage!.status).toBe('running');
    expect(c.patch!.deadline).not.toBeNull();
  });

  it('due soon within the policy window, overdue after the deadline, met or missed once reached', () => {
    expect(byStage(reportClocks(mautic, base, [], t('2026-11-24T09:00:00Z'))).acknowledge!.status).toBe('due_soon');
    expect(byStage(reportClocks(mautic, base, [], t('2026-11-24T10:00:01Z'))).acknowledge!.status).toBe('overdue');
    const onTime = byStage(reportClocks(mautic, { ...base, state: 'acknowledged', acknowledgedAt: t('2026-11-24T09:59:00Z') }, [], t('2026-11-30T00:00:00Z')));
    expect(onTime.acknowledge!.status).toBe('met');
    const late = byStage(reportClocks(mautic, { ...base, state: 'acknowledged', acknowledgedAt: t('2026-11-24T10:01:00Z') }, [], t('2026-11-30T00:00:00Z')));
    expect(late.acknowledge!.status).toBe('missed');
  });

  it('waiting on the reporter pauses triage and moves its deadline by the business time waited', () => {
    const waiting = { ...base, state: 'waiting_on_reporter' as const, acknowledgedAt: t('2026-11-23T12:00:00Z') };
    // paused from Tuesday 10:00 to Thursday 10:00: two business days
    const pauses = [{ from: t('2026-11-24T10:00:00Z'), to: t('2026-11-26T10:00:00Z') }];
    const c = byStage(reportClocks(mautic, { ...waiting, state: 'acknowledged' }, pauses, t('2026-11-27T00:00:00Z')));
    expect(c.triage!.deadline?.toISOString()).toBe('2026-12-04T10:00:00.000Z');
    const open = byStage(reportClocks(mautic, waiting, [{ from: t('2026-11-24T10:00:00Z'), to: null }], t('2026-12-10T00:00:00Z')));
    expect(open.triage!.status).toBe('paused');
    expect(open.triage!.deadline!.getTime()).toBeGreaterThan(t('2026-12-10T00:00:00Z').getTime());
  });

  it('a per-severity target applies; a rejected report needs no fix', () => {
    const policy: Policy = { ...mautic, sla: { ...mautic.sla, fix: { ...mautic.sla.fix!, bySeverity: { critical: { amount: 2, unit: 'business_days' } } } } };
    const triaged = { ...base, state: 'accepted' as const, acknowledgedAt: t('2026-11-23T11:00:00Z'), triagedAt: t('2026-11-24T10:00:00Z') };
    expect(byStage(reportClocks(policy, { ...triaged, severity: 'critical' }, [], t('2026-11-24T11:00:00Z'))).fix!.deadline?.toISOString()).toBe('2026-11-26T10:00:00.000Z');
    const rejected = byStage(reportClocks(policy, { ...triaged, state: 'rejected' }, [], t('2026-11-24T11:00:00Z')));
    expect(rejected.fix!.status).toBe('not_applicable');
    expect(rejected.patch!.status).toBe('not_applicable');
  });

  it('nextDue picks the overdue or earliest open clock, and nothing when all are done', () => {
    expect(nextDue(reportClocks(mautic, base, [], t('2026-11-23T11:00:00Z')))?.stage).toBe('acknowledge');
    const done = { ...base, state: 'disclosed' as const, acknowledgedAt: t('2026-11-23T11:00:00Z'), triagedAt: t('2026-11-24T10:00:00Z'), fixedAt: t('2026-11-25T10:00:00Z'), disclosedAt: t('2026-11-25T11:00:00Z') };
    expect(nextDue(reportClocks(mautic, done, [], t('2026-12-01T00:00:00Z')))).toBeNull();
  });

  it('gives the same clocks when asked again as when asked the first time, whatever changed in between', () => {
    // reportClocks remembers deadlines per policy object; a fresh copy of the policy has nothing remembered
    const policy: Policy = { ...mautic, sla: { ...mautic.sla, fix: { ...mautic.sla.fix!, bySeverity: { critical: { amount: 2, unit: 'business_days' }, high: { amount: 5, unit: 'calendar_days' } } } } };
    // few distinct instants, so that reports share most of their stamps and differ in one
    const instant = fc.constantFrom('2026-11-20T09:00:00Z', '2026-11-23T10:00:00Z', '2026-11-24T16:30:00Z', '2026-12-01T08:00:00Z').map(t);
    const maybe = fc.option(instant, { nil: null });
    const pause = fc.record({ from: instant, to: maybe });
    const report = fc.record({
      input: fc.record({
        state: fc.constantFrom(...REPORT_STATES),
        receivedAt: instant,
        acknowledgedAt: maybe,
        triagedAt: maybe,
        fixedAt: maybe,
        disclosedAt: maybe,
        severity: fc.constantFrom(null, 'none', 'low', 'high', 'critical'),
      }),
      pauses: fc.array(pause, { maxLength: 2 }),
      // the same report asked at several moments, as inbox requests do
      nows: fc.array(instant, { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(report, { minLength: 2, maxLength: 12 }), (reports) => {
        const remembering = { ...policy };
        for (const r of reports) for (const now of r.nows) expect(reportClocks(remembering, r.input, r.pauses, now)).toEqual(reportClocks({ ...policy }, r.input, r.pauses, now));
      }),
      { numRuns: 300 },
    );
  });
});
