import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_LIMITS } from '../../src/domain/reports/report-input.js';
import { REPORT_STATES } from '../../src/domain/reports/states.js';
import { reporterApiSchemas } from '../../src/web/api/reporter-api-schemas.js';
import { reportInputOptions } from '../../src/web/routes/report-form.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { cookieHeader, cookiesOf, freshIp } from '../support/reporter.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const report = {
  title: 'Default admin password in the image',
  image: 'docker.io/mautic/mautic',
  tag: '6.0.1-fpm',
  description: 'The entrypoint creates admin/admin when MAUTIC_ADMIN_PASSWORD is unset.',
  cvss: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  credit: { wish: 'name', name: 'Rita R.' },
};

describe('the reporter API', () => {
  let desk: TestDesk;
  let s: ReturnType<typeof reporterApiSchemas>;
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    desk.app.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers }, remoteAddress: freshIp() });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW });
    s = reporterApiSchemas(reportInputOptions(desk.ctx), desk.ctx.config.limits);
  });
  afterAll(() => desk?.close());

  let created: { id: string; token: string; trackingUrl: string; number: number };

  it('POST /api/v1/reports files a report: 201 {id, trackingUrl, token}', async () => {
    const r = await post('/api/v1/reports', { ...report, attachments: [{ filename: 'login.png', contentType: 'image/png', dataBase64: png.toString('base64') }] });
    expect(r.statusCode).toBe(201);
    expect(r.headers['content-type']).toContain('application/json');
    expect(r.headers['cache-control']).toBe('no-store');
    created = s.created.parse(r.json());
    expect(created.trackingUrl).toBe(`https://desk.example.test/r/${created.token}`);
    const row = await desk.ctx.db.selectFrom('reports').select(['channel', 'state', 'credit_name', 'reporter_email']).where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'api', state: 'received', credit_name: 'Rita R.', reporter_email: null });
    expect(await desk.ctx.db.selectFrom('attachments').select('filename').where('report_id', '=', created.id).execute()).toEqual([{ filename: 'login.png' }]);
  });

  it("GET /api/v1/reporter/report with the token is the reporter's view, exactly as documented", async () => {
    const r = await desk.app.inject({ url: '/api/v1/reporter/report', headers: bearer(created.token) });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const view = s.reporterReport.parse(r.json()); // strict: an undocumented field fails here
    expect(view).toMatchObject({ id: created.id, number: created.number, state: 'received', receivedAt: NOW.toISOString(), credit: { wish: 'name', name: 'Rita R.' }, cvss: report.cvss });
    expect(view.deadlines.map((d) => [d.stage, d.status, d.deadline])).toEqual([
      ['acknowledge', 'due_soon', '2026-11-24T10:00:00.000Z'],
      ['triage', 'running', '2026-12-02T10:00:00.000Z'],
      ['fix', 'running', '2026-12-31T10:00:00.000Z'],
      ['patch', 'running', '2027-01-13T00:00:00.000Z'],
    ]);
    expect(view.timeline).toEqual([{ at: NOW.toISOString(), kind: 'received', by: 'reporter' }]);
    const file = view.attachments[0]!;
    const download = await desk.app.inject({ url: file.url, headers: bearer(created.token) });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(png)).toBe(true);
  });

  it('a missing, malformed or wrong token is a 401 JSON answer that says nothing more; cookies are not read', async () => {
    const cases: Array<Record<string, string>> = [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer' }, bearer('A'.repeat(43)), bearer(`${created.token}x`), { cookie: `cvdesk_reporter=${created.token}` }];
    for (const headers of cases) {
      const r = await desk.app.inject({ url: '/api/v1/reporter/report', headers });
      expect(r.statusCode).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Bearer realm="cvdesk reporter"');
      expect(s.problem.parse(r.json()).error.code).toBe('unauthenticated');
    }
    expect((await post('/api/v1/reporter/messages', { body: 'hi' }, bearer('B'.repeat(43)))).statusCode).toBe(401);
    expect((await desk.app.inject({ method: 'PUT', url: '/api/v1/reporter/credit', payload: { wish: 'none' } })).statusCode).toBe(401);
    expect((await desk.app.inject({ url: '/api/v1/reporter/attachments/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(401);
  });

  it('POST /api/v1/reporter/messages answers the team; while the team waits on the reporter it resumes the report', async () => {
    await desk.ctx.db.updateTable('reports').set({ state: 'waiting_on_reporter', acknowledged_at: NOW }).where('id', '=', created.id).execute();
    await desk.ctx.db.insertInto('report_pauses').values({ report_id: created.id, started_at: NOW, ended_at: null }).execute();
    const r = await post('/api/v1/reporter/messages', { body: 'The password is set in docker-entrypoint.sh line 40.', attachments: [{ filename: 'entry.txt', contentType: 'text/plain', dataBase64: Buffer.from('line 40').toString('base64') }] }, bearer(created.token));
    expect(r.statusCode).toBe(201);
    expect(s.messageCreated.parse(r.json())).toEqual({ id: expect.any(String), resumed: true });
    const view = s.reporterReport.parse((await desk.app.inject({ url: '/api/v1/reporter/report', headers: bearer(created.token) })).json());
    expect(view.state).toBe('acknowledged');
    expect(view.messages).toMatchObject([{ by: 'reporter', body: 'The password is set in docker-entrypoint.sh line 40.', attachments: [{ filename: 'entry.txt', contentType: 'text/plain' }] }]);
    expect(view.timeline.at(-1)).toMatchObject({ kind: 'state', from: 'waiting_on_reporter', to: 'acknowledged', by: 'reporter' });
    expect(view.deadlines.find((d) => d.stage === 'acknowledge')?.status).toBe('met');
  });

  it('PUT /api/v1/reporter/upstream-consent records the consent, shown in the report view', async () => {
    const r = await desk.app.inject({ method: 'PUT', url: '/api/v1/reporter/upstream-consent', payload: { consent: true }, headers: bearer(created.token) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ consent: true });
    const view = await desk.app.inject({ url: '/api/v1/reporter/report', headers: bearer(created.token) });
    expect(view.json()).toMatchObject({ upstreamConsent: true });
    expect((await desk.app.inject({ method: 'PUT', url: '/api/v1/reporter/upstream-consent', payload: { consent: 'yes' }, headers: bearer(created.token) })).statusCode).toBe(400);
    expect((await desk.app.inject({ method: 'PUT', url: '/api/v1/reporter/upstream-consent', payload: { consent: true } })).statusCode).toBe(401);
  });

  it('PUT /api/v1/reporter/credit changes the credit choice', async () => {
    const r = await desk.app.inject({ method: 'PUT', url: '/api/v1/reporter/credit', payload: { wish: 'none' }, headers: bearer(created.token) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ wish: 'none' });
    const bad = await desk.app.inject({ method: 'PUT', url: '/api/v1/reporter/credit', payload: { wish: 'name' }, headers: bearer(created.token) });
    expect(bad.statusCode).toBe(400);
    expect((await desk.ctx.db.selectFrom('reports').select('credit_name').where('id', '=', created.id).executeTakeFirstOrThrow()).credit_name).toBeNull();
  });

  it('internal notes and their files never reach the reporter, neither in the API nor on the page', async () => {
    const note = desk.ctx.newId();
    await desk.ctx.db.insertInto('messages').values({ id: note, report_id: created.id, at: NOW, author_kind: 'system', author_id: null, internal: true, body: 'INTERNAL NOTE: duplicate of an embargoed issue' }).execute();
    const noteFile = desk.ctx.newId();
    await desk.ctx.db.insertInto('attachments').values({ id: noteFile, report_id: created.id, message_id: note, filename: 'embargoed.txt', content_type: 'text/plain', size: 1, sha256: 'x', data: Buffer.from('x'), created_at: NOW }).execute();
    const api = await desk.app.inject({ url: '/api/v1/reporter/report', headers: bearer(created.token) });
    expect(api.body).not.toContain('INTERNAL NOTE');
    expect(api.body).not.toContain('embargoed');
    expect((await desk.app.inject({ url: `/api/v1/reporter/attachments/${noteFile}`, headers: bearer(created.token) })).statusCode).toBe(404);
    const follow = await desk.app.inject(`/r/${created.token}`);
    const page = await desk.app.inject({ url: '/report/status', headers: { cookie: cookieHeader(cookiesOf(follow)) } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('docker-entrypoint.sh line 40');
    expect(page.body).not.toContain('INTERNAL NOTE');
    expect(page.body).not.toContain('embargoed');
    expect((await desk.app.inject({ url: `/report/attachments/${noteFile}`, headers: { cookie: cookieHeader(cookiesOf(follow)) } })).statusCode).toBe(404);
  });

  it('every read and change by the reporter is in the audit log, actor "reporter", without the token', async () => {
    const audit = await desk.ctx.db.selectFrom('audit_log').select(['actor_kind', 'action', 'detail']).where('report_id', '=', created.id).orderBy('seq').execute();
    expect(audit.filter((a) => a.actor_kind === 'reporter').map((a) => a.action)).toEqual(
      expect.arrayContaining(['report.submit', 'report.read', 'report.attachment.read', 'report.reply', 'report.credit']),
    );
    expect(JSON.stringify(audit)).not.toContain(created.token);
  });

  it('submissions through the API are rate-limited per address (429 JSON)', async () => {
    const ip = freshIp();
    const send = () => desk.app.inject({ method: 'POST', url: '/api/v1/reports', payload: report, remoteAddress: ip });
    for (let i = 0; i < 10; i++) expect((await send()).statusCode).toBe(201);
    const limited = await send();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
  });
});

describe('/api/openapi.json', () => {
  let desk: TestDesk;
  let doc: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a JSON document
  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW });
    const r = await desk.app.inject('/api/openapi.json');
    expect(r.statusCode).toBe(200);
    doc = r.json();
  });
  afterAll(() => desk?.close());

  it('is an OpenAPI 3.1 document of every API route (reporter and tag status), with the bearer scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/v1/images/{repository}/tags/{tag}/status', '/api/v1/reporter/attachments/{id}', '/api/v1/reporter/credit', '/api/v1/reporter/messages', '/api/v1/reporter/report', '/api/v1/reporter/upstream-consent', '/api/v1/reports']);
    expect(doc.components.securitySchemes.reporterToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/v1/reports'].post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ReportCreated' });
    expect(doc.servers).toEqual([{ url: 'https://desk.example.test' }]);
  });

  it('is generated from the schemas the routes use: limits, enums, strictness and required fields match', () => {
    const nr = doc.components.schemas.NewReport;
    expect(nr.additionalProperties).toBe(false);
    expect(nr.required.sort()).toEqual(['description', 'title']);
    expect(nr.properties.title.maxLength).toBe(REPORT_LIMITS.title);
    expect(nr.properties.description.maxLength).toBe(REPORT_LIMITS.description);
    expect(JSON.stringify(nr.properties.image)).toContain('docker.io/mautic/mautic');
    expect(nr.properties.attachments.items).toEqual({ $ref: '#/components/schemas/AttachmentUpload' });
    expect(doc.components.schemas.ReporterReport.properties.state.enum).toEqual([...REPORT_STATES]);
    expect(doc.components.schemas.ReportCreated.required.sort()).toEqual(['id', 'number', 'token', 'trackingUrl']);
  });

  it('every $ref points at a component that exists', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(5);
    for (const r of refs) expect(doc.components.schemas[r], r).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain('"$schema"');
  });
});
