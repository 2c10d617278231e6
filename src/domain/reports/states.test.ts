import { describe, expect, it } from 'vitest';
import { actionsFrom, decideTransition, type ReportClockFields, type ReportState } from './states.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const EARLIER = new Date('2026-11-20T10:00:00Z');
const fresh = (state: ReportState, over: Partial<ReportClockFields> = {}): ReportClockFields => ({
  state,
  acknowledgedAt: null,
  triagedAt: null,
  fixedAt: null,
  disclosedAt: null,
  ...over,
});

describe('report transitions', () => {
  it.each([
    ['received', { type: 'acknowledge' }, 'acknowledged', { acknowledgedAt: NOW }],
    ['acknowledged', { type: 'accept' }, 'accepted', { triagedAt: NOW }],
    ['received', { type: 'accept' }, 'accepted', { acknowledgedAt: NOW, triagedAt: NOW }],
    ['acknowledged', { type: 'reject', reason: 'out_of_scope' }, 'rejected', { triagedAt: NOW }],
    ['accepted', { type: 'start_fix' }, 'fixing', {}],
    ['fixing', { type: 'mark_fixed' }, 'fixed', { fixedAt: NOW }],
    ['fixed', { type: 'disclose' }, 'disclosed', { disclosedAt: NOW }],
  ] as const)('%s --%j--> %s', (state, action, to, stamps) => {
    const base = fresh(state, state === 'received' ? {} : { acknowledgedAt: EARLIER, ...(['accepted', 'fixing', 'fixed'].includes(state) ? { triagedAt: EARLIER } : {}), ...(state === 'fixed' ? { fixedAt: EARLIER } : {}) });
    const r = decideTransition(base, action, NOW);
    expect(r).toMatchObject({ ok: true, to, changes: { state: to, ...stamps } });
  });

  it('keeps the first time a clock was met', () => {
    const r = decideTransition(fresh('acknowledged', { acknowledgedAt: EARLIER }), { type: 'accept' }, NOW);
    expect(r.ok && r.changes.acknowledgedAt).toBeUndefined();
  });

  it('pauses and resumes the triage clock around waiting on the reporter', () => {
    const wait = decideTransition(fresh('acknowledged', { acknowledgedAt: EARLIER }), { type: 'request_info' }, NOW);
    expect(wait).toMatchObject({ ok: true, to: 'waiting_on_reporter', pause: 'start' });
    const back = decideTransition(fresh('waiting_on_reporter', { acknowledgedAt: EARLIER }), { type: 'reporter_replied' }, NOW);
    expect(back).toMatchObject({ ok: true, to: 'acknowledged', pause: 'end' });
  });

  it.each([
    ['received', { type: 'mark_fixed' }, 'a report that is received cannot be marked fixed'],
    ['rejected', { type: 'accept' }, 'a report that is rejected cannot be accepted'],
    ['disclosed', { type: 'reject', reason: 'invalid' }, 'a report that is disclosed cannot be rejected'],
    ['acknowledged', { type: 'reject', reason: 'duplicate' }, 'a duplicate must name the report it duplicates'],
    ['acknowledged', { type: 'disclose' }, 'a report that is acknowledged cannot be disclosed'],
  ] as const)('refuses %s --%j', (state, action, reason) => {
    expect(decideTransition(fresh(state), action, NOW)).toEqual({ ok: false, reason });
  });

  it('reopening clears the triage time so the clock runs again', () => {
    const r = decideTransition(fresh('rejected', { acknowledgedAt: EARLIER, triagedAt: EARLIER }), { type: 'reopen' }, NOW);
    expect(r).toMatchObject({ ok: true, to: 'acknowledged', changes: { triagedAt: null } });
  });

  it('offers the team only the actions a state allows', () => {
    expect(actionsFrom('received')).toEqual(['acknowledge', 'request_info', 'accept', 'reject']);
    expect(actionsFrom('fixed')).toEqual([]);
  });
});
