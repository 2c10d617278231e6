import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindBeforeWindow } from '../../src/app/releases/remind-before-window.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertReport } from '../support/fixtures.js';
import { createMember, loginAs, type TeamAgent } from '../support/team.js';
import { digest, insertFixedReport, MAUTIC, releaseTrail, seedInventory } from './support.js';

const t = (s: string) => new Date(s);
// Mautic policy (UTC): windows 2026-11-25, 2026-12-09; critical reports may go out of cycle.
const NOW = t('2026-11-16T10:00:00Z');

describe(`the release plan page and the report page's release card on ${testEngine()}`, () => {
  let desk: TestDesk;
  let member: TeamAgent;
  let coordinator: TeamAgent;
  let high: { id: string; number: number; token: string };
  let critical: { id: string; number: number; token: string };
  let invited: { id: string; number: number };
  let fixing: { id: string; number: number };
  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW });
    high = await insertFixedReport(desk.ctx.db, t('2026-11-12T10:00:00Z'), { title: 'Cookie <script>alert(1)</script> without Secure' });
    critical = await insertFixedReport(desk.ctx.db, t('2026-11-13T10:00:00Z'), { title: 'RCE in the entrypoint', severity: 'critical', cvss_score: 9.8 });
    invited = await insertFixedReport(desk.ctx.db, t('2026-11-14T10:00:00Z'), { title: 'Upstream PHP issue' });
    fixing = await insertReport(desk.ctx.db, { title: 'Not fixed yet', state: 'fixing', triaged_at: t('2026-11-10T10:00:00Z') });
    await seedInventory(desk.ctx.db, MAUTIC, { '5.2.2-apache': digest('a'), '5.2.2-fpm': digest('b') }, t('2026-11-14T08:00:00Z'));
    member = await loginAs(desk, await createMember(desk, { role: 'member', name: 'Mara Member' }));
    coordinator = await loginAs(desk, await createMember(desk, { role: 'coordinator', reports: [invited.id] }));
  }, 60_000); // the database, the desk and three sign-ins take seconds on a busy machine
  afterAll(() => desk?.close());

  it('members see every fixed report under its window, with severity, fix build and release clock; text escaped', async () => {
    const r = await member.get('/team/releases');
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toContain('<a href="/team/releases" aria-current="page">Releases</a>');
    expect(r.body).toContain('on the 2nd and 4th Wednesday of each month (UTC)');
    expect(r.body).toContain('Critical reports, or any marked urgent, may be released out of cycle with the Mautic Security Team.');
    expect(r.body).toContain('The team is reminded 2 business days before each window.');
    expect(r.body).toMatch(/Security window Wed 25 Nov 2026 <span class="small muted">in 9 days · 3 reports<\/span>/);
    expect(r.body).toContain('Cookie &lt;script>alert(1)&lt;/script> without Secure');
    expect(r.body).not.toContain('<script>alert(1)');
    expect(r.body).toContain('badge sev-critical');
    expect(r.body).toContain('CVSS 9.8');
    expect(r.body).toContain('no fix build yet');
    expect(r.body).not.toContain('Not fixed yet');
  });

  it('a coordinator sees only the reports they were invited to, reads the release card and changes nothing', async () => {
    const plan = await coordinator.get('/team/releases');
    expect(plan.statusCode).toBe(200);
    expect(plan.body).toContain('Upstream PHP issue');
    expect(plan.body).not.toContain('RCE in the entrypoint');
    expect(plan.body).toContain('You see the reports you were invited to.');
    const page = await coordinator.get(`/team/reports/${invited.number}`);
    expect(page.body).toContain('<h2 id="release-heading">Release</h2>');
    expect(page.body).not.toContain('/release/');
    expect((await coordinator.post(`/team/reports/${invited.number}/release/out-of-cycle`, { reason: 'please', urgent: 'yes' })).statusCode).toBe(403);
    expect((await coordinator.get(`/team/reports/${critical.number}`)).statusCode).toBe(404);
  });

  it('the release card offers the build from the inventory, the out-of-cycle move and the shipment once the window has come', async () => {
    const page = await member.get(`/team/reports/${high.number}`);
    expect(page.body).toContain('Security window Wed 25 Nov 2026 (in 9 days)');
    expect(page.body).toContain(`action="/team/reports/${high.number}/release/build"`);
    expect(page.body).toContain('<option value="5.2.2-apache">');
    expect(page.body).toContain('A high report goes out of cycle only when marked urgent.');
    expect(page.body).toContain('name="urgent"');
    expect(page.body).toContain('It can be marked shipped once the window of Wed 25 Nov 2026 has come.');
    const crit = await member.get(`/team/reports/${critical.number}`);
    expect(crit.body).toContain('The policy releases critical reports out of cycle.');
    expect(crit.body).not.toContain('name="urgent"');
    const notFixed = await member.get(`/team/reports/${fixing.number}`);
    expect(notFixed.body).not.toContain('release-heading');
  });

  it('moving out of cycle without a reason is refused on the page, and nothing is stored; with one it shows on the plan, the card and the timeline', async () => {
    const base = `/team/reports/${critical.number}/release`;
    const bad = await member.post(`${base}/out-of-cycle`, { reason: '   ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Not done: say why: an out-of-cycle decision is recorded with its reason.');
    expect(bad.body).toContain('<h2 id="release-heading">Release</h2>');
    const notUrgent = await member.post(`/team/reports/${high.number}/release/out-of-cycle`, { reason: 'a customer asked' });
    expect(notUrgent.statusCode).toBe(400);
    expect(notUrgent.body).toContain('stays in the windows unless it is marked urgent');
    const noCsrf = await desk.app.inject({ method: 'POST', url: `${base}/out-of-cycle`, headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'reason=now' });
    expect(noCsrf.statusCode).toBe(403);
    const stillFixing = await member.post(`/team/reports/${fixing.number}/release/out-of-cycle`, { reason: 'now', urgent: 'yes' });
    expect(stillFixing.statusCode).toBe(409);
    expect(stillFixing.body).toContain(`report #${fixing.number} is fixing, not fixed`);
    for (const r of [critical, high, fixing]) expect(await releaseTrail(desk.ctx.db, r.id)).toEqual({ releases: [], events: [], audit: [] });

    const done = await member.post(`${base}/out-of-cycle`, { reason: 'Exploited in the wild' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/team/reports/${critical.number}`);
    const plan = await member.get('/team/releases');
    expect(plan.body).toMatch(/Out of cycle <span class="small muted">1 report<\/span>/);
    expect(plan.body).toMatch(/Out of cycle \(by severity\): Mara Member, Mon 16 Nov 2026, 10:00 UTC — “Exploited in the wild”/);
    const card = await member.get(`/team/reports/${critical.number}`);
    expect(card.body).toContain('Moved out of cycle (critical severity): “Exploited in the wild”');
    expect(card.body).toContain(`action="/team/reports/${critical.number}/release/in-cycle"`);
    expect(card.body).toContain('Released out of cycle on');
    // The reporter's view shows nothing of the team's release planning.
    const reporter = await desk.app.inject({ url: '/api/v1/reporter/report', headers: { authorization: `Bearer ${critical.token}` } });
    expect(reporter.statusCode).toBe(200);
    expect(reporter.body).not.toContain('Exploited in the wild');
  });

  it('records the fix build from the inventory (an unknown tag is refused) and ships it, shown on the plan', async () => {
    const base = `/team/reports/${critical.number}/release`;
    const unknown = await member.post(`${base}/build`, { repository: MAUTIC, tag: '9.9.9' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('Not done: the image inventory has no tag &quot;9.9.9&quot; in docker.io/mautic/mautic');
    const early = await member.post(`${base}/shipped`, { date: '2026-11-16' });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('record the fix build');
    expect((await member.post(`${base}/build`, { repository: MAUTIC, tag: '5.2.2-apache' })).statusCode).toBe(303);
    const plan = await member.get('/team/releases');
    expect(plan.body).toContain('<code>docker.io/mautic/mautic:5.2.2-apache</code>');
    expect(plan.body).toContain(`title="${digest('a')}"`);
    const future = await member.post(`${base}/shipped`, { date: '2026-11-17' });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('2026-11-17 is still to come');
    expect((await member.post(`${base}/shipped`, { date: '2026-11-16' })).statusCode).toBe(303);
    const after = await member.get('/team/releases');
    expect(after.body).not.toMatch(/Out of cycle <span/);
    expect(after.body).toContain('Shipped out of cycle on Mon 16 Nov 2026');
    const card = await member.get(`/team/reports/${critical.number}`);
    expect(card.body).toContain('Shipped out of cycle on Mon 16 Nov 2026');
    expect(card.body).not.toContain(`${base}/`); // shipped is history: no more forms
    expect((await releaseTrail(desk.ctx.db, critical.id)).audit.map((a) => a.action)).toEqual(['report.release.out_of_cycle', 'report.release.fix_build', 'report.release.shipped']);
  });

  it('the reminder shows on the inbox of members, not of coordinators, with the reports planned for the window', async () => {
    // Days pass: sign in again each time (sessions end after 12 idle hours).
    const inboxAt = async (at: Date, agent: TeamAgent) => {
      desk.setNow(at);
      const r = await (await loginAs(desk, agent.member)).get('/team');
      expect(r.statusCode).toBe(200);
      return r.body;
    };
    desk.setNow(t('2026-11-21T09:00:00Z')); // Saturday: 2 business days (Monday, Tuesday) before the window
    expect(await remindBeforeWindow(desk.ctx)).toMatchObject({ kind: 'sent', window: { date: '2026-11-25' } });
    const inbox = await inboxAt(t('2026-11-21T09:00:00Z'), member);
    expect(inbox).toContain('Security window Wed 25 Nov 2026</strong> (in 4 days): 2 reports planned');
    expect(inbox).toContain(`<a href="/team/reports/${high.number}">#${high.number} Cookie &lt;script>alert(1)&lt;/script> without Secure</a>`);
    expect(await inboxAt(t('2026-11-21T09:00:00Z'), coordinator)).not.toContain('Security window');
    expect(await inboxAt(t('2026-11-25T23:00:00Z'), member)).toContain('Security window Wed 25 Nov 2026</strong> (today)');
    expect(await inboxAt(t('2026-11-26T09:00:00Z'), member)).not.toContain('Security window Wed 25 Nov 2026');
  });
});
