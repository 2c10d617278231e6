import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAdminNotice } from '../../src/app/admin-notices.js';
import { setUpstreamConsent } from '../../src/app/reports/forward-upstream.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertReport } from '../support/fixtures.js';
import { createMember, loginAs, type TeamAgent } from '../support/team.js';

const t = (s: string) => new Date(s);

describe('the team pages: inbox, report page, SLA performance, audit log', () => {
  let desk: TestDesk;
  let member: TeamAgent;
  let admin: TeamAgent;
  let report: { id: string; number: number };
  let other: { id: string; number: number };
  let coordinator: TeamAgent;
  beforeAll(async () => {
    desk = await startTestDesk({ now: t('2026-11-23T12:00:00Z') });
    report = await insertReport(desk.ctx.db, { title: 'XSS <script>alert(1)</script> in settings', received_at: t('2026-11-23T10:00:00Z') });
    other = await insertReport(desk.ctx.db, { title: 'Another one', received_at: t('2026-11-20T10:00:00Z') });
    member = await loginAs(desk, await createMember(desk, { role: 'member', name: 'Max Member' }));
    admin = await loginAs(desk, await createMember(desk, { role: 'admin' }));
    coordinator = await loginAs(desk, await createMember(desk, { role: 'coordinator', reports: [other.id] }));
  });
  afterAll(() => desk?.close());

  it('the inbox lists open reports with their next clock, text escaped, and filters', async () => {
    const r = await member.get('/team');
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toContain('XSS &lt;script>alert(1)&lt;/script> in settings');
    expect(r.body).not.toContain('<script>alert(1)');
    expect(r.body).toMatch(/Acknowledge overdue/); // "Another one" was received three days ago
    const filtered = await member.get('/team?due=overdue');
    expect(filtered.body).toContain('Another one');
    expect(filtered.body).not.toContain('in settings');
    expect((await member.get('/team?state=nonsense')).statusCode).toBe(400);
  });

  it('a signed-out visitor is sent to sign in; a coordinator sees only the invited report', async () => {
    const anon = await desk.app.inject('/team');
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/team/login?next=%2Fteam');
    const inbox = await coordinator.get('/team');
    expect(inbox.body).toContain('Another one');
    expect(inbox.body).not.toContain('in settings');
    expect((await coordinator.get(`/team/reports/${report.number}`)).statusCode).toBe(404);
    expect((await coordinator.get(`/team/reports/${other.number}`)).statusCode).toBe(200);
  });

  it('a member triages through the report page: acknowledge, severity by CVSS, message, note, reject refused with reason', async () => {
    const page = `/team/reports/${report.number}`;
    expect((await member.post(`${page}/transition`, { action: 'acknowledge' })).statusCode).toBe(303);
    const bad = await member.post(`${page}/details`, { cvss: 'CVSS:3.1/AV:X', cwe: '', assigneeId: '', scopeArea: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Not saved: cvss');
    expect((await member.post(`${page}/details`, { cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', cwe: 'CWE-79', assigneeId: member.member.id, scopeArea: '' })).statusCode).toBe(303);
    expect((await member.post(`${page}/messages`, { body: 'Thanks, confirmed.', kind: 'message' })).statusCode).toBe(303);
    expect((await member.post(`${page}/messages`, { body: 'Internal: affects 5.x only', kind: 'note' })).statusCode).toBe(303);
    const illegal = await member.post(`${page}/transition`, { action: 'mark_fixed' });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.body).toContain('cannot be marked fixed');
    const view = await member.get(page);
    expect(view.body).toContain('CVSS 6.1');
    expect(view.body).toContain('badge sev-medium');
    expect(view.body).toContain('Thanks, confirmed.');
    expect(view.body).toContain('Private note');
    expect(view.body).toContain('Received → Acknowledged');
    const row = await desk.ctx.db.selectFrom('reports').selectAll().where('id', '=', report.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'acknowledged', severity: 'medium', cwe: 'CWE-79', assignee_id: member.member.id });
  });

  it('state changes need the CSRF token and a team role; a coordinator can add notes only', async () => {
    const page = `/team/reports/${other.number}`;
    const noCsrf = await desk.app.inject({ method: 'POST', url: `${page}/transition`, headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'action=acknowledge' });
    expect(noCsrf.statusCode).toBe(403);
    expect((await coordinator.post(`${page}/transition`, { action: 'acknowledge' })).statusCode).toBe(403);
    expect((await coordinator.post(`${page}/messages`, { body: 'hello reporter', kind: 'message' })).statusCode).toBe(403);
    expect((await coordinator.post(`${page}/messages`, { body: 'upstream fix is in 5.2.2', kind: 'note' })).statusCode).toBe(303);
    const row = await desk.ctx.db.selectFrom('reports').select('state').where('id', '=', other.id).executeTakeFirstOrThrow();
    expect(row.state).toBe('received');
  });

  it('the SLA page shows shares met and a chart; members and admins only', async () => {
    const r = await member.get('/team/sla');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<svg');
    expect(r.body).toContain('Share met');
    expect((await coordinator.get('/team/sla')).statusCode).toBe(403);
  });

  it('admins read the audit log with the chain verified, and see and dismiss notices', async () => {
    expect((await member.get('/team/audit')).statusCode).toBe(403);
    const audit = await admin.get('/team/audit');
    expect(audit.statusCode).toBe(200);
    expect(audit.body).toContain('The hash chain is intact');
    expect(audit.body).toContain('report.read');
    await addAdminNotice(desk.ctx.db, { key: 'test-notice', level: 'warn', message: 'security.txt expires in 5 days' }, desk.ctx.clock());
    expect((await admin.get('/team')).body).toContain('security.txt expires in 5 days');
    expect((await member.get('/team')).body).not.toContain('security.txt expires in 5 days');
    expect((await admin.post('/team/notices/test-notice/dismiss')).statusCode).toBe(303);
    expect((await admin.get('/team')).body).not.toContain('security.txt expires in 5 days');
  });

  it('forwards upstream only with the reporter consent, and gives the text and contact to send', async () => {
    const page = `/team/reports/${other.number}`;
    const area = 'Mautic core application vulnerabilities';
    expect((await member.get(page)).body).toContain('has not agreed to share');
    const refused = await member.post(`${page}/forward`, { area });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('has not agreed');
    await setUpstreamConsent(desk.ctx, { reportId: other.id, consent: true });
    const done = await member.post(`${page}/forward`, { area });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Recorded as forwarded to Mautic Security Team');
    expect(done.body).toContain('href="https://github.com/mautic/mautic/security/advisories/new"');
    expect(done.body).toContain('Title: Another one');
    expect((await member.post(`${page}/forward`, { area: 'Individual user deployment configurations' })).statusCode).toBe(409);
    const events = await desk.ctx.db.selectFrom('report_events').select(['kind', 'visible']).where('report_id', '=', other.id).execute();
    expect(events).toContainEqual({ kind: 'forwarded_upstream', visible: true });
    expect(events).toContainEqual({ kind: 'upstream_consent_given', visible: true });
  });
});
