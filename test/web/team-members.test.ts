import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canSeeReport } from '../../src/web/team-session.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { anonymousCsrf, createMember, csrfFieldOf, loginAs, setCookie, type TeamAgent, type TestMember } from '../support/team.js';

const T0 = new Date('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('members: invitations, roles, removal, membership review', () => {
  let desk: TestDesk;
  let admin: TestMember;
  let as: TeamAgent;
  const reports: Array<{ id: string; number: number }> = [];
  beforeAll(async () => {
    desk = await startTestDesk({ now: T0 });
    admin = await createMember(desk, { role: 'admin' });
    as = await loginAs(desk, admin);
    for (const title of ['First', 'Second']) {
      const id = randomUUID();
      const row = await desk.ctx.db
        .insertInto('reports')
        .values({ id, title, description: 'd', language: 'en', channel: 'web', state: 'received', received_at: T0, token_hash: randomUUID(), updated_at: T0 })
        .returning('number')
        .executeTakeFirstOrThrow();
      reports.push({ id, number: row.number });
    }
  });
  afterAll(() => desk?.close());

  const linkOf = (html: string) => /id="invite-link">https:\/\/desk\.example\.test(\/team\/invite\/[^<]+)</.exec(html)?.[1];

  /** Accepts an invitation through its page, as the invitee's browser would. */
  async function accept(path: string, name: string, password: string) {
    const page = await desk.app.inject(path);
    if (page.statusCode !== 200) return page;
    return desk.app.inject({
      method: 'POST',
      url: path,
      headers: { cookie: `cvdesk_csrf=${setCookie(page, 'cvdesk_csrf')}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: csrfFieldOf(page.body), name, password }),
    });
  }

  it('an admin invites by link: shown once, accepted once, then dead', async () => {
    const made = await as.post('/team/members/invite', { email: 'Nia@Example.org', role: 'member' });
    expect(made.statusCode).toBe(200);
    expect(made.headers['cache-control']).toBe('no-store');
    const path = linkOf(made.body)!;
    expect(path).toBeTruthy();
    const list = await as.get('/team/members');
    expect(list.body).toContain('nia@example.org'); // pending
    expect(list.body).not.toContain(path); // the link itself is not shown again
    const stored = await desk.ctx.db.selectFrom('invitations').select('token_hash').where('email', '=', 'nia@example.org').executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toBe(path.split('/').at(-1));

    const page = await desk.app.inject(path);
    expect(page.body).toContain('nia@example.org');
    const joined = await accept(path, 'Nia', 'velvet harbor pencil twelve');
    expect(joined.statusCode).toBe(303);
    expect(joined.headers.location).toBe('/team');
    expect(setCookie(joined, 'cvdesk_session')).toBeTruthy();
    expect((await desk.app.inject(path)).statusCode).toBe(404);
    expect((await accept(path, 'Nia again', 'velvet harbor pencil twelve')).statusCode).toBe(404);
    const audit = await desk.ctx.db.selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('action', 'in', ['member.invite', 'member.join']).orderBy('seq').execute();
    const nia = audit.filter((a) => a.detail.email === 'nia@example.org');
    expect(nia.map((a) => a.action)).toEqual(['member.invite', 'member.join']);
    expect(nia[0]!.actor_id).toBe(admin.id);
  });

  it('an invitation link expires after 7 days; a withdrawn one stops at once', async () => {
    const late = linkOf((await as.post('/team/members/invite', { email: 'late@example.org', role: 'member' })).body)!;
    desk.setNow(new Date(T0.getTime() + 7 * DAY - 1000));
    expect((await desk.app.inject(late)).statusCode).toBe(200);
    desk.setNow(new Date(T0.getTime() + 7 * DAY + 1000));
    expect((await desk.app.inject(late)).statusCode).toBe(404);
    expect((await accept(late, 'Late', 'velvet harbor pencil twelve')).statusCode).toBe(404);
    desk.setNow(T0);

    const gone = linkOf((await as.post('/team/members/invite', { email: 'gone@example.org', role: 'admin' })).body)!;
    const { token_hash } = await desk.ctx.db.selectFrom('invitations').select('token_hash').where('email', '=', 'gone@example.org').executeTakeFirstOrThrow();
    const revoked = await as.post('/team/members/invitations/revoke', { id: token_hash });
    expect(revoked.statusCode).toBe(303);
    expect((await desk.app.inject(gone)).statusCode).toBe(404);
    expect((await as.post('/team/members/invitations/revoke', { id: token_hash })).statusCode).toBe(404);
  });

  it('a form post without the CSRF token is refused and stores nothing', async () => {
    const before = await desk.ctx.db.selectFrom('invitations').select('token_hash').execute();
    const r = await desk.app.inject({ method: 'POST', url: '/team/members/invite', headers: { cookie: as.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ email: 'csrf@example.org', role: 'member' }) });
    expect(r.statusCode).toBe(403);
    const withToken = await as.post('/team/members/invite', { email: 'csrf@example.org', role: 'member' });
    expect(withToken.statusCode).toBe(200); // the same post with the token works
    await desk.ctx.db.deleteFrom('invitations').where('email', '=', 'csrf@example.org').execute();
    expect(await desk.ctx.db.selectFrom('invitations').select('token_hash').execute()).toEqual(before);
  });

  it('bad invitations are explained next to the form and not stored', async () => {
    const noReport = await as.post('/team/members/invite', { email: 'up@example.org', role: 'coordinator', report: '' });
    expect(noReport.statusCode).toBe(400);
    expect(noReport.body).toContain('A coordinator is invited to one report');
    const missing = await as.post('/team/members/invite', { email: 'up@example.org', role: 'coordinator', report: '9999' });
    expect(missing.body).toContain('There is no such report.');
    const taken = await as.post('/team/members/invite', { email: admin.email, role: 'member' });
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toContain('already has an account');
    const badRole = await as.post('/team/members/invite', { email: 'x@example.org', role: 'owner' });
    expect(badRole.statusCode).toBe(400);
    expect(await desk.ctx.db.selectFrom('invitations').select('email').where('email', 'in', ['up@example.org', 'x@example.org']).execute()).toEqual([]);
  });

  it('coordinators: invited to one report, they see only that one and no admin page', async () => {
    const [first, second] = reports as [(typeof reports)[0], (typeof reports)[0]];
    const path = linkOf((await as.post('/team/members/invite', { email: 'upstream@example.org', role: 'coordinator', report: `#${first.number}` })).body)!;
    expect((await desk.app.inject(path)).body).toContain(`for report #${first.number}`);
    expect((await accept(path, 'Upstream Team', 'velvet harbor pencil twelve')).statusCode).toBe(303);
    const coord = await desk.ctx.db.selectFrom('users').select(['id', 'name', 'email', 'role']).where('email', '=', 'upstream@example.org').executeTakeFirstOrThrow();
    const principal = { user: coord, sessionId: 'n/a' };
    expect(coord.role).toBe('coordinator');
    expect(await canSeeReport(desk.ctx.db, principal, first.id)).toBe(true);
    expect(await canSeeReport(desk.ctx.db, principal, second.id)).toBe(false);
    expect(await canSeeReport(desk.ctx.db, { user: { ...admin, role: 'member' }, sessionId: 'n/a' }, second.id)).toBe(true);

    // inviting an existing coordinator to another report just grants it
    const granted = await as.post('/team/members/invite', { email: 'upstream@example.org', role: 'coordinator', report: String(second.number) });
    expect(granted.statusCode).toBe(303);
    expect(granted.headers.location).toBe('/team/members?done=granted');
    expect(await canSeeReport(desk.ctx.db, principal, second.id)).toBe(true);

    const c = await loginAs(desk, { id: coord.id, name: coord.name, email: coord.email, password: 'velvet harbor pencil twelve', role: 'coordinator', totpSecret: null });
    expect((await c.get('/team/members')).statusCode).toBe(403);
    expect((await c.post('/team/members/invite', { email: 'friend@example.org', role: 'admin' })).statusCode).toBe(403);
    expect((await c.get('/team/account')).statusCode).toBe(200);
    expect((await c.get('/team/account')).body).not.toContain('href="/team/members"'); // not in their navigation
  });

  it('members may not manage members', async () => {
    const member = await createMember(desk, { role: 'member' });
    const m = await loginAs(desk, member);
    expect((await m.get('/team/members')).statusCode).toBe(403);
    expect((await m.post(`/team/members/${admin.id}/remove`)).statusCode).toBe(403);
    expect((await m.post(`/team/members/${member.id}/role`, { role: 'admin' })).statusCode).toBe(403);
  });

  it('roles change at once; a new admin must set up TOTP first; the last admin stays', async () => {
    const member = await createMember(desk, { role: 'member' });
    const m = await loginAs(desk, member);
    expect((await m.get('/team/members')).statusCode).toBe(403);
    expect((await as.post(`/team/members/${member.id}/role`, { role: 'admin' })).headers.location).toBe('/team/members?done=role');
    const held = await m.get('/team/members');
    expect(held.statusCode).toBe(303);
    expect(held.headers.location).toBe('/team/account');
    expect((await as.post(`/team/members/${member.id}/role`, { role: 'member' })).statusCode).toBe(303);

    expect((await as.post(`/team/members/${admin.id}/role`, { role: 'member' })).statusCode).toBe(409); // the last admin
    expect((await as.post(`/team/members/${admin.id}/remove`)).statusCode).toBe(409); // not oneself
    expect((await as.post('/team/members/not-a-uuid/remove')).statusCode).toBe(404);
    expect((await as.post(`/team/members/${randomUUID()}/role`, { role: 'member' })).statusCode).toBe(404);
    expect((await as.post(`/team/members/${member.id}/role`, { role: 'owner' })).statusCode).toBe(400);
    const audit = await desk.ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'member.role_changed').execute();
    expect(audit.map((a) => [a.detail.from, a.detail.to])).toEqual([
      ['member', 'admin'],
      ['admin', 'member'],
    ]);
  });

  it('removing a member ends their open session on the next request, and they cannot sign in', async () => {
    const member = await createMember(desk, { role: 'member', totp: true });
    const m = await loginAs(desk, member);
    expect((await m.get('/team/account')).statusCode).toBe(200);
    const removed = await as.post(`/team/members/${member.id}/remove`);
    expect(removed.statusCode).toBe(303);
    const next = await m.get('/team/account');
    expect(next.statusCode).toBe(303);
    expect(next.headers.location).toBe('/team/login?next=%2Fteam%2Faccount');
    expect((await m.get('/team/account', { accept: 'application/json' })).statusCode).toBe(401);
    expect(await desk.ctx.db.selectFrom('sessions').select('id_hash').where('user_id', '=', member.id).execute()).toEqual([]);
    const { csrf, cookie } = await anonymousCsrf(desk);
    const again = await desk.app.inject({ method: 'POST', url: '/team/login', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrf, email: member.email, password: member.password }) });
    expect(again.statusCode).toBe(401);
    expect((await as.get('/team/members')).body).not.toContain(member.email);
  });

  it('membership review: last activity, reports handled in 90 days, inactivity flag from the policy', async () => {
    expect(desk.ctx.policy.team.membership.inactivityDays).toBe(90);
    const busy = await createMember(desk, { role: 'member', name: 'Busy Bee' });
    const idle = await createMember(desk, { role: 'member', name: 'Idle Ivy' });
    const [first, second] = reports as [(typeof reports)[0], (typeof reports)[0]];
    const event = (reportId: string, at: Date, actorId: string) => ({ report_id: reportId, at, actor_kind: 'user' as const, actor_id: actorId, kind: 'note', data: {}, visible: false });
    await desk.ctx.db
      .insertInto('report_events')
      .values([event(first.id, new Date(T0.getTime() - 2 * DAY), busy.id), event(first.id, new Date(T0.getTime() - DAY), busy.id), event(second.id, new Date(T0.getTime() - 10 * DAY), busy.id), event(second.id, new Date(T0.getTime() - 120 * DAY), busy.id), event(first.id, new Date(T0.getTime() - 100 * DAY), idle.id)])
      .execute();
    await desk.ctx.db.updateTable('users').set({ last_active_at: new Date(T0.getTime() - 91 * DAY), created_at: new Date(T0.getTime() - 200 * DAY) }).where('id', '=', idle.id).execute();
    const page = (await as.get('/team/members')).body;
    const row = (name: string) => new RegExp(`<tr><td>${name}.*?</tr>`).exec(page)![0];
    expect(row('Busy Bee')).toContain('<td>2</td><td>3</td>'); // 2 reports, 3 actions within 90 days
    expect(row('Busy Bee')).not.toContain('inactive');
    expect(row('Idle Ivy')).toContain('<td>0</td><td>0</td>');
    expect(row('Idle Ivy')).toContain('91 days ago');
    expect(row('Idle Ivy')).toContain('inactive: review');
    expect(page).toContain('not been active for more than 90 days');
  });
});
