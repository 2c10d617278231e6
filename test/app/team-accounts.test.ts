import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKey, open, seal } from '../../src/adapters/crypto/secret-box.js';
import { totpCode } from '../../src/adapters/crypto/totp.js';
import { acceptInvitation } from '../../src/app/accept-invitation.js';
import { changeRole } from '../../src/app/change-role.js';
import { createFirstAdmin, setupLinkIsValid } from '../../src/app/create-first-admin.js';
import { confirmTotpEnrolment, pendingTotp, startTotpEnrolment } from '../../src/app/enroll-totp.js';
import { firstAdminLink } from '../../src/app/first-admin-link.js';
import { inviteMember } from '../../src/app/invite-member.js';
import { listMembers } from '../../src/app/list-members.js';
import { logIn } from '../../src/app/log-in.js';
import { removeMember } from '../../src/app/remove-member.js';
import { resolveSession, SESSION_IDLE_MS, SESSION_MAX_MS } from '../../src/app/team-sessions.js';
import { verifyLoginCode } from '../../src/app/verify-login-code.js';
import { checkPassword } from '../../src/domain/accounts/password-rules.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

const T0 = new Date('2026-11-23T10:00:00Z');
const PASSWORD = 'plum orbit canvas seventy';

describe('team accounts (use cases)', () => {
  let desk: TestDesk;
  let adminId = '';
  let adminSession = '';
  beforeAll(async () => {
    desk = await startTestDesk({ now: T0 });
  });
  afterAll(() => desk?.close());
  const tokenOf = (url: string) => url.split('/').at(-1)!;

  it('password rules: length, common passwords, own e-mail', () => {
    expect(checkPassword('short')).toBe('too_short');
    expect(checkPassword('Password1234')).toBe('common');
    expect(checkPassword('aaaaaaaaaaaaaaaa')).toBe('common');
    expect(checkPassword('jane.doe.example', { email: 'jane.doe.example@x.org' })).toBe('personal');
    expect(checkPassword('x'.repeat(300))).toBe('too_long');
    expect(checkPassword(PASSWORD, { email: 'jane@x.org', name: 'Jane' })).toBeNull();
  });

  it('secret box: round trip, bound to its associated data and key', () => {
    const key = deriveKey(Buffer.alloc(32, 1), 'totp');
    const box = seal(key, 'JBSWY3DPEHPK3PXP', 'user:a');
    expect(box).not.toContain('JBSWY3DPEHPK3PXP');
    expect(open(key, box, 'user:a')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => open(key, box, 'user:b')).toThrow(/could not be opened/);
    expect(() => open(deriveKey(Buffer.alloc(32, 2), 'totp'), box, 'user:a')).toThrow(/could not be opened/);
    expect(() => open(deriveKey(Buffer.alloc(32, 1), 'other'), box, 'user:a')).toThrow(/could not be opened/);
  });

  it('the first-admin link works once and makes an admin with an argon2id hash', async () => {
    const link = await firstAdminLink(desk.ctx);
    const token = tokenOf(link!);
    expect(await setupLinkIsValid(desk.ctx, token)).toBe(true);
    const bad = await createFirstAdmin(desk.ctx, { token, name: 'Ada', email: 'ada@example.org', password: 'short' });
    expect(bad).toEqual({ kind: 'invalid', problems: [{ field: 'password', message: expect.stringMatching(/at least 12/) }] });
    expect(await desk.ctx.db.selectFrom('users').select('id').execute()).toEqual([]);
    const made = await createFirstAdmin(desk.ctx, { token, name: 'Ada', email: 'Ada@Example.org', password: PASSWORD });
    expect(made.kind).toBe('created');
    if (made.kind !== 'created') return;
    adminId = made.userId;
    adminSession = made.sessionToken;
    const row = await desk.ctx.db.selectFrom('users').selectAll().where('id', '=', made.userId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: 'admin', email: 'ada@example.org', totp_secret: null });
    expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
    expect(await createFirstAdmin(desk.ctx, { token, name: 'Eve', email: 'eve@example.org', password: PASSWORD })).toEqual({ kind: 'invalid_link' });
    expect(await firstAdminLink(desk.ctx)).toBeNull();
    // until TOTP is set up, the admin's session is held at enrolment
    expect((await resolveSession(desk.ctx.db, adminSession, T0))?.stage).toBe('enrolment_needed');
  });

  it('TOTP enrolment: secret sealed in the DB, a wrong code refused, a right one enables it', async () => {
    expect(await startTotpEnrolment(desk.ctx, { userId: adminId })).toEqual({ kind: 'started' });
    const pending = await pendingTotp(desk.ctx, { userId: adminId });
    expect(pending?.uri).toMatch(/^otpauth:\/\/totp\/.+secret=[A-Z2-7]+/);
    const stored = await desk.ctx.db.selectFrom('users').select('totp_secret').where('id', '=', adminId).executeTakeFirstOrThrow();
    expect(stored.totp_secret).toMatch(/^v1\./);
    expect(stored.totp_secret).not.toContain(pending!.secret);
    const session = (await resolveSession(desk.ctx.db, adminSession, T0))!;
    expect(await confirmTotpEnrolment(desk.ctx, { userId: adminId, sessionId: session.sessionId, code: '000000' })).toEqual({ kind: 'wrong_code' });
    const done = await confirmTotpEnrolment(desk.ctx, { userId: adminId, sessionId: session.sessionId, code: await totpCode(pending!.secret, T0) });
    expect(done.kind).toBe('confirmed');
    if (done.kind !== 'confirmed') return;
    expect(await resolveSession(desk.ctx.db, adminSession, T0)).toBeNull(); // replaced
    expect((await resolveSession(desk.ctx.db, done.sessionToken, T0))?.stage).toBe('full');
  });

  it('sign-in with TOTP: a code is good once; the next step\'s code works', async () => {
    const { secret } = await desk.ctx.db.selectFrom('users').select('totp_secret as secret').where('id', '=', adminId).executeTakeFirstOrThrow();
    expect(secret).not.toBeNull();
    const first = await logIn(desk.ctx, { email: 'ADA@example.org ', password: PASSWORD, ip: '10.0.0.1' });
    expect(first.kind).toBe('code_needed');
    if (first.kind !== 'code_needed') return;
    expect((await resolveSession(desk.ctx.db, first.sessionToken, T0))?.stage).toBe('code_needed');
    const plain = (await import('../../src/app/totp-secret.js')).openTotpSecret(desk.ctx.secretKey, adminId, secret!);
    // the enrolment used the code of T0: the same code cannot sign in
    expect(await verifyLoginCode(desk.ctx, { sessionToken: first.sessionToken, code: await totpCode(plain, T0), ip: '10.0.0.1' })).toEqual({ kind: 'failed' });
    const later = new Date(T0.getTime() + 30_000);
    desk.setNow(later);
    const ok = await verifyLoginCode(desk.ctx, { sessionToken: first.sessionToken, code: await totpCode(plain, later), ip: '10.0.0.1' });
    expect(ok.kind).toBe('signed_in');
    // the same code again, on a new sign-in: refused (replay)
    const again = await logIn(desk.ctx, { email: 'ada@example.org', password: PASSWORD, ip: '10.0.0.1' });
    if (again.kind !== 'code_needed') throw new Error(again.kind);
    expect(await verifyLoginCode(desk.ctx, { sessionToken: again.sessionToken, code: await totpCode(plain, later), ip: '10.0.0.1' })).toEqual({ kind: 'failed' });
    desk.setNow(T0);
  });

  it('sessions end after 12 idle hours', async () => {
    const s = await logIn(desk.ctx, { email: 'nobody@example.org', password: PASSWORD, ip: '10.0.0.2' });
    expect(s.kind).toBe('failed');
    const invited = await inviteMember(desk.ctx, { invitedBy: adminId, email: 'idle@example.org', role: 'member' });
    if (invited.kind !== 'invited') throw new Error(invited.kind);
    const made = await acceptInvitation(desk.ctx, { token: tokenOf(invited.url), name: 'Idle', password: PASSWORD });
    if (made.kind !== 'created') throw new Error(made.kind);
    expect(await resolveSession(desk.ctx.db, made.sessionToken, new Date(T0.getTime() + SESSION_IDLE_MS - 1000))).not.toBeNull();
    // the lookup above refreshed activity; twelve hours after it the session is gone
    expect(await resolveSession(desk.ctx.db, made.sessionToken, new Date(T0.getTime() + 2 * SESSION_IDLE_MS))).toBeNull();
    expect(await desk.ctx.db.selectFrom('sessions').select('id_hash').where('user_id', '=', made.userId).execute()).toEqual([]);
  });

  it('activity is written at most once a minute', async () => {
    const invited = await inviteMember(desk.ctx, { invitedBy: adminId, email: 'busy@example.org', role: 'member' });
    if (invited.kind !== 'invited') throw new Error(invited.kind);
    const made = await acceptInvitation(desk.ctx, { token: tokenOf(invited.url), name: 'Busy', password: PASSWORD });
    if (made.kind !== 'created') throw new Error(made.kind);
    const lastActive = async () => (await desk.ctx.db.selectFrom('users').select('last_active_at').where('id', '=', made.userId).executeTakeFirstOrThrow()).last_active_at;
    expect(await lastActive()).toEqual(T0);
    await resolveSession(desk.ctx.db, made.sessionToken, new Date(T0.getTime() + 59_000));
    expect(await lastActive()).toEqual(T0);
    await resolveSession(desk.ctx.db, made.sessionToken, new Date(T0.getTime() + 61_000));
    expect(await lastActive()).toEqual(new Date(T0.getTime() + 61_000));
  });

  it('a session in daily use still ends 7 days after sign-in', async () => {
    const s = await logIn(desk.ctx, { email: 'busy@example.org', password: PASSWORD, ip: '10.0.0.4' });
    if (s.kind !== 'signed_in') throw new Error(s.kind);
    let t = T0.getTime();
    for (; t < T0.getTime() + SESSION_MAX_MS - 11 * 3600_000; t += 11 * 3600_000) expect(await resolveSession(desk.ctx.db, s.sessionToken, new Date(t))).not.toBeNull();
    expect(await resolveSession(desk.ctx.db, s.sessionToken, new Date(T0.getTime() + SESSION_MAX_MS + 1000))).toBeNull();
  });

  it('invitations: one use, expire after 7 days, coordinators get their report', async () => {
    const a = await inviteMember(desk.ctx, { invitedBy: adminId, email: 'mia@example.org', role: 'member' });
    if (a.kind !== 'invited') throw new Error(a.kind);
    expect(a.expiresAt.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    const used = await acceptInvitation(desk.ctx, { token: tokenOf(a.url), name: 'Mia', password: PASSWORD });
    expect(used.kind).toBe('created');
    expect(await acceptInvitation(desk.ctx, { token: tokenOf(a.url), name: 'Mia 2', password: PASSWORD })).toEqual({ kind: 'invalid_link' });

    const b = await inviteMember(desk.ctx, { invitedBy: adminId, email: 'late@example.org', role: 'member' });
    if (b.kind !== 'invited') throw new Error(b.kind);
    desk.setNow(new Date(T0.getTime() + 7 * 24 * 3600_000 + 1000));
    expect(await acceptInvitation(desk.ctx, { token: tokenOf(b.url), name: 'Late', password: PASSWORD })).toEqual({ kind: 'invalid_link' });
    desk.setNow(T0);

    expect(await inviteMember(desk.ctx, { invitedBy: adminId, email: 'up@example.org', role: 'coordinator' })).toMatchObject({ kind: 'invalid', problems: [{ field: 'report' }] });
    expect(await inviteMember(desk.ctx, { invitedBy: adminId, email: 'not-an-email', role: 'member' })).toMatchObject({ kind: 'invalid', problems: [{ field: 'email' }] });
  });

  it('the last admin can be neither removed nor demoted; removal ends sessions and frees nothing else', async () => {
    const members = (await listMembers(desk.ctx)).members;
    const mia = members.find((m) => m.email === 'mia@example.org')!;
    expect(await changeRole(desk.ctx, { actorId: adminId, userId: adminId, role: 'member' })).toEqual({ kind: 'last_admin' });
    expect(await removeMember(desk.ctx, { actorId: mia.id, userId: adminId })).toEqual({ kind: 'last_admin' });
    expect(await removeMember(desk.ctx, { actorId: adminId, userId: adminId })).toEqual({ kind: 'self' });
    const live = await logIn(desk.ctx, { email: 'mia@example.org', password: PASSWORD, ip: '10.0.0.3' });
    if (live.kind !== 'signed_in') throw new Error(live.kind);
    expect(await removeMember(desk.ctx, { actorId: adminId, userId: mia.id })).toEqual({ kind: 'removed', endedSessions: 2 });
    expect(await resolveSession(desk.ctx.db, live.sessionToken, T0)).toBeNull();
    expect((await logIn(desk.ctx, { email: 'mia@example.org', password: PASSWORD, ip: '10.0.0.3' })).kind).toBe('failed');
    // invited again later, the same row comes back (the e-mail is unique), with a new password and no 2FA
    const again = await inviteMember(desk.ctx, { invitedBy: adminId, email: 'mia@example.org', role: 'member' });
    if (again.kind !== 'invited') throw new Error(again.kind);
    const back = await acceptInvitation(desk.ctx, { token: tokenOf(again.url), name: 'Mia B.', password: 'another fine passphrase' });
    expect(back).toMatchObject({ kind: 'created', userId: mia.id });
  });

  it('every change is in the audit log, and no password is', async () => {
    const rows = await desk.ctx.db.selectFrom('audit_log').select(['action', 'detail']).orderBy('seq').execute();
    const actions = rows.map((r) => r.action);
    for (const a of ['member.create_first_admin', 'account.totp_enrolment_started', 'account.totp_enabled', 'session.login', 'session.login_failed', 'member.invite', 'member.join', 'member.remove']) expect(actions).toContain(a);
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });
});
