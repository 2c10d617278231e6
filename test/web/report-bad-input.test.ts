import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { cookieHeader, cookiesOf, freshIp, postForm, trackingLinkOf, type Part } from '../support/reporter.js';

const LIMITS = { CVDESK_MAX_ATTACHMENT_BYTES: '1024', CVDESK_MAX_BODY_BYTES: '262144', CVDESK_MAX_ATTACHMENTS: '3' };
const good = { title: 'Secrets in the image', description: 'The build copies .env into the image.' };
const fields = (o: Record<string, string>): Part[] => Object.entries(o).map(([name, value]) => ({ name, value }));

describe('bad input to the report form and the API: a clear 4xx, and nothing stored', () => {
  let desk: TestDesk;
  let before = 0;
  const count = async () => Number((await desk.ctx.db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const api = (payload: string | Buffer, contentType = 'application/json') =>
    desk.app.inject({ method: 'POST', url: '/api/v1/reports', payload, headers: { 'content-type': contentType }, remoteAddress: freshIp() });
  const apiError = (r: Awaited<ReturnType<typeof api>>) => r.json() as { error: { code: string; message: string; fields?: Array<{ field: string; message: string }> } };

  beforeAll(async () => {
    desk = await startTestDesk({ env: LIMITS });
  });
  afterAll(() => desk?.close());
  beforeEach(async () => {
    before = await count();
  });
  const unchanged = async () => expect(await count()).toBe(before);

  it('malformed JSON, an empty body, a JSON array, a wrong content type', async () => {
    const malformed = await api('{"title": "x", ');
    expect(malformed.statusCode).toBe(400);
    expect(apiError(malformed).error.message).toBe('The body is not valid JSON.');
    expect((await api('')).statusCode).toBe(400);
    expect((await api('[]')).statusCode).toBe(400);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await api(JSON.stringify(good), type);
      expect(r.statusCode, type).toBe(415);
      expect(apiError(r).error.code).toBe('unsupported_media_type');
    }
    await unchanged();
  });

  it('an unknown field (API and form)', async () => {
    const r = await api(JSON.stringify({ ...good, severity: 'critical' }));
    expect(r.statusCode).toBe(400);
    expect(apiError(r).error.fields).toEqual([{ field: '(body)', message: 'Unrecognized key: "severity"' }]);
    const form = await postForm(desk.app, '/report', '/report', fields({ ...good, severity: 'critical' }));
    expect(form.res.statusCode).toBe(400);
    expect(form.res.body).toContain('Unrecognized key: &quot;severity&quot;');
    await unchanged();
  });

  it('a field longer than its limit, and a body over the body limit (413)', async () => {
    const r = await api(JSON.stringify({ ...good, title: 'x'.repeat(201) }));
    expect(r.statusCode).toBe(400);
    expect(apiError(r).error.fields).toEqual([{ field: 'title', message: 'must be at most 200 characters' }]);
    const form = await postForm(desk.app, '/report', '/report', fields({ ...good, impact: 'y'.repeat(20_001) }));
    expect(form.res.statusCode).toBe(400);
    expect(form.res.body).toContain('must be at most 20000 characters');
    const huge = await api(JSON.stringify({ ...good, description: 'z'.repeat(300_000) }));
    expect(huge.statusCode).toBe(413);
    expect(apiError(huge).error.code).toBe('too_large');
    await unchanged();
  });

  it('an invalid CVSS vector, with the reason', async () => {
    const r = await api(JSON.stringify({ ...good, cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H' }));
    expect(r.statusCode).toBe(400);
    expect(apiError(r).error.fields).toEqual([{ field: 'cvss', message: 'the vector is incomplete: the base metric A is missing' }]);
    const form = await postForm(desk.app, '/report', '/report', fields({ ...good, cvss: 'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P' }));
    expect(form.res.statusCode).toBe(400);
    expect(form.res.body).toContain('CVSS 2.0 is not accepted');
    expect(form.res.body).toContain('value="CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P"'); // the input is kept
    await unchanged();
  });

  it('an oversized attachment is a 413 (form and API); too many files too', async () => {
    const big = Buffer.alloc(1025, 65);
    const form = await postForm(desk.app, '/report', '/report', [...fields(good), { name: 'attachments', filename: 'big.txt', contentType: 'text/plain', data: big }]);
    expect(form.res.statusCode).toBe(413);
    const r = await api(JSON.stringify({ ...good, attachments: [{ filename: 'big.txt', contentType: 'text/plain', dataBase64: big.toString('base64') }] }));
    expect(r.statusCode).toBe(413);
    expect(apiError(r).error.message).toMatch(/big\.txt: larger than 1 KB/);
    const one = { filename: 'a.txt', contentType: 'text/plain', dataBase64: Buffer.from('a').toString('base64') };
    expect((await api(JSON.stringify({ ...good, attachments: [one, one, one, one] }))).statusCode).toBe(413);
    const four = [1, 2, 3, 4].map((i) => ({ name: 'attachments', filename: `${i}.txt`, contentType: 'text/plain', data: Buffer.from('a') }));
    expect((await postForm(desk.app, '/report', '/report', [...fields(good), ...four])).res.statusCode).toBe(413);
    await unchanged();
    expect(await desk.ctx.db.selectFrom('attachments').select('id').execute()).toEqual([]);
  });

  it('a disallowed file type: the form comes back with the problem and the text kept', async () => {
    const form = await postForm(desk.app, '/report', '/report', [...fields(good), { name: 'attachments', filename: 'payload.html', contentType: 'text/html', data: Buffer.from('<script>alert(1)</script>') }]);
    expect(form.res.statusCode).toBe(400);
    expect(form.res.body).toContain('payload.html: this kind of file is not accepted');
    expect(form.res.body).toContain('Secrets in the image');
    expect(form.res.body).toContain('please attach them again');
    const r = await api(JSON.stringify({ ...good, attachments: [{ filename: 'x.exe', contentType: 'application/octet-stream', dataBase64: Buffer.from('MZ').toString('base64') }] }));
    expect(r.statusCode).toBe(400);
    const notBase64 = await api(JSON.stringify({ ...good, attachments: [{ filename: 'a.txt', contentType: 'text/plain', dataBase64: 'not base64!' }] }));
    expect(notBase64.statusCode).toBe(400);
    await unchanged();
  });

  it('broken UTF-8 in a raw JSON body or a form field is refused, not stored as replacement characters', async () => {
    const raw = Buffer.concat([Buffer.from('{"title":"Secrets in the image","description":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const r = await api(raw);
    expect(r.statusCode).toBe(400);
    expect(apiError(r).error.message).toBe('The body is not valid UTF-8.');
    const form = await postForm(desk.app, '/report', '/report', [{ name: 'title', value: 'Secrets in the image' }, { name: 'description', value: Buffer.from([0x63, 0x61, 0x66, 0xe9]) }]);
    expect(form.res.statusCode).toBe(400);
    expect(form.res.body).toContain('is not valid UTF-8 text');
    // escapes that decode to a lone surrogate or NUL are refused by the schema
    expect((await api('{"title":"Secrets in the image","description":"half \\ud800 pair"}')).statusCode).toBe(400);
    expect((await api('{"title":"Secrets in the image","description":"nul \\u0000 byte"}')).statusCode).toBe(400);
    await unchanged();
    // valid UTF-8 in a form is kept exactly
    const ok = await postForm(desk.app, '/report', '/report', fields({ ...good, description: 'Straße, café, 日本, 🐳' }));
    expect(ok.res.statusCode).toBe(201);
    expect((await desk.ctx.db.selectFrom('reports').select('description').orderBy('number', 'desc').executeTakeFirstOrThrow()).description).toBe('Straße, café, 日本, 🐳');
  });

  it('HTML and script in every text field are stored as text and shown escaped, never executed', async () => {
    const x = (field: string) => `<script>alert("${field}")</script><img src=x onerror=alert(1)>`;
    const { res } = await postForm(desk.app, '/report', '/report', [
      ...fields({ title: x('title'), description: x('description'), steps: x('steps'), impact: x('impact'), reporterName: x('name'), credit: 'name', creditName: x('credit') }),
      { name: 'attachments', filename: '<img src=y onerror=alert(2)>.png', contentType: 'image/png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]) },
    ]);
    expect(res.statusCode).toBe(201);
    const token = trackingLinkOf(res.body).split('/r/')[1]!;
    const jar = cookiesOf(await desk.app.inject(`/r/${token}`));
    const reply = await postForm(desk.app, '/report/status', '/report/status/reply', fields({ body: x('message') }), { jar });
    expect(reply.res.statusCode).toBe(303);
    const page = await desk.app.inject({ url: '/report/status', headers: { cookie: cookieHeader(jar) } });
    for (const f of ['title', 'description', 'steps', 'impact', 'name', 'message']) expect(page.body).toContain(`&lt;script>alert(&quot;${f}&quot;)&lt;/script>&lt;img src=x onerror=alert(1)>`);
    expect(page.body).toContain('&lt;img src=y onerror=alert(2)>.png');
    expect(page.body).not.toMatch(/<script>alert|<img src=[xy]/);
    // values that must have a shape are refused rather than stored
    const tag = await api(JSON.stringify({ ...good, tag: '<script>' }));
    expect(tag.statusCode).toBe(400);
    const email = await api(JSON.stringify({ ...good, reporterEmail: '<script>@x' }));
    expect(email.statusCode).toBe(400);
  });
});
