import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { createMember, loginAs, type TeamAgent } from '../support/team.js';
import { BEFORE, FIXED, insertFixedReport, MAUTIC, seedInventory } from './support.js';

const t = (s: string) => new Date(s);
const NOW = t('2026-11-16T10:00:00Z');
const CVSS = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N';

/** The editor's fields for a good advisory (img0 is the Mautic image, the policy's only one). */
const goodForm = (reports: number[]): Record<string, string> => ({
  reports: reports.join(', '),
  title: 'Apache variant serves the log folder',
  summary: 'Anyone could download files from var/logs.',
  details: 'The Apache configuration granted access to /var/www/html.',
  cvss31: CVSS,
  cvss40: '',
  cwe: 'CWE-552',
  aliases: '',
  upstream: '',
  img0: 'yes',
  img0_versions: '5.0.0..5.2.2',
  img0_variants: 'apache',
  img0_tags: '',
  img0_fixed: '5.2.2-apache',
  img0_na_variants: 'fpm',
  img0_na_tags: '',
  img0_na_justification: 'vulnerable_code_not_present',
  img0_na_statement: 'The FPM variant ships no web server.',
  remediation: '',
  workarounds: 'Deny /var/www/html/var.\n\nOr stop Apache.',
  references: 'article https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html Require directive',
  credits: 'finder: Rita Reporter | https://rita.example.org/\nremediation_developer: Mautic Docker Security Team',
});

describe(`the team's advisory pages (${testEngine()})`, () => {
  let desk: TestDesk;
  let member: TeamAgent;
  let admin: TeamAgent;
  let coordinator: TeamAgent;
  let report: { id: string; number: number };
  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW });
    report = await insertFixedReport(desk.ctx.db, t('2026-11-12T10:00:00Z'), { title: 'Logs <b>readable</b>', cvss_vector: CVSS, cwe: 'CWE-552' });
    await seedInventory(desk.ctx.db, MAUTIC, { ...BEFORE, ...FIXED }, t('2026-11-14T00:00:00Z'));
    member = await loginAs(desk, await createMember(desk, { role: 'member', name: 'Mara Member' }));
    admin = await loginAs(desk, await createMember(desk, { role: 'admin', name: 'Ada Admin' }));
    coordinator = await loginAs(desk, await createMember(desk, { role: 'coordinator', reports: [report.id] }));
  }, 60_000);
  afterAll(() => desk?.close());

  it("the report page offers a draft to members (not to coordinators), and the editor starts from the report", async () => {
    const page = await member.get(`/team/reports/${report.number}`);
    expect(page.body).toContain('<h2 id="advisory-heading">Advisory</h2>');
    expect(page.body).toContain(`<input type="hidden" name="report" value="${report.number}"/>`);
    expect((await coordinator.get(`/team/reports/${report.number}`)).body).not.toContain('advisory-heading');
    expect((await coordinator.get('/team/advisories')).statusCode).toBe(403);
    const editor = await member.get(`/team/advisories/new?report=${report.number}`);
    expect(editor.statusCode).toBe(200);
    expect(editor.headers['cache-control']).toBe('no-store');
    expect(editor.body).toContain('value="Logs &lt;b>readable&lt;/b>"');
    expect(editor.body).toContain(`value="${CVSS}"`);
    expect(editor.body).toContain('value="CWE-552"');
    expect(editor.body).toMatch(/name="img0" value="yes" checked/);
    expect(editor.body).toContain('finder: Rita Reporter</textarea>');
    expect(editor.body).toContain('5.2.1-apache</textarea>');
    // the fixed tags to pick from: those of the inventory that receive advisories
    expect(editor.body).toMatch(/Tags that receive advisories: [^<]*5\.2\.2-apache/);
    expect(editor.body).not.toMatch(/<script>|style="/);
  });

  it('a wrong form comes back with each problem at its field and everything typed kept; nothing is stored', async () => {
    const form = { ...goodForm([report.number]), title: '', cvss31: 'CVSS:3.1/AV:N', img0_fixed: '9.9.9-apache', img0_versions: '5.0.0 to 5.2.2', details: 'Kept <details> text' };
    let r = await member.post('/team/advisories', form);
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('img0_versions');
    expect(r.body).toContain('is not a range: write 5.0.0..5.2.2');
    expect(r.body).toContain('Kept &lt;details> text</textarea>');
    r = await member.post('/team/advisories', { ...form, img0_versions: '5.0.0..5.2.2' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toMatch(/id="f-title"[^>]*aria-invalid="true"/);
    expect(r.body).toMatch(/id="f-cvss31"[^>]*value="CVSS:3.1\/AV:N"[^>]*aria-invalid="true"|id="f-cvss31"[^>]*aria-invalid="true"/);
    expect(r.body).toContain('9.9.9-apache is not in the image inventory of docker.io/mautic/mautic');
    expect(r.body).toContain('value="CVSS:3.1/AV:N"');
    expect(r.body).toContain('Kept &lt;details> text</textarea>');
    expect(await desk.ctx.db.selectFrom('advisories').select('id').execute()).toEqual([]);
    // no CSRF token, no draft
    const forged = await desk.app.inject({ method: 'POST', url: '/team/advisories', headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(goodForm([])).toString() });
    expect(forged.statusCode).toBe(403);
  });

  it('a good form is a draft; its page shows the tags it resolves to, and it is scheduled for the next window', async () => {
    const r = await member.post('/team/advisories', goodForm([report.number]));
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/team/advisories/CVDESK-2026-0001');
    const page = await member.get('/team/advisories/CVDESK-2026-0001');
    expect(page.body).toContain('CVDESK-2026-0001: Apache variant serves the log folder');
    expect(page.body).toMatch(/<td class="mono">5\.2\.1-apache<\/td><td><span class="badge bad">affected<\/span><\/td><td class="mono small">sha256:222222222222…<\/td><td class="small">move to 5\.2\.2-apache<\/td>/);
    expect(page.body).toMatch(/<td class="mono">5\.2\.1-fpm<\/td><td><span class="badge info">not affected<\/span>/);
    expect(page.body).toContain('It would publish Wed 25 Nov 2026');
    // the editor shows the stored document again, the fixed tag pinned to its digest
    expect(page.body).toContain(`5.2.2-apache@${FIXED['5.2.2-apache']}</textarea>`);
    expect(page.body).toContain('finder: Rita Reporter | https://rita.example.org/\nremediation_developer: Mautic Docker Security Team</textarea>');
    expect((await member.post('/team/advisories/CVDESK-2026-0001/schedule')).statusCode).toBe(303);
    const scheduled = await member.get('/team/advisories/CVDESK-2026-0001');
    expect(scheduled.body).toContain('<span class="badge warn">Scheduled</span>');
    expect(scheduled.body).toContain('Publishes Wed 25 Nov 2026');
    expect(scheduled.body).not.toContain('/publish"'); // not due, and a member may not publish early
    expect((await admin.get('/team/advisories/CVDESK-2026-0001')).body).toContain('Publish now, ahead of schedule');
    const list = await member.get('/team/advisories');
    expect(list.body).toContain('<a href="/team/advisories" aria-current="page">Advisories</a>');
    expect(list.body).toMatch(/CVDESK-2026-0001[\s\S]*Scheduled[\s\S]*publishes Wed 25 Nov 2026/);
    expect(list.body).toContain(`<a href="/team/reports/${report.number}">#${report.number}</a>`);
    // nothing of it is public before publication
    expect((await desk.app.inject('/advisories/CVDESK-2026-0001')).statusCode).toBe(404);
    expect((await desk.app.inject('/advisories')).body).not.toContain('Apache variant serves the log folder');
  });

  it('without a fixed build only an admin may go ahead, with a reason; refusals keep what was typed', async () => {
    const form = { ...goodForm([]), title: 'No fix yet', img0_fixed: '' };
    const r = await member.post('/team/advisories', form);
    expect(r.statusCode).toBe(303);
    const url = r.headers.location as string;
    const page = await member.get(url);
    expect(page.body).toContain('No fixed build yet:');
    expect(page.body).toMatch(/<button type="submit" disabled="">Schedule<\/button>|<button type="submit" disabled>Schedule<\/button>/);
    expect((await member.post(`${url}/schedule`)).statusCode).toBe(409);
    expect((await member.post(`${url}/override`, { reason: 'please' })).statusCode).toBe(403);
    const empty = await admin.post(`${url}/override`, { reason: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('say why: the override is recorded with its reason');
    const done = await admin.post(`${url}/override`, { reason: 'Actively exploited; the workaround helps.' });
    expect(done.statusCode).toBe(303);
    const after = await admin.get(url);
    expect(after.body).toContain('Published without a fixed build in the inventory, by Ada Admin’s decision: Actively exploited; the workaround helps.');
  });

  it('a published advisory changes only with a summary of the change, which becomes its revision', async () => {
    desk.setNow(t('2026-11-25T00:00:30Z'));
    member = await loginAs(desk, member.member); // nine days on, the session has ended
    expect((await member.post('/team/advisories/CVDESK-2026-0001/publish')).statusCode).toBe(303);
    const page = await member.get('/team/advisories/CVDESK-2026-0001');
    expect(page.body).toContain('<span class="badge ok">Published</span>');
    expect(page.body).toContain('<a href="/advisories/CVDESK-2026-0001">The public page</a>');
    expect(page.body).toContain('Publish this change');
    const form = { ...goodForm([report.number]), img0_fixed: `5.2.2-apache@${FIXED['5.2.2-apache']}`, workarounds: 'Deny /var/www/html/var.' };
    const refused = await member.post('/team/advisories/CVDESK-2026-0001', form);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('say what changed');
    expect(refused.body).toContain('Deny /var/www/html/var.</textarea>');
    expect((await member.post('/team/advisories/CVDESK-2026-0001', { ...form, changeSummary: 'One workaround less.' })).statusCode).toBe(303);
    const revised = await member.get('/team/advisories/CVDESK-2026-0001');
    expect(revised.body).toMatch(/<h2 id="revisions-heading">Revisions<\/h2><ol><li>Initial publication\.<div[^>]*>[^<]*· Mara Member<\/div><\/li><li>One workaround less\.<div[^>]*>[^<]*· Mara Member<\/div><\/li><\/ol>/);
    expect((await member.post('/team/advisories/CVDESK-2026-0001/withdraw', { reason: 'no' })).statusCode).toBe(403);
    expect((await desk.app.inject('/advisories/CVDESK-2026-0001')).statusCode).toBe(200);
  });
});
