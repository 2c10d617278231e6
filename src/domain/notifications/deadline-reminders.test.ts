import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/parse-policy.js';
import type { Policy } from '../policy/schema.js';
import type { ReportClockInput } from '../reports/sla-status.js';
import { deadlineReminders } from './deadline-reminders.js';

const HOUR = 3_600_000;
const RECEIVED = new Date('2026-11-23T10:00:00Z'); // Monday

function policy(notifications: string, sla = 'acknowledge: 24 hours\n  triage: 10 business days\n  fix:\n    target: 20 calendar days\n    from: triaged'): Policy {
  const r = parsePolicy(
    `version: 1
project: { name: P, url: https://example.org/ }
contacts: [{ type: email, address: security@example.org }]
scope: { inScope: [everything] }
sla:
  ${sla}
calendar: { timeZone: Europe/Berlin }
securityTxt: { canonical: [https://example.org/.well-known/security.txt] }
${notifications}`,
    'p.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
}

const report = (over: Partial<ReportClockInput> = {}): ReportClockInput => ({
  state: 'received',
  receivedAt: RECEIVED,
  acknowledgedAt: null,
  triagedAt: null,
  fixedAt: null,
  disclosedAt: null,
  severity: null,
  ...over,
});
const at = (hours: number) => new Date(RECEIVED.getTime() + hours * HOUR);
const kinds = (p: Policy, r: ReportClockInput, now: Date) => deadlineReminders(p, r, [], now).map((d) => `${d.kind} ${d.stage} ${d.deadline.toISOString()}`);

describe('deadline reminders', () => {
  it('defaults to the last quarter of each stage; then overdue', () => {
    const p = policy('');
    expect(kinds(p, report(), at(17.99))).toEqual([]);
    expect(kinds(p, report(), at(18))).toEqual(['due-soon acknowledge 2026-11-24T10:00:00.000Z']);
    expect(kinds(p, report(), at(24))).toEqual(['due-soon acknowledge 2026-11-24T10:00:00.000Z']);
    expect(kinds(p, report(), at(24.01))).toEqual(['overdue acknowledge 2026-11-24T10:00:00.000Z']);
  });

  it('a duration before the deadline, per stage, counted in the stage’s calendar (business days skip the weekend)', () => {
    const p = policy('notifications:\n  dueSoon: 10%\n  stages:\n    triage: 2 business days\n');
    const acked = report({ state: 'acknowledged', acknowledgedAt: at(1) });
    // triage: 10 business days from Monday 23 Nov, 11:00 in Berlin = Monday 7 Dec, 11:00 (10:00Z)
    expect(kinds(p, acked, new Date('2026-12-03T09:59:00Z'))).toEqual([]);
    // Thursday 3 Dec 11:00 + 2 business days = Monday 7 Dec 11:00: due soon from then
    expect(kinds(p, acked, new Date('2026-12-03T10:00:00Z'))).toEqual(['due-soon triage 2026-12-07T10:00:00.000Z']);
    // 10% of a 24-hour stage: the acknowledgement is due soon in its last 2.4 hours
    expect(kinds(p, report(), at(21.5))).toEqual([]);
    expect(kinds(p, report(), at(21.6))).toEqual(['due-soon acknowledge 2026-11-24T10:00:00.000Z']);
  });

  it('a stage counts from its anchor: no reminder of a fix before triage is done, however late triage is', () => {
    const p = policy('');
    const late = report({ state: 'acknowledged', acknowledgedAt: at(1) });
    expect(kinds(p, late, at(60 * 24)).map((k) => k.split(' ').slice(0, 2).join(' '))).toEqual(['overdue triage']);
    const triaged = report({ state: 'accepted', acknowledgedAt: at(1), triagedAt: at(48) });
    // fix: 20 calendar days from triage; the last quarter starts 15 days in
    expect(kinds(p, triaged, at(48 + 15 * 24 - 1))).toEqual([]);
    expect(kinds(p, triaged, at(48 + 15 * 24))).toEqual(['due-soon fix 2026-12-15T10:00:00.000Z']);
  });

  it('no reminder while the triage clock is paused, for a met stage, or for a closed report', () => {
    const p = policy('');
    const waiting = report({ state: 'waiting_on_reporter', acknowledgedAt: at(1) });
    expect(deadlineReminders(p, waiting, [{ from: at(2), to: null }], at(24 * 20))).toEqual([]);
    expect(kinds(p, report({ state: 'acknowledged', acknowledgedAt: at(1) }), at(23))).toEqual([]);
    expect(kinds(p, report({ state: 'rejected', acknowledgedAt: at(1), triagedAt: at(2) }), at(24 * 60))).toEqual([]);
  });

  it('the policy checks its thresholds and digest time', () => {
    const bad = parsePolicy(
      `version: 1
project: { name: P, url: https://example.org/ }
contacts: [{ type: email, address: security@example.org }]
scope: { inScope: [everything] }
sla: { acknowledge: 24 hours }
securityTxt: { canonical: [https://example.org/.well-known/security.txt] }
notifications:
  dueSoon: 0%
  stages: { review: 4 hours, fix: soon }
  digest: "every morning"
`,
      'p.yaml',
    );
    expect(bad.ok ? [] : bad.problems.map((x) => `${x.field}: ${x.message}`)).toEqual([
      'notifications.dueSoon: a share of the stage is between 1% and 99% (got "0%")',
      expect.stringMatching(/^notifications\.stages\.review: /),
      'notifications.stages.fix: "soon" is neither a share ("25%") nor a duration ("24 hours", "2 business days")',
      expect.stringMatching(/^notifications\.digest: "every morning" has 2 fields/),
    ]);
    expect(policy('notifications:\n  digest: "off"\n').notifications).toEqual({ dueSoon: { share: 0.25 }, stages: {}, digest: null });
  });
});
