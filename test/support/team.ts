import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { totpCode } from '../../src/adapters/crypto/totp.js';
import { acceptInvitation } from '../../src/app/accept-invitation.js';
import { changeRole } from '../../src/app/change-role.js';
import { confirmTotpEnrolment, pendingTotp, startTotpEnrolment } from '../../src/app/enroll-totp.js';
import { inviteMember } from '../../src/app/invite-member.js';
import { resolveSession, type Role } from '../../src/app/team-sessions.js';
import type { TestDesk } from './desk.js';

/**
 * Team members for tests, made through the real use cases (invitation, acceptance, TOTP
 * enrolment), and signed in through the real pages (sign-in form, TOTP step, CSRF).
 *
 *   const admin = await createMember(desk, { role: 'admin' });          // admins get TOTP
 *   const coord = await createMember(desk, { role: 'coordinator', reports: [reportId] });
 *   const as = await loginAs(desk, admin);
 *   const page = await as.get('/team/members');                          // cookies sent
 *   const res = await as.post('/team/members/invite', { email, role });  // + _csrf
 *   // multipart or JSON: use as.cookie and as.csrf (field `_csrf` or header `x-csrf-token`)
 */

export interface TestMember {
  id: string;
  name: string;
  email: string;
  password: string;
  role: Role;
  /** The base32 TOTP secret when TOTP is on. */
  totpSecret: string | null;
}

export const TEST_PASSWORD = 'orchid lantern maple ninety';

let counter = 0;

export async function createMember(desk: TestDesk, opts: { role?: Role; totp?: boolean; name?: string; email?: string; password?: string; reports?: string[] } = {}): Promise<TestMember> {
  const role = opts.role ?? 'member';
  const n = ++counter;
  const email = opts.email ?? `${role}${n}.${process.pid}@team.example`;
  const name = opts.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${n}`;
  const password = opts.password ?? TEST_PASSWORD;
  const [firstReport, ...moreReports] = opts.reports ?? [];
  // A coordinator is invited to a report; one without any is invited as a member and then made coordinator.
  const inviteAs = role === 'coordinator' && !firstReport ? 'member' : role;
  const invited = await inviteMember(desk.ctx, { invitedBy: null, email, role: inviteAs, reportId: firstReport ?? null });
  if (invited.kind !== 'invited') throw new Error(`createMember: invitation failed: ${JSON.stringify(invited)}`);
  const made = await acceptInvitation(desk.ctx, { token: invited.url.split('/').at(-1)!, name, password });
  if (made.kind !== 'created') throw new Error(`createMember: acceptance failed: ${JSON.stringify(made)}`);
  if (inviteAs !== role) await changeRole(desk.ctx, { actorId: made.userId, userId: made.userId, role });
  for (const reportId of moreReports) await inviteMember(desk.ctx, { invitedBy: null, email, role: 'coordinator', reportId });
  let totpSecret: string | null = null;
  if (opts.totp ?? role === 'admin') {
    await startTotpEnrolment(desk.ctx, { userId: made.userId });
    totpSecret = (await pendingTotp(desk.ctx, { userId: made.userId }))!.secret;
    const session = (await resolveSession(desk.ctx.db, made.sessionToken, desk.ctx.clock()))!;
    const confirmed = await confirmTotpEnrolment(desk.ctx, { userId: made.userId, sessionId: session.sessionId, code: await totpCode(totpSecret, desk.ctx.clock()) });
    if (confirmed.kind !== 'confirmed') throw new Error(`createMember: TOTP enrolment failed: ${confirmed.kind}`);
  }
  // The acceptance's own session is not the test's: end it, so the session count is the test's own.
  await desk.ctx.db.deleteFrom('sessions').where('user_id', '=', made.userId).execute();
  return { id: made.userId, name, email, password, role, totpSecret };
}

export interface TeamAgent {
  member: TestMember;
  /** The Cookie header: session and CSRF cookies. */
  cookie: string;
  /** A CSRF token that matches the CSRF cookie. */
  csrf: string;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** A urlencoded form post with `_csrf` added. */
  post(url: string, fields?: Record<string, string>, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

/** The value of a Set-Cookie of this name in an answer, if any. */
export function setCookie(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  return all.find((c: string) => c.startsWith(`${name}=`))?.split(';')[0]?.slice(name.length + 1);
}

export const csrfFieldOf = (html: string): string => {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1]!;
};

/** A CSRF token and its cookie for an anonymous visitor (from the sign-in form). */
export async function anonymousCsrf(desk: TestDesk): Promise<{ csrf: string; cookie: string }> {
  const page = await desk.app.inject('/team/login');
  return { csrf: csrfFieldOf(page.body), cookie: `cvdesk_csrf=${setCookie(page, 'cvdesk_csrf')}` };
}

/**
 * Signs in through /team/login (and the TOTP step). The replay guard is reset first, so that one
 * member may sign in several times at a test's fixed clock: a test-only shortcut, nothing else.
 */
export async function loginAs(desk: TestDesk, member: TestMember): Promise<TeamAgent> {
  const { csrf, cookie: csrfCookie } = await anonymousCsrf(desk);
  const form = (fields: Record<string, string>) => new URLSearchParams({ _csrf: csrf, ...fields }).toString();
  const formHeaders = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' });
  const signIn = await desk.app.inject({ method: 'POST', url: '/team/login', headers: formHeaders(csrfCookie), payload: form({ email: member.email, password: member.password, next: '/team' }) });
  expect(signIn.statusCode, `sign-in of ${member.email}`).toBe(303);
  let session = setCookie(signIn, 'cvdesk_session');
  if (member.totpSecret) {
    await desk.ctx.db.updateTable('users').set({ totp_last_step: null }).where('id', '=', member.id).execute();
    const code = await totpCode(member.totpSecret, desk.ctx.clock());
    const step = await desk.app.inject({ method: 'POST', url: '/team/login/code', headers: formHeaders(`${csrfCookie}; cvdesk_session=${session}`), payload: form({ code, next: '/team' }) });
    expect(step.statusCode, `TOTP step of ${member.email}`).toBe(303);
    session = setCookie(step, 'cvdesk_session');
  }
  const cookie = `${csrfCookie}; cvdesk_session=${session}`;
  return {
    member,
    cookie,
    csrf,
    get: (url, headers = {}) => desk.app.inject({ method: 'GET', url, headers: { cookie, ...headers } }),
    post: (url, fields = {}, headers = {}) => desk.app.inject({ method: 'POST', url, headers: { ...formHeaders(cookie), ...headers }, payload: form(fields) }),
  };
}
