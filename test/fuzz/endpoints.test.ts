import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/app/verify-audit-log.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { cookieHeader, cookiesOf, csrfOf, multipart, type Part } from '../support/reporter.js';
import { anyText, FUZZ_HTTP_RUNS, fuzzParameters, jsonMutationOf, piecesOf } from './fuzz-support.js';

/**
 * Issue #7: every public endpoint that takes input, fed arbitrary input through app.inject on one
 * desk: no 5xx, no stack trace in an answer, and afterwards no partial record (every report has its
 * first timeline entry and its audit entry, every reporter message its audit entry, every file its
 * report and message, the audit chain holds, and exactly the accepted submissions became reports).
 * Cases per endpoint: CVDESK_FUZZ_HTTP_RUNS (default 10,000, and 1,000 in the PostgreSQL pass; see fuzz-support.ts),
 * except where an endpoint says why it runs fewer.
 * The rate limits are raised through their settings so that the inputs, not the 429, are tested.
 */

const HIGH = '1000000000';
const LIMITS = Object.fromEntries(['SUBMIT', 'REPLY', 'REPORTER', 'LOGIN'].flatMap((s) => [[`CVDESK_LIMIT_${s}_PER_ADDRESS`, HIGH], [`CVDESK_LIMIT_${s}_OVERALL`, HIGH]]));
const ENV = {
  ...LIMITS,
  CVDESK_MAX_BODY_BYTES: String(256 * 1024),
  CVDESK_MAX_ATTACHMENT_BYTES: '2048',
  CVDESK_MAX_ATTACHMENTS: '3',
  CVDESK_GITLAB_WEBHOOK_SECRET: 'fuzz-webhook-secret-0123456789',
  // Two log lines per request cost more than most requests: only warnings and errors (a 5xx is logged as an error).
  CVDESK_LOG_LEVEL: 'warn',
  // Nothing listens there: a hook that would call GitLab fails on loopback, never on the network.
  CVDESK_GITLAB_API_URL: 'http://127.0.0.1:9/api/v4',
};

/** Header values a client can send: no CR, LF or NUL (Node refuses those before the desk sees them). */
// eslint-disable-next-line no-control-regex -- what HTTP forbids in a header value
const headerSafe = (s: string) => s.replace(/[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/g, '');
const headerValue = fc.oneof(anyText(60).map(headerSafe), piecesOf(['de', 'en', '-', ';q=0.', '*', ',', ' ', 'xx-YY', '1', '0', '"', '=', 'Bearer ', 'cvdesk_reporter=', 'cvdesk_csrf=', 'cvdesk_session=', 'lang='], 10).map(headerSafe));
/**
 * Raw path text as a client sends it: the pieces kept (broken percent-escapes included), anything
 * else percent-encoded. A raw "\\" or space is refused by the test's own request builder
 * (light-my-request's URL parser) before the desk could see it.
 */
const rawPath = (s: string) => [...s.replace(/[\uD800-\uDFFF]/g, '?')].map((c) => (/[A-Za-z0-9._~%;@:-]/.test(c) ? c : encodeURIComponent(c))).join('');
/** A path segment, percent-encoded or with the raw pieces that path handling trips on. */
const segment = fc.oneof(
  anyText(30).map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '?'))),
  piecesOf(['..', '.', '%2e%2e', '%2f', '%00', '%ff', '%', '~', 'a', '1', '2026', 'CVE-2026-0001', '.json', '.osv.json', '.sha256', '.asc', ';', '@', ':'], 5).map(rawPath),
);
const query = fc.option(
  fc.array(fc.tuple(fc.constantFrom('lang', 'done', 'q', 'page', 'lang[]', '__proto__', 'next'), fc.oneof(segment, fc.constantFrom('de', 'en', 'reply', 'credit'))), { maxLength: 3 }).map((kv) => `?${kv.map(([k, v]) => `${k}=${v}`).join('&')}`),
  { nil: '' },
);
const oddHeaders = fc.record({ 'accept-language': headerValue, cookie: headerValue, accept: headerValue }, { requiredKeys: [] });

let ip = 0;
const nextIp = () => `10.77.${Math.floor(ip / 250) % 250}.${(ip++ % 250) + 1}`;

describe('fuzz: every public endpoint', () => {
  let desk: TestDesk;
  let token = '';
  let csrf = { field: '', cookie: '' };
  const accepted = { api: 0, web: 0, gitlab: 0, replies: 0 };

  /** One request: no 5xx, and no stack trace or file path of the desk in the answer. */
  async function send(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const res = await desk.app.inject({ remoteAddress: nextIp(), ...opts });
    expect(res.statusCode, `${opts.method ?? 'GET'} ${String(opts.url)} answered ${res.statusCode}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    expect(res.body).not.toMatch(/\n\s+at .+:\d+:\d+\)?|node_modules|\/src\/(app|web|adapters)\//);
    return res;
  }
  const fuzz = <T>(arb: fc.Arbitrary<T>, run: (v: T) => Promise<unknown>, runs = FUZZ_HTTP_RUNS) => fc.assert(fc.asyncProperty(arb, async (v) => void (await run(v))), fuzzParameters(runs));

  beforeAll(async () => {
    desk = await startTestDesk({ env: ENV });
    const created = await desk.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { 'content-type': 'application/json' }, payload: { title: 'Seed report', description: 'So that the reporter side has a report.' } });
    expect(created.statusCode).toBe(201);
    token = (created.json() as { token: string }).token;
    accepted.api++;
    const form = await desk.app.inject('/report');
    csrf = { field: csrfOf(form.body), cookie: cookieHeader(cookiesOf(form)) };
  });
  afterAll(() => desk?.close());

  const reportFieldNames = ['title', 'image', 'tag', 'description', 'steps', 'impact', 'cvss', 'reporterName', 'reporterEmail', 'credit', 'creditName', 'language', 'encrypted', 'attachments', '_csrf', 'unknown'];
  const validReport = { title: 'Stored XSS in the admin panel', description: 'The name field is not escaped.', language: 'en' };

  describe('reports come in', () => {
    it('POST /api/v1/reports with any JSON, any bytes and any content type', { timeout: 3_600_000 }, async () => {
      const json = fc.oneof(
        jsonMutationOf([validReport, { ...validReport, reporterEmail: 'r@example.org', credit: { wish: 'name', name: 'R' }, cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', attachments: [{ filename: 'poc.txt', contentType: 'text/plain', dataBase64: 'aGk=' }] }]),
        fc.dictionary(fc.constantFrom(...reportFieldNames), fc.oneof(anyText(40), fc.jsonValue({ maxDepth: 2 })), { maxKeys: 8 }),
      );
      const body = fc.oneof(
        { weight: 4, arbitrary: json.map((v) => JSON.stringify(v) ?? 'null') },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
        { weight: 1, arbitrary: anyText(200) },
      );
      const type = fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '') }, { weight: 1, arbitrary: headerValue });
      await fuzz(fc.tuple(body, type), async ([payload, contentType]) => {
        const r = await send({ method: 'POST', url: '/api/v1/reports', payload, headers: { 'content-type': contentType } });
        if (r.statusCode === 201) accepted.api++;
      });
    });

    it('POST /report as multipart with any parts, file names and types, and as urlencoded', { timeout: 3_600_000 }, async () => {
      const value = fc.oneof(anyText(60), fc.constantFrom('', 'name', 'none', 'en', 'de', 'docker.io/mautic/mautic', '5.2.1-apache', 'r@example.org'));
      const textPart = fc.record({ name: fc.oneof(fc.constantFrom(...reportFieldNames), anyText(10)), value });
      const filePart = fc.record({
        name: fc.constantFrom('attachments', 'title', 'x'),
        filename: anyText(30).map(headerSafe).map((s) => s.replace(/"/g, '')),
        contentType: fc.oneof(fc.constantFrom('text/plain', 'image/png', 'application/pdf', 'text/html', 'application/octet-stream'), headerValue),
        data: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      });
      const parts = fc.tuple(fc.boolean(), fc.array(fc.oneof({ weight: 4, arbitrary: textPart }, { weight: 1, arbitrary: filePart }), { maxLength: 10 })).map(([base, extra]) => [
        ...(base ? Object.entries(validReport).map(([name, value]) => ({ name, value })) : []),
        ...extra,
      ]);
      const body = fc.oneof(
        { weight: 5, arbitrary: parts.map((p: Part[]) => multipart([{ name: '_csrf', value: csrf.field }, ...p])) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ payload: Buffer.from(b), headers: { 'content-type': 'multipart/form-data; boundary=----x' } })) },
        { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...reportFieldNames), anyText(30)).map((d) => ({ payload: new URLSearchParams({ _csrf: csrf.field, ...d }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })) },
      );
      await fuzz(fc.tuple(body, fc.boolean()), async ([b, withCookie]) => {
        const r = await send({ method: 'POST', url: '/report', payload: b.payload, headers: { ...b.headers, ...(withCookie ? { cookie: csrf.cookie } : {}) } });
        if (r.statusCode === 201) accepted.web++;
      });
    });
  });

  it('regression: a broken multipart body is a 400, not a 500 (busboy\'s parse errors had no status)', async () => {
    for (const url of ['/report', '/report/status/reply']) {
      const r = await send({ method: 'POST', url, payload: Buffer.from([0]), headers: { 'content-type': 'multipart/form-data; boundary=----x', cookie: csrf.cookie } });
      expect(r.statusCode, url).toBe(400);
    }
  });

  it('regression: an attachment declared as "__proto__" is a 400, not a 500', async () => {
    const payload = { ...validReport, attachments: [{ filename: 'poc.txt', contentType: '__proto__', dataBase64: 'aGk=' }] };
    const r = await send({ method: 'POST', url: '/api/v1/reports', headers: { 'content-type': 'application/json' }, payload });
    expect(r.statusCode).toBe(400);
  });

  describe('the reporter side', () => {
    const bearer = fc.oneof(fc.constant(() => `Bearer ${token}`), headerValue.map((h) => () => h), segment.map((s) => () => `Bearer ${s}`));
    it('the reporter API with any token and any body', { timeout: 3_600_000 }, async () => {
      const call = fc.constantFrom(
        { method: 'GET' as const, url: '/api/v1/reporter/report' },
        { method: 'POST' as const, url: '/api/v1/reporter/messages' },
        { method: 'PUT' as const, url: '/api/v1/reporter/credit' },
        { method: 'PUT' as const, url: '/api/v1/reporter/upstream-consent' },
      );
      const body = fc.oneof(
        jsonMutationOf([{ body: 'More detail.' }, { wish: 'name', name: 'R' }, { wish: 'none' }, { consent: true }, { body: 'With a file', attachments: [{ filename: 'a.txt', contentType: 'text/plain', dataBase64: 'aGk=' }] }]).map((v) => JSON.stringify(v) ?? ''),
        anyText(100),
      );
      await fuzz(fc.tuple(call, bearer, body), async ([c, auth, payload]) => {
        const r = await send({ ...c, headers: { authorization: auth(), 'content-type': 'application/json' }, ...(c.method === 'GET' ? {} : { payload }) });
        if (c.url.endsWith('/messages') && r.statusCode === 201) accepted.replies++;
      });
    });

    it('GET /api/v1/reporter/attachments/:id and the reporter view paths with any token, cookie and id', { timeout: 3_600_000 }, async () => {
      const cookie = fc.oneof(fc.constant(() => `cvdesk_reporter=${token}`), headerValue.map((h) => () => h));
      const url = fc.oneof(
        segment.map((s) => `/api/v1/reporter/attachments/${s}`),
        segment.map((s) => `/r/${s}`),
        fc.tuple(segment, query).map(([s, q]) => `/report/attachments/${s}${q}`),
        query.map((q) => `/report/status${q}`),
      );
      await fuzz(fc.tuple(url, bearer, cookie, oddHeaders), ([u, auth, c, h]) => send({ url: u, headers: { ...h, authorization: auth(), cookie: c() } }));
    });

    it('the reporter forms (reply, credit, upstream, forget) with any fields', { timeout: 3_600_000 }, async () => {
      const path = fc.constantFrom('/report/status/reply', '/report/status/credit', '/report/status/upstream', '/report/status/forget');
      const field = fc.record({ name: fc.constantFrom('body', 'credit', 'creditName', 'consent', 'attachments', 'x'), value: fc.oneof(anyText(80), fc.constantFrom('name', 'none', 'yes', 'no', '')) });
      await fuzz(fc.tuple(path, fc.array(field, { maxLength: 5 }), fc.boolean(), fc.boolean()), async ([p, fields, goodCookie, goodCsrf]) => {
        const body = multipart([...(goodCsrf ? [{ name: '_csrf', value: csrf.field }] : []), ...fields]);
        const cookie = `${csrf.cookie}${goodCookie ? `; cvdesk_reporter=${token}` : ''}`;
        const r = await send({ method: 'POST', url: p, payload: body.payload, headers: { ...body.headers, cookie } });
        if (p.endsWith('/reply') && r.statusCode === 303) accepted.replies++;
      });
    });
  });

  describe('the team side, signed out', () => {
    // Each sign-in with a password costs an argon2id hash (19 MiB, on purpose): a tenth of the cases keeps this under a minute.
    it('POST /team/login, /team/login/code and the setup and invitation links with any fields', { timeout: 3_600_000 }, async () => {
      const path = fc.oneof(fc.constantFrom('/team/login', '/team/login/code', '/team/logout'), segment.map((s) => `/team/setup/${s}`), segment.map((s) => `/team/invite/${s}`));
      const fields = fc.dictionary(fc.constantFrom('email', 'password', 'code', 'next', 'name', '_csrf'), fc.oneof(anyText(40), fc.constantFrom('/team', '//evil.example', 'https://evil.example/', '/\\evil', '123456', 'a@b.c')), { maxKeys: 5 });
      await fuzz(
        fc.tuple(path, fields, fc.boolean(), fc.boolean()),
        async ([p, f, goodCsrf, get]) => {
          if (get) return send({ url: p, headers: { cookie: csrf.cookie } });
          const r = await send({ method: 'POST', url: p, headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ ...f, ...(goodCsrf ? { _csrf: csrf.field } : {}) }).toString() });
          // never an open redirect off the desk
          const location = String(r.headers.location ?? '');
          if (location) expect(location).toMatch(/^\/(?![/\\])/);
          return r;
        },
        Math.max(1, Math.round(FUZZ_HTTP_RUNS / 10)),
      );
    });
  });

  describe('public pages and files', () => {
    it('GET with any path under the public routes, any query, Accept-Language and cookies', { timeout: 3_600_000 }, async () => {
      const path = fc.oneof(
        fc.constantFrom('/', '/policy', '/report', '/SECURITY.md', '/.well-known/security.txt', '/security.txt', '/advisories', '/advisories.atom', '/images', '/api/openapi.json', '/.well-known/csaf/provider-metadata.json', '/.well-known/csaf/service.json', '/.well-known/csaf/white/index.txt', '/.well-known/csaf/white/changes.csv', '/.well-known/csaf/white/csaf-feed-tlp-white.json'),
        segment.map((s) => `/advisories/${s}`),
        fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/images/${s.join('/')}`),
        fc.tuple(fc.array(segment, { maxLength: 4 }), segment).map(([r, t]) => `/images/docker.io/mautic/mautic/${r.join('/')}/tags/${t}`),
        fc.tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), segment).map(([r, t]) => `/api/v1/images/${r.join('/')}/tags/${t}/status`),
        fc.tuple(segment, segment).map(([y, f]) => `/.well-known/csaf/white/${y}/${f}`),
        segment.map((s) => `/.well-known/csaf/openpgp/${s}`),
        fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`),
      );
      await fuzz(fc.tuple(path, query, oddHeaders, fc.constantFrom('GET', 'HEAD', 'OPTIONS')), ([p, q, h, method]) => send({ method, url: `${p}${q}`, headers: h }));
    });

    it('POST /hooks/gitlab with wrong secrets, the right one, and any body', { timeout: 3_600_000 }, async () => {
      const secret = fc.oneof(fc.constant(ENV.CVDESK_GITLAB_WEBHOOK_SECRET), headerValue, fc.constant(undefined));
      const issue = { object_kind: 'issue', event_type: 'confidential_issue', project: { id: 1, path_with_namespace: 'mautic/docker-mautic', web_url: 'https://gitlab.example/mautic/docker-mautic' }, object_attributes: { iid: 1, title: 'XSS', description: 'd', confidential: true, action: 'open', url: 'https://gitlab.example/x/-/issues/1' }, user: { name: 'R', username: 'r' } };
      const body = fc.oneof(jsonMutationOf([issue]).map((v) => JSON.stringify(v) ?? ''), anyText(100));
      await fuzz(fc.tuple(secret, body, fc.constantFrom('application/json', 'text/plain', '')), async ([s, payload, type]) => {
        const r = await send({ method: 'POST', url: '/hooks/gitlab', payload, headers: { 'content-type': type, ...(s === undefined ? {} : { 'x-gitlab-token': s }) } });
        if (r.statusCode === 200 && (r.json() as { outcome: string }).outcome === 'imported') accepted.gitlab++;
      });
    });
  });

  describe('afterwards', () => {
    it('no partial record: every report and reply is whole, files belong somewhere, the audit chain holds', async () => {
      const db = desk.ctx.db;
      const reports = await db.selectFrom('reports').select(['id', 'channel']).execute();
      const byChannel = (c: string) => reports.filter((r) => r.channel === c).length;
      expect({ api: byChannel('api'), web: byChannel('web'), gitlab: byChannel('gitlab'), all: reports.length }, 'reports stored = submissions answered as accepted').toEqual({
        api: accepted.api,
        web: accepted.web,
        gitlab: accepted.gitlab,
        all: accepted.api + accepted.web + accepted.gitlab,
      });
      const received = new Set((await db.selectFrom('report_events').select('report_id').where('kind', '=', 'received').execute()).map((r) => r.report_id));
      const submitted = new Set((await db.selectFrom('audit_log').select('report_id').where('action', '=', 'report.submit').execute()).map((r) => r.report_id));
      for (const r of reports) {
        expect(received.has(r.id), `report ${r.id} has its "received" event`).toBe(true);
        expect(submitted.has(r.id), `report ${r.id} has its audit entry`).toBe(true);
      }
      const messages = await db.selectFrom('messages').select(['id']).where('author_kind', '=', 'reporter').execute();
      expect(messages.length, 'reporter messages stored = replies answered as accepted').toBe(accepted.replies);
      const replyAudits = new Set((await db.selectFrom('audit_log').select('detail').where('action', '=', 'report.reply').execute()).map((r) => (r.detail as { messageId?: string }).messageId));
      for (const m of messages) expect(replyAudits.has(m.id), `message ${m.id} has its audit entry`).toBe(true);
      const orphans = await db
        .selectFrom('attachments')
        .leftJoin('messages', 'messages.id', 'attachments.message_id')
        .select(['attachments.id'])
        .where((eb) => eb.and([eb('attachments.message_id', 'is not', null), eb('messages.id', 'is', null)]))
        .execute();
      expect(orphans).toEqual([]);
      expect(await verifyAuditLog(db)).toMatchObject({ intact: true });
    });
  });
});
