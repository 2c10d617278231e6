import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { openTestDatabaseTwice } from '../support/database.js';
import { postForm, type Part } from '../support/reporter.js';
import { createMember } from '../support/team.js';

// 10:00:20 UTC: every window of a whole number of minutes ends 40 s (or more) from now.
const NOW = new Date('2026-11-23T10:00:20Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);

const formParts = (title: string): Part[] =>
  Object.entries({ title, image: 'docker.io/mautic/mautic', tag: '5.2.1-apache', description: 'The build copies .env into a layer.', language: 'en' }).map(([name, value]) => ({ name, value }));
const apiReport = (title: string) => JSON.stringify({ title, image: 'docker.io/mautic/mautic', tag: '5.2.1-apache', description: 'The entrypoint creates admin/admin.' });

const reportCount = async (desk: TestDesk) => Number((await desk.ctx.db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const counterRows = async (desk: TestDesk) => desk.ctx.db.selectFrom('rate_limit_counters').select(['key', 'count']).execute();

const submitApi = (desk: TestDesk, ip: string, title = 'Flood') =>
  desk.app.inject({ method: 'POST', url: '/api/v1/reports', payload: apiReport(title), headers: { 'content-type': 'application/json' }, remoteAddress: ip });
/** The form page (not limited) and its post, from one address. */
const submitForm = async (desk: TestDesk, ip: string, title = 'Flood') => (await postForm(desk.app, '/report', '/report', formParts(title), { ip })).res;

/** A limit's 429: status, Retry-After (whole seconds, ≤ the window) and no stack trace. */
function expectLimited(r: { statusCode: number; headers: Record<string, unknown>; body: string }, retryAfter: number) {
  expect(r.statusCode).toBe(429);
  expect(r.headers['retry-after']).toBe(String(retryAfter));
  expect(r.headers['cache-control']).toBe('no-store');
  expect(r.body).not.toMatch(/at .*\.(ts|js):\d+/);
}

describe('report submission limits (form and API share them)', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW, env: { CVDESK_LIMIT_SUBMIT_PER_ADDRESS: '2', CVDESK_LIMIT_SUBMIT_OVERALL: '5', CVDESK_LIMIT_SUBMIT_WINDOW_SECONDS: '60' } });
  });
  afterAll(() => desk?.close());

  it('per address: the third report from one address in the window is a 429 that stores nothing; other addresses go on', async () => {
    expect((await submitApi(desk, '192.0.2.1')).statusCode).toBe(201);
    expect((await submitForm(desk, '192.0.2.1')).statusCode).toBe(201);
    const before = await reportCount(desk);

    const api = await submitApi(desk, '192.0.2.1', 'Refused one');
    expectLimited(api, 40);
    expect(api.headers['content-type']).toMatch(/^application\/json/);
    expect(api.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('Too many reports from your address.') } });
    expect(api.json().error.message).toContain('try again in 40 seconds');

    const form = await submitForm(desk, '192.0.2.1', 'Refused too');
    expectLimited(form, 40);
    expect(form.headers['content-type']).toMatch(/^text\/html/);
    expect(form.body).toContain('Too many requests');
    expect(form.body).toContain('as many reports from your network as it accepts');
    expect(form.body).toContain('Your report was not stored.');
    expect(form.body).toContain('Please try again in 40 seconds.');
    expect(await reportCount(desk)).toBe(before);
    expect(JSON.stringify(await desk.ctx.db.selectFrom('reports').select('title').execute())).not.toMatch(/Refused/);

    expect((await submitApi(desk, '192.0.2.2')).statusCode).toBe(201); // another address is not affected
  });

  it('overall: all addresses together get no more than the overall limit; the refusal says so', async () => {
    expect((await submitApi(desk, '192.0.2.3')).statusCode).toBe(201);
    expect((await submitApi(desk, '192.0.2.4')).statusCode).toBe(201); // 5 in this window
    const before = await reportCount(desk);
    const api = await submitApi(desk, '192.0.2.5');
    expectLimited(api, 40);
    expect(api.json().error.message).toContain('The desk is receiving more reports than it accepts right now.');
    const form = await submitForm(desk, '192.0.2.6');
    expectLimited(form, 40);
    expect(form.body).toContain('receiving more reports than it accepts');
    expect(await reportCount(desk)).toBe(before);
  });

  it('a refused key is remembered until its window ends: the flood costs no further counting in the database', async () => {
    const overall = async () => (await counterRows(desk)).find((r) => r.key === 'submit:*')!.count;
    const counted = await overall();
    for (let i = 0; i < 5; i++) expect((await submitApi(desk, `198.51.100.${i + 1}`)).statusCode).toBe(429);
    expect(await overall()).toBe(counted);
    // the address keys are keyed hashes: no client address is stored
    expect(JSON.stringify(await counterRows(desk))).not.toMatch(/192\.0\.2|198\.51\.100/);
  });

  it('the window resets: the next minute accepts again, and the ended window is dropped from the table', async () => {
    desk.setNow(later(40_000)); // 10:01:00, the next window
    expect((await submitApi(desk, '192.0.2.1')).statusCode).toBe(201);
    expect((await submitApi(desk, '192.0.2.5')).statusCode).toBe(201);
    const rows = await desk.ctx.db.selectFrom('rate_limit_counters').select(['window_start']).execute();
    expect(rows.every((r) => new Date(r.window_start).getTime() === later(40_000).getTime())).toBe(true);
    desk.setNow(NOW);
  });
});

describe('IPv6 clients and proxies', () => {
  let desk: TestDesk;
  let proxied: TestDesk;
  beforeAll(async () => {
    const env = { CVDESK_LIMIT_SUBMIT_PER_ADDRESS: '1', CVDESK_LIMIT_SUBMIT_OVERALL: '100' };
    desk = await startTestDesk({ now: NOW, env });
    proxied = await startTestDesk({ now: NOW, env: { ...env, CVDESK_TRUST_PROXY: '1' } });
  });
  afterAll(async () => {
    await desk?.close();
    await proxied?.close();
  });

  it('counts an IPv6 client per /64: another address in the same /64 is limited, the next /64 is not', async () => {
    expect((await submitApi(desk, '2001:db8:1:2::1')).statusCode).toBe(201);
    expect((await submitApi(desk, '2001:db8:1:2:ffff:eeee:dddd:cccc')).statusCode).toBe(429);
    expect((await submitApi(desk, '2001:db8:1:3::1')).statusCode).toBe(201);
    expect((await submitApi(desk, '::ffff:192.0.2.80')).statusCode).toBe(201);
    expect((await submitApi(desk, '192.0.2.80')).statusCode).toBe(429); // the same client over IPv4
  });

  it('without CVDESK_TRUST_PROXY, X-Forwarded-For is ignored', async () => {
    const send = (xff: string) => desk.app.inject({ method: 'POST', url: '/api/v1/reports', payload: apiReport('Behind a proxy'), headers: { 'content-type': 'application/json', 'x-forwarded-for': xff }, remoteAddress: '203.0.113.9' });
    expect((await send('10.0.0.1')).statusCode).toBe(201);
    expect((await send('10.0.0.2')).statusCode).toBe(429);
  });

  it('behind one proxy the client is the address the proxy appended; what the client sent itself is not believed', async () => {
    const send = (xff: string) => proxied.app.inject({ method: 'POST', url: '/api/v1/reports', payload: apiReport('Behind a proxy'), headers: { 'content-type': 'application/json', 'x-forwarded-for': xff }, remoteAddress: '127.0.0.1' });
    expect((await send('203.0.113.10')).statusCode).toBe(201);
    expect((await send('1.1.1.1, 203.0.113.10')).statusCode).toBe(429); // a forged entry on the left changes nothing
    expect((await send('203.0.113.11')).statusCode).toBe(201);
  });
});

describe("the reporter's view and replies", () => {
  let desk: TestDesk;
  let token: string;
  beforeAll(async () => {
    desk = await startTestDesk({
      now: NOW,
      env: { CVDESK_POLICY: 'examples/policies/ozg-security-scanner.yaml', CVDESK_LIMIT_REPORTER_PER_ADDRESS: '4', CVDESK_LIMIT_REPORTER_OVERALL: '8', CVDESK_LIMIT_REPORTER_WINDOW_SECONDS: '120', CVDESK_LIMIT_REPLY_PER_ADDRESS: '1' },
    });
    const r = await desk.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: JSON.stringify({ title: 'Scanner leaks', image: 'registry.opencode.de/bmi/ozg-rahmenarchitektur/ozgsec/ozgsec-best-practice-scanner', tag: 'latest', description: 'Something leaks.' }),
      headers: { 'content-type': 'application/json' },
      remoteAddress: '192.0.2.200',
    });
    expect(r.statusCode).toBe(201);
    token = r.json().token;
  });
  afterAll(() => desk?.close());

  const api = (ip: string, method: 'GET' | 'POST' = 'GET', url = '/api/v1/reporter/report', payload?: unknown) =>
    desk.app.inject({ method, url, remoteAddress: ip, headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) }, ...(payload ? { payload: JSON.stringify(payload) } : {}) });

  it('reporter pages and the reporter API count together per address; the page answers in German, the API in JSON', async () => {
    expect((await api('192.0.2.30')).statusCode).toBe(200);
    const link = await desk.app.inject({ url: `/r/${token}`, remoteAddress: '192.0.2.30' });
    expect(link.statusCode).toBe(303);
    const cookie = String(link.headers['set-cookie']).split(';')[0]!;
    expect((await desk.app.inject({ url: '/report/status', headers: { cookie }, remoteAddress: '192.0.2.30' })).statusCode).toBe(200);
    // the reply counts as a reporter request and as a message
    expect((await api('192.0.2.30', 'POST', '/api/v1/reporter/messages', { body: 'More details.' })).statusCode).toBe(201);

    const page = await desk.app.inject({ url: '/report/status', headers: { cookie, 'accept-language': 'de' }, remoteAddress: '192.0.2.30' });
    expectLimited(page, 100); // 10:00:20 in a two-minute window that ends 10:02:00
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<html lang="de"');
    expect(page.body).toContain('Zu viele Anfragen');
    expect(page.body).toContain('Bitte versuchen Sie es in 2 Minuten erneut.');
    const json = await api('192.0.2.30');
    expectLimited(json, 100);
    expect(json.json().error.code).toBe('rate_limited');

    expect((await api('192.0.2.31')).statusCode).toBe(200); // another address
  });

  it('a second message from one address is refused by the reply limit and not stored', async () => {
    const before = await desk.ctx.db.selectFrom('messages').select('id').execute();
    expect((await api('192.0.2.32', 'POST', '/api/v1/reporter/messages', { body: 'Second message.' })).statusCode).toBe(201);
    const refused = await api('192.0.2.32', 'POST', '/api/v1/reporter/messages', { body: 'Third message.' });
    expectLimited(refused, 880); // the reply window: 15 minutes from 10:00:00
    expect(refused.json().error.message).toContain('Too many messages from your address.');
    expect((await desk.ctx.db.selectFrom('messages').select('id').execute()).length).toBe(before.length + 1);
  });

  it('overall: the reporter surface refuses everyone once all addresses together reach the limit', async () => {
    // counted overall so far: .30 ×4 (its refusals are not), .31, .32 ×2 → 7 of 8
    expect((await api('192.0.2.40')).statusCode).toBe(200);
    expect((await api('192.0.2.41')).statusCode).toBe(429);
    const r = await api('192.0.2.50');
    expectLimited(r, 100);
    expect(r.json().error.message).toContain('The desk is receiving more requests than it answers right now.');
    desk.setNow(later(100_000));
    expect((await api('192.0.2.50')).statusCode).toBe(200);
    desk.setNow(NOW);
  });
});

describe('sign-in limits', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW, env: { CVDESK_LIMIT_LOGIN_PER_ADDRESS: '3', CVDESK_LIMIT_LOGIN_OVERALL: '5', CVDESK_LIMIT_LOGIN_WINDOW_SECONDS: '300' } });
  });
  afterAll(() => desk?.close());

  const loginPage = (ip: string) => desk.app.inject({ url: '/team/login', remoteAddress: ip });

  it('per address: the sign-in page and its posts count together; a refused post checks no password and records nothing', async () => {
    const member = await createMember(desk, { role: 'member' });
    expect((await loginPage('192.0.2.60')).statusCode).toBe(200);
    const page = await loginPage('192.0.2.60');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const post = (password: string) =>
      desk.app.inject({ method: 'POST', url: '/team/login', remoteAddress: '192.0.2.60', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, email: member.email, password }).toString() });
    expect((await post('a wrong password')).statusCode).toBe(401);
    const attempts = await desk.ctx.db.selectFrom('login_attempts').select('id').execute();
    const audit = await desk.ctx.db.selectFrom('audit_log').select('seq').execute();

    const refused = await post(member.password); // even the right password
    expectLimited(refused, 280);
    expect(refused.body).toContain('Too many sign-in requests came from your network');
    expect(refused.body).toContain('Please try again in 5 minutes.');
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect((await desk.ctx.db.selectFrom('login_attempts').select('id').execute()).length).toBe(attempts.length);
    expect((await desk.ctx.db.selectFrom('audit_log').select('seq').execute()).length).toBe(audit.length);
    expectLimited(await desk.app.inject({ url: '/team/login/code', remoteAddress: '192.0.2.60' }), 280);

    expect((await loginPage('192.0.2.61')).statusCode).toBe(200); // another address
  });

  it('overall: many addresses together get the overall limit, JSON clients get JSON', async () => {
    expect((await loginPage('192.0.2.62')).statusCode).toBe(200); // 5 counted: .60 ×3 (not its refusals), .61, .62
    const r = await desk.app.inject({ url: '/team/login', remoteAddress: '192.0.2.63', headers: { accept: 'application/json' } });
    expectLimited(r, 280);
    expect(r.json().error).toEqual({ code: 'rate_limited', message: expect.stringContaining('more sign-in requests than it answers') });
    // team pages of a signed-in member are not part of the surface
    expect((await desk.app.inject({ url: '/team', remoteAddress: '192.0.2.63' })).statusCode).toBe(303);
  });
});

describe('the failed-sign-in throttle', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW });
  });
  afterAll(() => desk?.close());

  it('also says when to retry', async () => {
    const loginPage = (ip: string) => desk.app.inject({ url: '/team/login', remoteAddress: ip });
    const member = await createMember(desk, { role: 'member' });
    let last = { statusCode: 0, headers: {} as Record<string, unknown> };
    for (let i = 0; i < 6; i++) {
      const ip = `198.51.100.${i + 1}`;
      const page = await loginPage(ip);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const cookie = String(page.headers['set-cookie']).split(';')[0]!;
      last = await desk.app.inject({ method: 'POST', url: '/team/login', remoteAddress: ip, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, email: member.email, password: `wrong ${i}` }).toString() });
    }
    expect(last.statusCode).toBe(429);
    expect(last.headers['retry-after']).toBe('900');
  });
});

describe('two desk processes on one database', () => {
  let a: TestDesk;
  let b: TestDesk;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const twice = await openTestDatabaseTwice();
    close = twice.close;
    const env = { CVDESK_LIMIT_SUBMIT_PER_ADDRESS: '2', CVDESK_LIMIT_SUBMIT_OVERALL: '3' };
    a = await startTestDesk({ now: NOW, env, database: twice.database });
    b = await startTestDesk({ now: NOW, env, database: twice.other });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await close?.();
  });

  it('share the counters: the per-address and the overall limits hold across both', async () => {
    expect((await submitApi(a, '192.0.2.90')).statusCode).toBe(201);
    expect((await submitApi(b, '192.0.2.90')).statusCode).toBe(201);
    expect((await submitApi(a, '192.0.2.90')).statusCode).toBe(429);
    expect((await submitApi(b, '192.0.2.91')).statusCode).toBe(201); // 3 overall
    expect((await submitApi(a, '192.0.2.92')).statusCode).toBe(429);
    expect((await submitApi(b, '192.0.2.93')).statusCode).toBe(429);
    expect(await reportCount(a)).toBe(3);
  });
});
