import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInbox } from '../../src/app/reports/list-inbox.js';
import { postTeamMessage } from '../../src/app/reports/post-team-message.js';
import { reportForTeam } from '../../src/app/reports/report-for-team.js';
import { transitionReport } from '../../src/app/reports/transition-report.js';
import { updateReportDetails } from '../../src/app/reports/update-report.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertReport, insertUser } from '../support/fixtures.js';

const t = (s: string) => new Date(s);

describe('the team works a report', () => {
  let desk: TestDesk;
  let member: { id: string; name: string };
  beforeAll(async () => {
    desk = await startTestDesk({ now: t('2026-11-23T12:00:00Z') });
    member = await insertUser(desk.ctx.db, { name: 'Max Member' });
  });
  afterAll(() => desk?.close());

  it('acknowledge → request info (pause) → reporter replies (pause ends) → accept → fixing → fixed', async () => {
    const { id } = await insertReport(desk.ctx.db);
    const step = (type: 'acknowledge' | 'request_info' | 'reporter_replied' | 'accept' | 'start_fix' | 'mark_fixed', at: string) => {
      desk.setNow(t(at));
      return transitionReport(desk.ctx, { reportId: id, actorId: member.id, action: { type } });
    };
    expect(await step('acknowledge', '2026-11-23T13:00:00Z')).toEqual({ ok: true, from: 'received', to: 'acknowledged' });
    expect(await step('request_info', '2026-11-24T10:00:00Z')).toMatchObject({ ok: true, to: 'waiting_on_reporter' });
    expect(await step('reporter_replied', '2026-11-26T10:00:00Z')).toMatchObject({ ok: true, to: 'acknowledged' });
    expect(await step('accept', '2026-11-27T10:00:00Z')).toMatchObject({ ok: true, to: 'accepted' });
    expect(await step('start_fix', '2026-11-27T11:00:00Z')).toMatchObject({ ok: true, to: 'fixing' });
    expect(await step('mark_fixed', '2026-12-01T11:00:00Z')).toMatchObject({ ok: true, to: 'fixed' });

    const view = await reportForTeam(desk.ctx, id, member.id);
    expect(view.report).toMatchObject({ state: 'fixed' });
    expect(view.report.acknowledged_at?.toISOString()).toBe('2026-11-23T13:00:00.000Z');
    expect(view.report.triaged_at?.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    const clocks = Object.fromEntries(view.clocks.map((c) => [c.stage, c]));
    expect(clocks.acknowledge!.status).toBe('met');
    // triage: 7 business days from Mon 23 Nov 10:00 = Wed 2 Dec, plus the 2 business days waited = Fri 4 Dec
    expect(clocks.triage!.deadline?.toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(clocks.triage!.status).toBe('met');
    expect(view.events.map((e) => (e.data as { to: string }).to)).toEqual(['acknowledged', 'waiting_on_reporter', 'acknowledged', 'accepted', 'fixing', 'fixed']);
    expect(view.events.every((e) => e.actorName === 'Max Member')).toBe(true);
    expect(view.report).not.toHaveProperty('token_hash');
  });

  it('an illegal transition is refused and changes nothing', async () => {
    const { id } = await insertReport(desk.ctx.db);
    const r = await transitionReport(desk.ctx, { reportId: id, actorId: member.id, action: { type: 'mark_fixed' } });
    expect(r).toEqual({ ok: false, reason: 'a report that is received cannot be marked fixed' });
    const row = await desk.ctx.db.selectFrom('reports').select(['state']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.state).toBe('received');
    expect(await desk.ctx.db.selectFrom('report_events').select('id').where('report_id', '=', id).execute()).toEqual([]);
  });

  it('rejecting as upstream tells the reporter the upstream contact from the policy', async () => {
    const { id } = await insertReport(desk.ctx.db);
    const area = 'Mautic core application vulnerabilities';
    expect(await transitionReport(desk.ctx, { reportId: id, actorId: member.id, action: { type: 'reject', reason: 'upstream' }, scopeArea: 'Nope' })).toEqual({
      ok: false,
      reason: '"Nope" is not an out-of-scope area of the policy',
    });
    expect(await transitionReport(desk.ctx, { reportId: id, actorId: member.id, action: { type: 'reject', reason: 'upstream' }, scopeArea: area })).toMatchObject({ ok: true, to: 'rejected' });
    const view = await reportForTeam(desk.ctx, id, member.id);
    expect(view.report).toMatchObject({ rejection_reason: 'upstream', scope_area: area });
    const notice = view.messages.find((m) => m.author_kind === 'system');
    expect(notice?.internal).toBe(false);
    expect(notice?.body).toContain('Mautic Security Team: https://github.com/mautic/mautic/security/advisories/new');
    // out-of-scope areas without an upstream cannot be "redirected upstream"
    const other = await insertReport(desk.ctx.db);
    expect(await transitionReport(desk.ctx, { reportId: other.id, actorId: member.id, action: { type: 'reject', reason: 'upstream' }, scopeArea: 'Individual user deployment configurations' })).toMatchObject({ ok: false });
  });

  it('a duplicate names an existing report by number', async () => {
    const first = await insertReport(desk.ctx.db);
    const second = await insertReport(desk.ctx.db);
    expect(await transitionReport(desk.ctx, { reportId: second.id, actorId: member.id, action: { type: 'reject', reason: 'duplicate', duplicateOf: '#99999' } })).toMatchObject({ ok: false });
    expect(await transitionReport(desk.ctx, { reportId: second.id, actorId: member.id, action: { type: 'reject', reason: 'duplicate', duplicateOf: `#${first.number}` } })).toMatchObject({ ok: true });
    expect((await reportForTeam(desk.ctx, second.id, member.id)).duplicateOf).toMatchObject({ id: first.id, number: first.number });
  });

  it('notes stay internal, messages go to the reporter; every read and change is audited', async () => {
    const { id } = await insertReport(desk.ctx.db);
    desk.setNow(t('2026-11-23T14:00:00Z'));
    await postTeamMessage(desk.ctx, { reportId: id, authorId: member.id, body: 'Looks real; CVSS soon.', internal: true });
    desk.setNow(t('2026-11-23T14:05:00Z'));
    await postTeamMessage(desk.ctx, { reportId: id, authorId: member.id, body: 'Thanks, we are on it.', internal: false });
    await expect(postTeamMessage(desk.ctx, { reportId: id, authorId: member.id, body: '   ', internal: false })).rejects.toThrow('The message is empty.');
    const view = await reportForTeam(desk.ctx, id, member.id);
    expect(view.messages.map((m) => [m.body, m.internal])).toEqual([
      ['Looks real; CVSS soon.', true],
      ['Thanks, we are on it.', false],
    ]);
    const audit = await desk.ctx.db.selectFrom('audit_log').select(['action']).where('report_id', '=', id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['report.note', 'report.message', 'report.read']);
  });

  it('the inbox puts overdue first, filters by due state, and shows coordinators only their reports', async () => {
    desk.setNow(t('2026-11-30T12:00:00Z'));
    const fresh = await insertReport(desk.ctx.db, { received_at: t('2026-11-30T11:00:00Z'), title: 'fresh' });
    const old = await insertReport(desk.ctx.db, { received_at: t('2026-11-25T11:00:00Z'), title: 'old' }); // ack overdue
    const rows = await listInbox(desk.ctx, { state: 'received' });
    const at = (id: string) => rows.findIndex((r) => r.id === id);
    expect(at(old.id)).toBeLessThan(at(fresh.id));
    expect(rows[at(old.id)]?.next).toMatchObject({ stage: 'acknowledge', status: 'overdue' });
    expect(rows[at(fresh.id)]?.next).toMatchObject({ stage: 'acknowledge', status: 'due_soon' });
    // overdue rows come first, the most overdue at the top
    const firstNotOverdue = rows.findIndex((r) => r.next?.status !== 'overdue');
    expect(rows.slice(firstNotOverdue).some((r) => r.next?.status === 'overdue')).toBe(false);
    expect((await listInbox(desk.ctx, { due: 'overdue' })).map((r) => r.id)).toContain(old.id);
    expect((await listInbox(desk.ctx, { due: 'overdue' })).map((r) => r.id)).not.toContain(fresh.id);
    const coordinator = await insertUser(desk.ctx.db, { role: 'coordinator' });
    await desk.ctx.db.insertInto('coordinator_grants').values({ user_id: coordinator.id, report_id: fresh.id, granted_by: member.id, created_at: t('2026-11-30T12:00:00Z') }).execute();
    expect((await listInbox(desk.ctx, { onlyGrantedTo: coordinator.id })).map((r) => r.id)).toEqual([fresh.id]);
  });

  it('severity comes from a validated CVSS vector; CWE, assignee and scope are checked', async () => {
    const { id } = await insertReport(desk.ctx.db);
    const set = (x: Omit<Parameters<typeof updateReportDetails>[1], 'reportId' | 'actorId'>) => updateReportDetails(desk.ctx, { reportId: id, actorId: member.id, ...x });
    expect(await set({ cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' })).toEqual({ ok: true, changed: ['cvss_vector', 'severity'] });
    let row = await desk.ctx.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ cvss_score: 9.8, severity: 'critical' });
    expect(await set({ cvss: 'CVSS:3.1/AV:N/AC:L' })).toMatchObject({ ok: false, field: 'cvss' });
    expect(await set({ cvss: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' })).toMatchObject({ ok: false, field: 'cvss' });
    expect(await set({ cwe: 'cwe-79' })).toEqual({ ok: true, changed: ['cwe'] });
    expect(await set({ cwe: 'XSS' })).toMatchObject({ ok: false, field: 'cwe' });
    const coordinator = await insertUser(desk.ctx.db, { role: 'coordinator' });
    expect(await set({ assigneeId: coordinator.id })).toMatchObject({ ok: false, field: 'assigneeId' });
    expect(await set({ assigneeId: member.id })).toEqual({ ok: true, changed: ['assignee_id'] });
    expect(await set({ scopeArea: 'Somewhere else' })).toMatchObject({ ok: false, field: 'scopeArea' });
    row = await desk.ctx.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ cwe: 'CWE-79', assignee_id: member.id, severity: 'critical', scope_area: null });
    const view = await reportForTeam(desk.ctx, id, member.id);
    expect(view.events.filter((e) => e.kind === 'details').every((e) => !e.visible)).toBe(true);
  });
});
