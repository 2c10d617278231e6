import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/adapters/crypto/totp.js';
import { firstAdminLink } from '../../src/app/first-admin-link.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { anonymousCsrf, createMember, csrfFieldOf, loginAs, setCookie, TEST_PASSWORD, type TestMember } from '../support/team.js';

const T0 = new Date('2026-11-23T10:00:00Z');
const ADMIN_PASSWORD = 'quartz meadow violin eleven';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('team sign-in, first admin, sessions', () => {
  let desk: TestDesk;
  /** Secrets this file handles; none may ever appear in a log line. */
  const secrets: string[] = [ADMIN_PASSWORD, TEST_PASSWORD];
  /** TOTP codes are six digits, which a log's timestamps may contain by chance: looked for as values. */
  const codes: string[] = [];
  beforeAll(async () => {
    desk = await startTestDesk({ now: T0 });
  });
  afterAll(() => desk?.close());

  const post = (url: string, fields: Record<string, string>, cookie: string, headers: Record<string, string> = {}) =>
    desk.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: form(fields) });

  let admin: { cookie: string; csrf: string; secret: string } | null = null;

  it('the first-admin link creates an admin once, then leads straight to TOTP enrolment', async () => {
    const link = await firstAdminLink(desk.ctx);
    const path = new URL(link!).pathname;
    secrets.push(path.split('/').at(-1)!);
    const page = await desk.app.inject(path);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const csrf = csrfFieldOf(page.body);
    const csrfCookie = `cvdesk_csrf=${setCookie(page, 'cvdesk_csrf')}`;

    const noCsrf = await post(path, { name: 'Ada', email: 'ada@example.org', password: ADMIN_PASSWORD }, csrfCookie);
    expect(noCsrf.statusCode).toBe(403);
    const weak = await post(path, { _csrf: csrf, name: 'Ada', email: 'ada@example.org', password: 'password1234' }, csrfCookie);
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('on every list attackers try first');
    expect(weak.body).toContain('value="ada@example.org"'); // input kept
    expect(await desk.ctx.db.selectFrom('users').select('id').execute()).toEqual([]);

    const made = await post(path, { _csrf: csrf, name: 'Ada', email: 'ada@example.org', password: ADMIN_PASSWORD }, csrfCookie);
    expect(made.statusCode).toBe(303);
    expect(made.headers.location).toBe('/team/account');
    const setCookieHeader = [made.headers['set-cookie']].flat().find((c) => String(c).startsWith('cvdesk_session='))!;
    expect(setCookieHeader).toMatch(/; HttpOnly/);
    expect(setCookieHeader).toMatch(/; Secure/); // the test desk's base URL is https
    expect(setCookieHeader).toMatch(/; SameSite=Lax/);
    expect(setCookieHeader).toMatch(/; Path=\//);
    const session = setCookie(made, 'cvdesk_session')!;
    secrets.push(session);
    const cookie = `${csrfCookie}; cvdesk_session=${session}`;

    const row = await desk.ctx.db.selectFrom('users').select(['role', 'password_hash']).executeTakeFirstOrThrow();
    expect(row.role).toBe('admin');
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await desk.ctx.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', session).execute()).toEqual([]); // only the hash is stored

    const account = await desk.app.inject({ url: '/team/account', headers: { cookie } });
    expect(account.statusCode).toBe(200);
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(account.body)![1]!;
    expect(account.body).toContain('otpauth://totp/');
    secrets.push(secret);
    admin = { cookie, csrf, secret };

    // used: the link is dead now, for GET and POST alike
    expect((await desk.app.inject(path)).statusCode).toBe(404);
    expect((await post(path, { _csrf: csrf, name: 'Eve', email: 'eve@example.org', password: ADMIN_PASSWORD }, csrfCookie)).statusCode).toBe(404);
    expect(await desk.ctx.db.selectFrom('users').select('email').execute()).toEqual([{ email: 'ada@example.org' }]);
  });

  it('an admin without TOTP reaches only the account page until a code confirms it', async () => {
    const { cookie, csrf, secret } = admin!;
    const members = await desk.app.inject({ url: '/team/members', headers: { cookie } });
    expect(members.statusCode).toBe(303);
    expect(members.headers.location).toBe('/team/account');
    expect((await desk.app.inject({ url: '/team/members', headers: { cookie, accept: 'application/json' } })).statusCode).toBe(403);
    expect((await post('/team/members/invite', { _csrf: csrf, email: 'x@example.org', role: 'member' }, cookie)).statusCode).toBe(403);

    const wrong = await post('/team/account/totp/confirm', { _csrf: csrf, code: '000000' }, cookie);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That code is not right');
    const code = await totpCode(secret, T0);
    codes.push(code);
    const ok = await post('/team/account/totp/confirm', { _csrf: csrf, code }, cookie);
    expect(ok.statusCode).toBe(303);
    const fresh = setCookie(ok, 'cvdesk_session')!;
    secrets.push(fresh);
    const cookie2 = `cvdesk_csrf=${/cvdesk_csrf=([^;]+)/.exec(cookie)![1]}; cvdesk_session=${fresh}`;
    expect((await desk.app.inject({ url: '/team/members', headers: { cookie: cookie2 } })).statusCode).toBe(200);
    // the session that had no second factor was replaced
    expect((await desk.app.inject({ url: '/team/account', headers: { cookie } })).statusCode).toBe(303);
    admin = { ...admin!, cookie: cookie2 };
    // and admins cannot turn it off
    const off = await post('/team/account/totp/disable', { _csrf: csrf, password: ADMIN_PASSWORD }, cookie2);
    expect(off.statusCode).toBe(403);
  });

  it('sign-in with password and TOTP; a wrong password and an unknown e-mail get the same answer', async () => {
    const { csrf, cookie } = await anonymousCsrf(desk);
    const normal = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, '').replace(/value="[^"]*@example\.org"/g, '');
    const wrongPassword = await post('/team/login', { _csrf: csrf, email: 'ada@example.org', password: 'not the password at all' }, cookie);
    const unknown = await post('/team/login', { _csrf: csrf, email: 'nobody@example.org', password: 'not the password at all' }, cookie);
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(normal(unknown.body)).toBe(normal(wrongPassword.body));
    expect(unknown.body).toContain('The e-mail address or the password is not right.');

    const signIn = await post('/team/login', { _csrf: csrf, email: 'Ada@Example.org', password: ADMIN_PASSWORD, next: '/team/members' }, cookie);
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe('/team/login/code?next=%2Fteam%2Fmembers');
    const pending = `${cookie}; cvdesk_session=${setCookie(signIn, 'cvdesk_session')}`;
    // half signed in: no team page yet
    expect((await desk.app.inject({ url: '/team/members', headers: { cookie: pending } })).headers.location).toBe('/team/login/code?next=%2Fteam%2Fmembers');
    const later = new Date(T0.getTime() + 30_000);
    desk.setNow(later);
    const code = await totpCode(admin!.secret, later);
    codes.push(code);
    const done = await post('/team/login/code', { _csrf: csrf, code, next: '/team/members' }, pending);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/team/members');
    const full = `${cookie}; cvdesk_session=${setCookie(done, 'cvdesk_session')}`;
    expect((await desk.app.inject({ url: '/team/members', headers: { cookie: full } })).statusCode).toBe(200);

    // the same code cannot be used for another sign-in (replay)
    const again = await post('/team/login', { _csrf: csrf, email: 'ada@example.org', password: ADMIN_PASSWORD }, cookie);
    const replay = await post('/team/login/code', { _csrf: csrf, code }, `${cookie}; cvdesk_session=${setCookie(again, 'cvdesk_session')}`);
    expect(replay.statusCode).toBe(401);
    desk.setNow(T0);

    const audit = await desk.ctx.db.selectFrom('audit_log').select(['action', 'detail']).where('action', 'like', 'session.%').execute();
    expect(audit.filter((a) => a.action === 'session.login_failed').length).toBeGreaterThanOrEqual(3);
    expect(audit.some((a) => a.action === 'session.login')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain('not the password at all');
  });

  it('after sign-in goes only to a path of this site (no open redirect)', async () => {
    const member = await createMember(desk, { role: 'member' });
    const { csrf, cookie } = await anonymousCsrf(desk);
    for (const [next, expected] of [
      ['/team/account?x=1', '/team/account?x=1'],
      ['//evil.example/x', '/team'],
      ['https://evil.example/', '/team'],
      ['/\\evil.example', '/team'],
      ['javascript:alert(1)', '/team'],
    ] as const) {
      const r = await post('/team/login', { _csrf: csrf, email: member.email, password: member.password, next }, cookie);
      expect(r.headers.location, next).toBe(expected);
    }
    const page = await desk.app.inject('/team/login?next=%2F%2Fevil.example');
    expect(page.body).toContain('name="next" value="/team"');
  });

  it('a NUL or other control character in any sign-in field is a failed sign-in, never an error', async () => {
    const { csrf, cookie } = await anonymousCsrf(desk);
    const from = { remoteAddress: '203.0.113.40' };
    const send = (url: string, fields: Record<string, string>) =>
      desk.app.inject({ method: 'POST', url, ...from, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrf, ...fields }) });
    for (const email of ['\u0000', 'ada\u0000@example.org', 'ada@example.org\u001b']) {
      const r = await send('/team/login', { email, password: ADMIN_PASSWORD });
      expect(r.statusCode, JSON.stringify(email)).toBe(401);
      expect(r.body).toContain('The e-mail address or the password is not right.');
    }
    expect((await send('/team/login', { email: 'nobody@example.org', password: 'pass\u0000word' })).statusCode).toBe(401);
    expect((await send('/team/login/code', { code: '\u0000' })).statusCode).toBe(303); // no sign-in is pending
    for (const path of ['/team/invite/%00', '/team/setup/%00']) expect((await send(path, { name: '\u0000', email: '\u0000', password: '\u0000' })).statusCode).toBeLessThan(500);
    // the failures were recorded, with the control characters made visible
    const failed = await desk.ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'session.login_failed').execute();
    expect(JSON.stringify(failed)).toContain('ada\ufffd@example.org');
  });

  it('a signed-out visitor is sent to the sign-in page from pages, and gets 401 elsewhere', async () => {
    const page = await desk.app.inject('/team/account');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/team/login?next=%2Fteam%2Faccount');
    const json = await desk.app.inject({ url: '/team/account', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(401);
    const { csrf, cookie } = await anonymousCsrf(desk);
    expect((await post('/team/account/password', { _csrf: csrf, current: 'x', next: 'y' }, cookie)).statusCode).toBe(401);
    // a stale cookie is cleared
    const stale = await desk.app.inject({ url: '/team/account', headers: { cookie: 'cvdesk_session=forged' } });
    expect(String(stale.headers['set-cookie'])).toMatch(/cvdesk_session=;/);
  });

  it('throttles sign-in: 5 failures for one e-mail, 20 from one IP, in 15 minutes → 429 until the window passes', async () => {
    const member = await createMember(desk, { role: 'member' });
    const { csrf, cookie } = await anonymousCsrf(desk);
    const attempt = (email: string, password: string, ip = '192.0.2.10') =>
      desk.app.inject({ method: 'POST', url: '/team/login', remoteAddress: ip, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrf, email, password }) });
    for (let i = 0; i < 5; i++) expect((await attempt(member.email, `wrong guess number ${i}`)).statusCode).toBe(401);
    const blocked = await attempt(member.email, member.password, '192.0.2.99'); // even right, even from elsewhere
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('Too many failed sign-ins');
    desk.setNow(new Date(T0.getTime() + 14 * 60_000));
    expect((await attempt(member.email, member.password, '192.0.2.99')).statusCode).toBe(429);
    desk.setNow(new Date(T0.getTime() + 15 * 60_000 + 1000));
    expect((await attempt(member.email, member.password, '192.0.2.99')).statusCode).toBe(303);

    // per IP: 20 failures over many e-mails block that IP only
    for (let i = 0; i < 20; i++) expect((await attempt(`guess${i}@example.org`, 'wrong password here', '198.51.100.7')).statusCode).toBe(401);
    expect((await attempt(member.email, member.password, '198.51.100.7')).statusCode).toBe(429);
    expect((await attempt(member.email, member.password, '198.51.100.8')).statusCode).toBe(303);
    desk.setNow(T0);
  });

  it('sign-out needs the CSRF token, ends the session, and clears the cookie', async () => {
    const member = await createMember(desk, { role: 'member' });
    const as = await loginAs(desk, member);
    const forged = await desk.app.inject({ method: 'POST', url: '/team/logout', headers: { cookie: as.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(forged.statusCode).toBe(403);
    expect((await as.get('/team/account')).statusCode).toBe(200);
    const out = await as.post('/team/logout');
    expect(out.statusCode).toBe(303);
    expect(String(out.headers['set-cookie'])).toMatch(/cvdesk_session=;/);
    expect((await as.get('/team/account')).statusCode).toBe(303);
    expect(await desk.ctx.db.selectFrom('sessions').select('id_hash').where('user_id', '=', member.id).execute()).toEqual([]);
  });

  it('changing the password ends the other sessions; the account page works for members', async () => {
    const member: TestMember = await createMember(desk, { role: 'member' });
    const here = await loginAs(desk, member);
    const elsewhere = await loginAs(desk, member);
    const weak = await here.post('/team/account/password', { current: member.password, next: 'short' });
    expect(weak.statusCode).toBe(400);
    const ok = await here.post('/team/account/password', { current: member.password, next: 'saffron glacier tuesday' });
    expect(ok.statusCode).toBe(303);
    secrets.push('saffron glacier tuesday');
    expect((await here.get('/team/account')).statusCode).toBe(200);
    expect((await elsewhere.get('/team/account')).statusCode).toBe(303);
  });

  it('a member may turn TOTP on and off again (with the password)', async () => {
    const member = await createMember(desk, { role: 'member' });
    const as = await loginAs(desk, member);
    expect((await as.post('/team/account/totp/start')).statusCode).toBe(303);
    const page = await as.get('/team/account');
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page.body)![1]!;
    secrets.push(secret);
    const on = await as.post('/team/account/totp/confirm', { code: await totpCode(secret, T0) });
    expect(on.statusCode).toBe(303);
    const cookie = as.cookie.replace(/cvdesk_session=[^;]+/, `cvdesk_session=${setCookie(on, 'cvdesk_session')}`);
    const send = (fields: Record<string, string>) => post('/team/account/totp/disable', { _csrf: as.csrf, ...fields }, cookie);
    expect((await send({ password: 'not my password' })).statusCode).toBe(400);
    expect((await send({ password: member.password })).statusCode).toBe(303);
    expect(await desk.ctx.db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', member.id).executeTakeFirst()).toEqual({ totp_secret: null, totp_enabled_at: null });
  });

  it('with an http base URL the session cookie is not Secure', async () => {
    const plain = await startTestDesk({ now: T0, env: { CVDESK_BASE_URL: 'http://localhost:8080' } });
    try {
      const member = await createMember(plain, { role: 'member' });
      const { csrf, cookie } = await anonymousCsrf(plain);
      const r = await plain.app.inject({ method: 'POST', url: '/team/login', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrf, email: member.email, password: member.password }) });
      const c = [r.headers['set-cookie']].flat().find((x) => String(x).startsWith('cvdesk_session='))!;
      expect(c).toMatch(/HttpOnly/);
      expect(c).toMatch(/SameSite=Lax/);
      expect(c).not.toMatch(/Secure/);
    } finally {
      await plain.close();
    }
  });

  it('no password, TOTP secret or code, session token or setup link ever reaches the log', () => {
    const text = desk.logs.join('\n');
    expect(text.length).toBeGreaterThan(0);
    expect(text).toContain('/team/setup/[redacted]');
    for (const s of secrets) expect(text, s.slice(0, 4)).not.toContain(s);
    expect(codes.length).toBe(2);
    for (const c of codes) expect(text).not.toMatch(new RegExp(`["=:]\\s*"?${c}\\b`));
  });
});
