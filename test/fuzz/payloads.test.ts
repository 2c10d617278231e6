import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOutboxMail } from '../../src/app/notifications/render-outbox-mail.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { cookieHeader, cookiesOf } from '../support/reporter.js';
import { createMember, loginAs, type TeamAgent } from '../support/team.js';
import { unsafeHtml, visibleText } from './html-check.js';
import { HOMOGLYPH_EMAIL, PAYLOADS, type Payload } from './payloads.js';

/**
 * Issue #7: the payload corpus (payloads.ts) through every text field a reporter and the team
 * write (a report by the API, a reporter message, a team message and a private note, a member's
 * name), then every page and output that shows them: parsed as HTML (no script, handler, frame,
 * inline style or javascript: link the desk did not write), the payload's text shown as text, JSON
 * valid, mail headers without line breaks. A payload a field may not hold is a clear 400.
 */

const LIMITS = Object.fromEntries(['SUBMIT', 'REPLY', 'REPORTER', 'LOGIN'].flatMap((s) => [[`CVDESK_LIMIT_${s}_PER_ADDRESS`, '100000'], [`CVDESK_LIMIT_${s}_OVERALL`, '100000']]));

/** The single-line form of a payload (titles and names refuse line breaks). */
const oneLine = (p: Payload) => p.text.replace(/[\r\n]+/g, ' ');
/** What the desk stores for a text: trimmed. */
const shown = (s: string) => s.trim();

describe('payload corpus through every text field: escaped everywhere', () => {
  let desk: TestDesk;
  let admin: TeamAgent;
  const filed: Array<{ payload: Payload; number: number; token: string }> = [];

  function clean(page: LightMyRequestResponse, what: string): string {
    expect(page.statusCode, `${what}: ${page.body.slice(0, 200)}`).toBe(200);
    expect(unsafeHtml(page.body), what).toEqual([]);
    return visibleText(page.body);
  }

  beforeAll(async () => {
    desk = await startTestDesk({ env: { ...LIMITS, CVDESK_LOG_LEVEL: 'warn' } });
    admin = await loginAs(desk, await createMember(desk, { role: 'admin' }));
  });
  afterAll(() => desk?.close());

  it('a report by the API with the payload in every text field: stored, or refused with a 400 naming the field', async () => {
    for (const payload of PAYLOADS) {
      const line = oneLine(payload);
      const body = { title: line.slice(0, 200), description: payload.text, steps: payload.text, impact: payload.text, reporterName: line.slice(0, 200), reporterEmail: 'rita@example.org', credit: { wish: 'name', name: line.slice(0, 200) } };
      const res = await desk.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { 'content-type': 'application/json' }, payload: body });
      if (payload.refused) {
        expect(res.statusCode, payload.name).toBe(400);
        expect((res.json() as { error: { fields: Array<{ field: string }> } }).error.fields.map((f) => f.field)).toContain('description');
        continue;
      }
      expect(res.statusCode, `${payload.name}: ${res.body}`).toBe(201);
      const { number, token } = res.json() as { number: number; token: string };
      filed.push({ payload, number, token });
    }
    expect(filed.length).toBe(PAYLOADS.filter((p) => !p.refused).length);
  });

  it('a reporter message, a team message and a private note with the payload', async () => {
    for (const { payload, number, token } of filed) {
      const reply = await desk.app.inject({ method: 'POST', url: '/api/v1/reporter/messages', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: { body: payload.text } });
      expect(reply.statusCode, payload.name).toBe(201);
      for (const kind of ['message', 'note']) {
        const r = await admin.post(`/team/reports/${number}/messages`, { body: payload.text, kind });
        expect(r.statusCode, `${kind}: ${payload.name}: ${r.body.slice(0, 200)}`).toBe(303);
      }
    }
  });

  it('NUL in a team message or note is a 400, not a database error', async () => {
    const { number } = filed[0]!;
    for (const kind of ['message', 'note']) {
      const r = await admin.post(`/team/reports/${number}/messages`, { body: 'before\u0000after', kind });
      expect(r.statusCode, kind).toBe(400);
    }
  });

  it('the team report page and the inbox show each payload as text, and hold no markup of it', async () => {
    const inbox = clean(await admin.get('/team'), 'inbox');
    for (const { payload, number } of filed) {
      const text = clean(await admin.get(`/team/reports/${number}`), `team report page: ${payload.name}`);
      expect(text, payload.name).toContain(shown(oneLine(payload)).slice(0, 200));
      if (!payload.multiline) expect(text, payload.name).toContain(shown(payload.text));
      expect(inbox, payload.name).toContain(shown(oneLine(payload)).slice(0, 60));
    }
  });

  it("the reporter's view shows each payload as text", async () => {
    for (const { payload, token } of filed) {
      const link = await desk.app.inject(`/r/${token}`);
      expect(link.statusCode).toBe(303);
      const page = await desk.app.inject({ url: '/report/status', headers: { cookie: cookieHeader(cookiesOf(link)) } });
      const text = clean(page, `reporter view: ${payload.name}`);
      expect(text, payload.name).toContain(shown(oneLine(payload)).slice(0, 200));
    }
  });

  it('the reporter API answers valid JSON that round-trips each payload', async () => {
    for (const { payload, token } of filed) {
      const r = await desk.app.inject({ url: '/api/v1/reporter/report', headers: { authorization: `Bearer ${token}` } });
      expect(r.statusCode).toBe(200);
      const json = JSON.parse(r.body) as { title: string };
      expect(json.title, payload.name).toBe(shown(oneLine(payload)).slice(0, 200));
    }
  });

  it("a member's name with the payload shows as text on the members page and the report pages", async () => {
    const named: Payload[] = [];
    for (const payload of PAYLOADS.filter((p) => !p.refused && !p.multiline)) {
      // A name with invisible characters (direction overrides, zero-width) is refused with its reason: as safe as showing it.
      const member = await createMember(desk, { role: 'member', name: payload.text.slice(0, 100) }).catch((e: unknown) => {
        expect(String(e), payload.name).toMatch(/"kind":"invalid".*"field":"name"/);
        return null;
      });
      if (!member) continue;
      named.push(payload);
      const as = await loginAs(desk, member);
      const posted = await as.post(`/team/reports/${filed[0]!.number}/messages`, { body: `note by ${payload.name}`, kind: 'note' });
      expect(posted.statusCode).toBe(303);
    }
    expect(named.length).toBeGreaterThan(10);
    const members = clean(await admin.get('/team/members'), 'members page');
    const report = clean(await admin.get(`/team/reports/${filed[0]!.number}`), 'report page with notes by every member');
    for (const payload of named) {
      expect(members, payload.name).toContain(shown(payload.text.slice(0, 100)));
      expect(report, payload.name).toContain(shown(payload.text.slice(0, 100)));
    }
  });

  it('outgoing mail: headers without line breaks, the payload only in bodies; the mail page is clean', async () => {
    const rows = await desk.ctx.db.selectFrom('mail_outbox').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    let sendable = 0;
    for (const row of rows) {
      const mail = await renderOutboxMail(desk.ctx, row);
      if (mail.kind !== 'send') continue;
      sendable++;
      for (const [name, value] of Object.entries({ subject: mail.subject, replyTo: mail.replyTo ?? '', to: row.recipient, ...mail.headers })) {
        expect(value, `${name} of ${row.dedupe_key}`).not.toMatch(/[\r\n]/);
        expect(value.includes('\u0000'), `${name} of ${row.dedupe_key}`).toBe(false);
      }
    }
    expect(sendable).toBeGreaterThan(0);
    clean(await admin.get('/team/mail'), 'mail page');
  });

  it('a homoglyph e-mail address is accepted as typed and marked as mixed-script on the team page', async () => {
    const res = await desk.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { 'content-type': 'application/json' }, payload: { title: 'Look-alike sender', description: 'x', reporterEmail: HOMOGLYPH_EMAIL } });
    if (res.statusCode === 400) return; // refusing it outright is as safe as marking it
    expect(res.statusCode).toBe(201);
    const { number } = res.json() as { number: number };
    const page = await admin.get(`/team/reports/${number}`);
    clean(page, 'homoglyph report');
    expect(page.body).toContain('data-mixed-script');
  });

  it('security.txt is not affected by anything reporters or the team wrote', async () => {
    const r = await desk.app.inject('/.well-known/security.txt');
    expect(r.statusCode).toBe(200);
    for (const p of PAYLOADS) expect(r.body).not.toContain(p.text);
  });
});
