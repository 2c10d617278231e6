import { sql } from 'kysely';
import { hashToken } from '../../src/app/tokens.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { cookieHeader, cookiesOf, csrfOf, everyValue, freshIp, multipart, postForm, trackingLinkOf, type Part } from '../support/reporter.js';

const NOW = new Date('2026-11-23T10:00:00Z'); // a Monday
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

const reportParts = (over: Record<string, string> = {}): Part[] =>
  Object.entries({
    title: 'Secrets left in the image layers',
    image: 'docker.io/mautic/mautic',
    tag: '5.2.1-apache',
    description: 'The build copies .env into a layer; docker history shows it.',
    steps: '1. docker pull\n2. docker save | tar x',
    impact: 'Database credentials of every deployment.',
    cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
    reporterName: 'Rita Reporter',
    reporterEmail: 'rita@example.org',
    credit: 'name',
    creditName: 'Rita R.',
    language: 'en',
    ...over,
  }).map(([name, value]) => ({ name, value }));

async function reportCount(desk: TestDesk): Promise<number> {
  return Number((await desk.ctx.db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

/** Every value in every table of the desk, as one text. */
async function wholeDatabase(desk: TestDesk): Promise<string> {
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(desk.ctx.db);
  expect(tables.rows.map((t) => t.table_name)).toEqual(expect.arrayContaining(['reports', 'messages', 'audit_log', 'report_events']));
  const dumps: string[] = [];
  for (const t of tables.rows) dumps.push(everyValue((await sql`select * from ${sql.table(t.table_name)}`.execute(desk.ctx.db)).rows));
  return dumps.join('\n');
}

describe('a reporter files a report with the form and follows it', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW });
  });
  afterAll(() => desk?.close());

  it('the form shows the scope guidance, the SLA promise and the note on anonymity and credit beside it', async () => {
    const r = await desk.app.inject('/report');
    expect(r.statusCode).toBe(200);
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.body).toContain('enctype="multipart/form-data"');
    expect(csrfOf(r.body)).toMatch(/.{20,}/);
    expect(r.body).toContain('Docker image configuration'); // in scope
    expect(r.body).toContain('Mautic core application vulnerabilities'); // out of scope, with its upstream contact:
    expect(r.body).toContain('<a href="https://github.com/mautic/mautic/security/advisories/new" rel="noreferrer">Mautic Security Team</a>');
    expect(r.body).toContain('The team acknowledges your report within 24 hours.');
    expect(r.body).toContain('It is assessed within 7 business days.');
    expect(r.body).toContain('due within 21 business days after the assessment');
    expect(r.body).toContain('Name and e-mail are optional');
    expect(r.body).toContain('Do not name me');
    expect(r.body).toContain('<option value="docker.io/mautic/mautic">');
  });

  let token = '';
  let jar: Record<string, string> = {};

  it('submit → tracking link shown once → /r/<token> → the status page shows the report', async () => {
    const { res } = await postForm(desk.app, '/report', '/report', [...reportParts(), { name: 'attachments', filename: 'layers.png', contentType: 'image/png', data: png }]);
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const link = trackingLinkOf(res.body);
    expect(link).toMatch(/^https:\/\/desk\.example\.test\/r\/[A-Za-z0-9_-]{43}$/);
    expect(res.body.split(link).length - 1).toBe(2); // the link text and the "open" button, nowhere else
    expect(res.body).toContain('data-copy="tracking-link"');
    expect(res.body).toContain('do not share it');
    token = link.split('/r/')[1]!;

    const follow = await desk.app.inject({ url: `/r/${token}` });
    expect(follow.statusCode).toBe(303);
    expect(follow.headers.location).toBe('/report/status');
    expect(follow.headers['cache-control']).toBe('no-store');
    const cookie = [follow.headers['set-cookie']].flat().find((c) => c?.startsWith('cvdesk_reporter='))!;
    expect(cookie).toContain(`cvdesk_reporter=${token}`);
    for (const flag of ['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/']) expect(cookie).toContain(flag);
    jar = cookiesOf(follow);

    const page = await desk.app.inject({ url: '/report/status', headers: { cookie: cookieHeader(jar) } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('<h1>Secrets left in the image layers</h1>');
    expect(page.body).toContain('Received</span>');
    expect(page.body).toContain('The build copies .env into a layer');
    expect(page.body).toContain('layers.png');
    expect(page.body).toContain('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N');
    expect(page.body).toContain('Report received');
    // each SLA deadline of the policy, with where it stands (24 h from Monday 10:00 UTC)
    expect(page.body).toMatch(/Acknowledgement<\/span><span class="badge warn">due soon: 24 Nov 2026, 10:00 UTC/);
    expect(page.body).toMatch(/Assessment<\/span><span class="badge info">due by 2 Dec 2026, 10:00 UTC/);
    expect(page.body).toContain('You will be credited as “Rita R.”.');
    expect(page.body).not.toContain(token);
  });

  it('replies (with a file) and credit changes go through CSRF-protected forms and show on the page', async () => {
    const reply = await postForm(desk.app, '/report/status', '/report/status/reply', [{ name: 'body', value: 'Here is a second screenshot.' }, { name: 'attachments', filename: 'second.png', contentType: 'image/png', data: png }], { jar });
    expect(reply.res.statusCode).toBe(303);
    expect(reply.res.headers.location).toBe('/report/status?done=reply#conversation');
    const credit = await postForm(desk.app, '/report/status', '/report/status/credit', [{ name: 'credit', value: 'none' }], { jar });
    expect(credit.res.statusCode).toBe(303);
    const page = await desk.app.inject({ url: '/report/status?done=credit', headers: { cookie: cookieHeader(jar) } });
    expect(page.body).toContain('Your credit choice has been saved.');
    expect(page.body).toContain('You will not be named.');
    expect(page.body).toMatch(/<article class="message reporter">.*Here is a second screenshot\..*second\.png/s);
    expect(page.body).toContain('Credit choice changed');
    const noCsrf = multipart([{ name: 'body', value: 'forged' }]);
    const forged = await desk.app.inject({ method: 'POST', url: '/report/status/reply', payload: noCsrf.payload, headers: { ...noCsrf.headers, cookie: cookieHeader(jar) } });
    expect(forged.statusCode).toBe(403);
    expect(await desk.ctx.db.selectFrom('messages').select('id').where('body', '=', 'forged').execute()).toEqual([]);
  });

  it('the reporter agrees to share the report with the upstream project, and can take it back', async () => {
    const before = await desk.app.inject({ url: '/report/status', headers: { cookie: cookieHeader(jar) } });
    expect(before.body).toContain('If your report also concerns Mautic Security Team');
    expect(before.body).toContain('You have not agreed to share the report.');
    const yes = await postForm(desk.app, '/report/status', '/report/status/upstream', [{ name: 'consent', value: 'yes' }], { jar });
    expect(yes.res.statusCode).toBe(303);
    const after = await desk.app.inject({ url: '/report/status', headers: { cookie: cookieHeader(jar) } });
    expect(after.body).toContain('You agreed that the report may be shared.');
    const row = await desk.ctx.db.selectFrom('reports').select('upstream_consent').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
    expect(row.upstream_consent).toBe(true);
    expect((await postForm(desk.app, '/report/status', '/report/status/upstream', [{ name: 'consent', value: 'maybe' }], { jar })).res.statusCode).toBe(400);
    await postForm(desk.app, '/report/status', '/report/status/upstream', [{ name: 'consent', value: 'no' }], { jar });
    expect((await desk.ctx.db.selectFrom('reports').select('upstream_consent').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow()).upstream_consent).toBe(false);
  });

  it('a reporter can download their own files; another id is a 404', async () => {
    const page = await desk.app.inject({ url: '/report/status', headers: { cookie: cookieHeader(jar) } });
    const href = /href="(\/report\/attachments\/[0-9a-f-]{36})">layers\.png/.exec(page.body)![1]!;
    const file = await desk.app.inject({ url: href, headers: { cookie: cookieHeader(jar) } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="layers.png"; filename*=UTF-8''layers.png`);
    expect(file.rawPayload.equals(png)).toBe(true);
    expect((await desk.app.inject({ url: '/report/attachments/00000000-0000-4000-8000-000000000000', headers: { cookie: cookieHeader(jar) } })).statusCode).toBe(404);
    expect((await desk.app.inject({ url: href })).statusCode).toBe(401);
  });

  it('an unknown tracking link is a plain 404 and sets no cookie; no cookie means no report', async () => {
    const r = await desk.app.inject(`/r/${'A'.repeat(43)}`);
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('There is nothing at this address.');
    expect(String(r.headers['set-cookie'] ?? '')).not.toContain('cvdesk_reporter');
    const none = await desk.app.inject('/report/status');
    expect(none.statusCode).toBe(401);
    expect(none.body).toContain('Open the tracking link you received');
    const stale = await desk.app.inject({ url: '/report/status', headers: { cookie: `cvdesk_reporter=${'B'.repeat(43)}` } });
    expect(stale.statusCode).toBe(401);
    expect(String(stale.headers['set-cookie'])).toMatch(/^cvdesk_reporter=; Max-Age=0/);
  });

  it('the token is nowhere in the database (only its hash) and never in the logs', async () => {
    expect(token).not.toBe('');
    await desk.app.inject(`/r/${token}?utm=x`);
    await desk.app.inject({ url: '/api/v1/reporter/report', headers: { authorization: `Bearer ${token}` } });
    const db = await wholeDatabase(desk);
    expect(db).not.toContain(token);
    expect(db).toContain((await import('../../src/app/tokens.js')).hashToken(token));
    const logs = desk.logs.join('');
    expect(logs).toContain('/r/[redacted]');
    expect(logs).not.toContain(token);
  });

  it('"forget this device" clears the cookie', async () => {
    const { res, jar: after } = await postForm(desk.app, '/report/status', '/report/status/forget', [], { jar });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toContain('cvdesk_reporter=; Max-Age=0');
    expect((await desk.app.inject({ url: '/report/status', headers: { cookie: cookieHeader(after) } })).statusCode).toBe(401);
  });

  it('a form post without the CSRF token is a 403 and stores nothing', async () => {
    const before = await reportCount(desk);
    const { res } = await postForm(desk.app, '/report', '/report', reportParts(), { withCsrf: false });
    expect(res.statusCode).toBe(403);
    const wrong = await postForm(desk.app, '/report', '/report', [{ name: '_csrf', value: 'not-the-token' }, ...reportParts()], { withCsrf: false });
    expect(wrong.res.statusCode).toBe(403);
    expect(await reportCount(desk)).toBe(before);
  });

  it('submissions are rate-limited per address: the eleventh in 15 minutes is a 429', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await postForm(desk.app, '/report', '/report', reportParts({ title: `Flood ${i}` }), { ip })).res.statusCode);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses[10]).toBe(429);
    // another address is not affected
    expect((await postForm(desk.app, '/report', '/report', reportParts())).res.statusCode).toBe(201);
  });
});

describe('the reporter side in German (OZG policy: en, de)', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW, env: { CVDESK_POLICY: 'examples/policies/ozg-security-scanner.yaml' } });
  });
  afterAll(() => desk?.close());

  it('the form, the tracking page and the status page speak German with ?lang=de', async () => {
    const form = await desk.app.inject('/report?lang=de');
    expect(form.body).toContain('<html lang="de">');
    expect(form.body).toContain('<h1>Schwachstelle melden</h1>');
    expect(form.body).toContain('action="/report?lang=de"');
    expect(form.body).toContain('Eine Behebung einer bestätigten Schwachstelle ist innerhalb von 1 Woche fällig.');
    expect(form.body).toContain('Das Team bemüht sich um diese Zeiten'); // best effort
    expect(form.body).toContain('<option value="de" selected>Deutsch</option>');
    const { res, jar } = await postForm(desk.app, '/report?lang=de', '/report?lang=de', reportParts({ image: '', credit: 'none', creditName: '', language: 'de' }));
    expect(res.statusCode).toBe(201);
    expect(res.body).toContain('Ihre Meldung ist eingegangen');
    const token = trackingLinkOf(res.body).split('/r/')[1]!;
    const follow = await desk.app.inject(`/r/${token}?lang=de`);
    expect(follow.headers.location).toBe('/report/status?lang=de');
    const page = await desk.app.inject({ url: '/report/status?lang=de', headers: { cookie: cookieHeader({ ...jar, ...cookiesOf(follow) }) } });
    expect(page.body).toContain('<html lang="de">');
    expect(page.body).toContain('Eingegangen</span>');
    expect(page.body).toContain('Fristen');
    expect(page.body).toMatch(/Behebung<\/span><span class="badge info">fällig bis 30\. Nov\. 2026, 11:00 MEZ/);
    expect(page.body).toContain('Sie werden nicht genannt.');
    expect((await desk.ctx.db.selectFrom('reports').select('language').executeTakeFirstOrThrow()).language).toBe('de');
  });

  it('problems come back in German next to the fields, with the input kept', async () => {
    const { res } = await postForm(desk.app, '/report?lang=de', '/report?lang=de', reportParts({ title: 'ab', reporterEmail: 'kaputt', credit: 'none', image: '' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Bitte korrigieren Sie diese Felder:');
    expect(res.body).toContain('muss mindestens 3 Zeichen lang sein');
    expect(res.body).toContain('muss eine E-Mail-Adresse sein');
    expect(res.body).toContain('value="kaputt"');
    expect(res.body).toContain('The build copies .env into a layer');
  });
});
