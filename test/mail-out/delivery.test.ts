import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAdminNotices } from '../../src/app/admin-notices.js';
import { NOT_CONFIGURED, sendDueMail } from '../../src/app/notifications/send-due-mail.js';
import { submitReport } from '../../src/app/submit-report.js';
import { loadConfig } from '../../src/config.js';
import { reportFieldsSchema } from '../../src/domain/reports/report-input.js';
import { openTestDatabase } from '../support/database.js';
import { closedPort, startMailSink } from '../support/mail-sink.js';
import { createMember, loginAs, type TestMember } from '../support/team.js';
import { outbox, startMailDesk, type MailDesk } from './support.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const MINUTE = 60_000;

const fields = (over: Record<string, unknown> = {}) =>
  reportFieldsSchema({ images: [], languages: ['en', 'de'], allowAnonymous: true, creditOffered: true }).parse({ title: 'Root shell in the image', description: 'The entrypoint runs as root.', reporterEmail: 'rita@example.org', ...over });

/** Sends until the row leaves 'pending', moving the clock to each retry; returns the outcomes. */
async function sendUntilSettled(m: MailDesk, id: string): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    const row = (await outbox(m.desk)).find((r) => r.id === id)!;
    if (row.status !== 'pending') return seen;
    m.desk.setNow(row.next_attempt_at);
    for (const o of await sendDueMail(m.desk.ctx)) if (o.id === id) seen.push(o.outcome);
  }
  throw new Error('the row never settled');
}

describe('delivery: no server, failing servers, retries and the page', () => {
  let m: MailDesk;
  let member: TestMember;
  beforeAll(async () => {
    m = await startMailDesk({ now: NOW });
    await createMember(m.desk, { role: 'admin' }); // admins get the failure notice
    member = await createMember(m.desk, { role: 'member' });
    await m.deliver();
  }, 120_000);
  afterAll(() => m?.close());

  it('a 4xx is retried with growing pauses (1, 2, 4, 8, 16 minutes), then the mail is failed; the team sees why and sends it again', async () => {
    const r = await submitReport(m.desk.ctx, { fields: fields(), attachments: [], channel: 'web' });
    const row = (await outbox(m.desk)).find((x) => x.dedupe_key === `ack:${r.id}`)!;
    m.sink.refuse(6, { code: 451, message: '4.3.0 Mailbox temporarily unavailable' });
    const start = m.desk.ctx.clock();
    expect(await sendUntilSettled(m, row.id)).toEqual(['retry', 'retry', 'retry', 'retry', 'retry', 'failed']);
    const failed = (await outbox(m.desk)).find((x) => x.id === row.id)!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 6, sent_at: null });
    expect(failed.last_error).toMatch(/451 4\.3\.0 Mailbox temporarily unavailable/);
    expect(m.desk.ctx.clock().getTime() - start.getTime()).toBe((1 + 2 + 4 + 8 + 16) * MINUTE);
    expect(failed.secret).toMatch(/^v1\./); // kept for the retry

    const notices = await listAdminNotices(m.desk.ctx.db);
    expect(notices.find((n) => n.key === 'mail-failed')?.message).toMatch(/^1 e-mail could not be sent; see Mail/);

    const as = await loginAs(m.desk, member);
    const page = await as.get('/team/mail?status=failed');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('1 mail could not be sent.');
    expect(page.body).toContain('Mailbox temporarily unavailable');
    expect(page.body).toContain(`reporter (rita@example.org)`);
    expect(page.body).toContain(`name="id" value="${row.id}"`);
    expect(page.body).not.toContain(r.token);

    const noCsrf = await m.desk.app.inject({ method: 'POST', url: '/team/mail/retry', headers: { cookie: as.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `id=${row.id}` });
    expect(noCsrf.statusCode).toBe(403);
    const retried = await as.post('/team/mail/retry', { id: row.id });
    expect(retried.statusCode).toBe(303);
    expect((await outbox(m.desk)).find((x) => x.id === row.id)).toMatchObject({ status: 'pending', attempts: 0 });
    const before = m.sink.messages.length;
    await sendDueMail(m.desk.ctx);
    expect((await outbox(m.desk)).find((x) => x.id === row.id)).toMatchObject({ status: 'sent', secret: null });
    expect(m.sink.messages.slice(before).map((x) => x.parsed.text ?? '').join('\n')).toContain(`https://desk.example.test/r/${r.token}`);
    const audit = await m.desk.ctx.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'mail.retry').execute();
    expect(audit).toEqual([{ action: 'mail.retry', actor_id: member.id }]);
    // a sent mail cannot be "sent again"
    expect((await as.post('/team/mail/retry', { id: row.id })).statusCode).toBe(409);
  });

  it('a 5xx is final at once (the server refused this mail for good), with the server’s words', async () => {
    const r = await submitReport(m.desk.ctx, { fields: fields({ reporterEmail: 'nobody@example.org' }), attachments: [], channel: 'web' });
    const row = (await outbox(m.desk)).find((x) => x.dedupe_key === `ack:${r.id}`)!;
    m.sink.refuse(1, { code: 550, message: '5.1.1 No such user', at: 'rcpt' });
    expect(await sendUntilSettled(m, row.id)).toEqual(['failed']);
    const failed = (await outbox(m.desk)).find((x) => x.id === row.id)!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.last_error).toMatch(/550 5\.1\.1 No such user/);
  });

  it('coordinators see only mail about their reports and cannot send again; nobody sees what is not theirs', async () => {
    const r = await submitReport(m.desk.ctx, { fields: fields({ title: 'Coordinated report' }), attachments: [], channel: 'web' });
    const coord = await createMember(m.desk, { role: 'coordinator', reports: [r.id] });
    await m.deliver();
    const as = await loginAs(m.desk, coord);
    const page = await as.get('/team/mail');
    expect(page.statusCode).toBe(200);
    const rows = (await outbox(m.desk)).filter((x) => (x.report_id === r.id && x.audience === 'reporter') || x.user_id === coord.id);
    expect(rows.length).toBeGreaterThan(0);
    const shown = [...page.body.matchAll(/<tr><td class="small">/g)].length;
    expect(shown).toBe(rows.length);
    expect(page.body).not.toContain('nobody@example.org');
    expect(page.body).not.toContain(member.email); // the team's addresses are the team's
    expect(page.body).not.toContain('Send again');
    const failed = (await outbox(m.desk)).find((x) => x.status === 'failed')!;
    expect((await as.post('/team/mail/retry', { id: failed.id })).statusCode).toBe(403);
  });
});

describe('delivery without CVDESK_MAIL_URL, and with a server that is not there', () => {
  it('nothing is sent, the outbox says why, an invitation is not mailed; once mail is configured it all goes out', async () => {
    const database = await openTestDatabase();
    const sink = await startMailSink();
    const off = await startMailDesk({ now: NOW, mail: false, database, sink });
    try {
      const admin = await createMember(off.desk, { role: 'admin' });
      const r = await submitReport(off.desk.ctx, { fields: fields(), attachments: [], channel: 'web' });
      expect(await off.deliver()).toEqual([]);
      const rows = await outbox(off.desk);
      expect(rows.map((x) => x.kind).sort()).toEqual(['ack', 'new-report']);
      for (const x of rows) expect(x).toMatchObject({ status: 'pending', attempts: 0, last_error: NOT_CONFIGURED });
      const page = await (await loginAs(off.desk, admin)).get('/team/mail');
      expect(page.body).toContain('Mail is not configured (CVDESK_MAIL_URL is not set): nothing is sent.');
      expect(page.body).toContain('not sent: mail is not configured');
      expect(rows.some((x) => x.kind === 'invitation')).toBe(false);

      // The same database, now with mail: what waited goes out.
      const on = await startMailDesk({ now: NOW, database, sink });
      try {
        const outcomes = await sendDueMail(on.desk.ctx);
        expect(outcomes.map((o) => o.outcome)).toEqual(['sent', 'sent']);
        expect(sink.messages.map((x) => x.to[0]).sort()).toEqual([admin.email, 'rita@example.org'].sort());
        expect(sink.messages.find((x) => x.to.includes('rita@example.org'))!.parsed.text).toContain(`/r/${r.token}`);
      } finally {
        await on.desk.close();
      }
    } finally {
      await off.desk.close();
      await sink.close();
      await database.close();
    }
  }, 120_000);

  it('a refused connection is retried, then failed; the error names the connection, not the URL', async () => {
    const port = await closedPort();
    const m = await startMailDesk({ now: NOW, env: { CVDESK_MAIL_URL: `smtp://desk:pw-${port}-secret@127.0.0.1:${port}` } });
    try {
      const r = await submitReport(m.desk.ctx, { fields: fields(), attachments: [], channel: 'web' });
      const row = (await outbox(m.desk)).find((x) => x.dedupe_key === `ack:${r.id}`)!;
      expect(await sendUntilSettled(m, row.id)).toEqual(['retry', 'retry', 'retry', 'retry', 'retry', 'failed']);
      const failed = (await outbox(m.desk)).find((x) => x.id === row.id)!;
      expect(failed.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(failed.last_error).not.toContain(`pw-${port}-secret`);
      expect(m.desk.logs.join('')).not.toContain(`pw-${port}-secret`);
    } finally {
      await m.close();
    }
  }, 120_000);

  it('credentials: the desk signs in with the URL’s user and password; a wrong password fails the mail; the password is in no log, error or page', async () => {
    const PASSWORD = 'Correct-Horse-9f3a';
    const WRONG = 'Wrong-Staple-77c1';
    const sink = await startMailSink({ auth: { user: 'desk@example.org', pass: PASSWORD } });
    const good = await startMailDesk({ now: NOW, sink, env: { CVDESK_MAIL_URL: `smtp://desk%40example.org:${PASSWORD}@127.0.0.1:${sink.port}` } });
    const bad = await startMailDesk({ now: NOW, sink, env: { CVDESK_MAIL_URL: `smtp://desk%40example.org:${WRONG}@127.0.0.1:${sink.port}` } });
    try {
      await submitReport(good.desk.ctx, { fields: fields(), attachments: [], channel: 'web' });
      expect((await good.deliver()).map((o) => o.outcome)).toEqual(['sent']);
      expect(sink.logins).toContain('desk@example.org');

      const admin = await createMember(bad.desk, { role: 'admin' });
      await sendDueMail(bad.desk.ctx); // the invitation: refused
      const r = await submitReport(bad.desk.ctx, { fields: fields(), attachments: [], channel: 'web' });
      const outcomes = await bad.deliver();
      expect(outcomes.map((o) => o.outcome)).toEqual(['failed', 'failed']);
      const row = (await outbox(bad.desk)).find((x) => x.dedupe_key === `ack:${r.id}`)!;
      expect(row.last_error).toMatch(/535|Authentication|Invalid login/);
      const page = await (await loginAs(bad.desk, admin)).get('/team/mail');
      for (const text of [good.desk.logs.join(''), bad.desk.logs.join(''), page.body, JSON.stringify(await outbox(bad.desk))]) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(WRONG);
      }
      expect(page.body).toContain('smtp://127.0.0.1:'); // the server, without its credentials
      expect(bad.desk.logs.join('')).toContain('mail could not be sent; given up');
    } finally {
      await good.desk.close();
      await bad.desk.close();
      await sink.close();
    }
  }, 120_000);

  it('CVDESK_MAIL_URL and CVDESK_MAIL_FROM are checked, and a bad URL is not repeated (it may hold a password)', () => {
    const env = (e: Record<string, string>) => () => loadConfig({ CVDESK_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'), ...e }, process.cwd());
    expect(env({ CVDESK_MAIL_URL: 'http://user:hunter2@mail.example.org' })).toThrow(/CVDESK_MAIL_URL must look like smtp:\/\/host:port/);
    expect(env({ CVDESK_MAIL_URL: 'http://user:hunter2@mail.example.org' })).not.toThrow(/hunter2/);
    expect(env({ CVDESK_MAIL_URL: 'smtp://mail.example.org:587/path?x=1' })).toThrow(/takes no path, query or fragment/);
    expect(env({ CVDESK_MAIL_FROM: 'not an address' })).toThrow(/CVDESK_MAIL_FROM must be an e-mail address/);
    expect(env({ CVDESK_MAIL_URL: 'smtps://u:p@mail.example.org', CVDESK_MAIL_FROM: 'Desk <desk@example.org>' })().mail).toEqual({ url: 'smtps://u:p@mail.example.org', from: 'Desk <desk@example.org>' });
    expect(env({})().mail).toEqual({ url: null, from: null });
  });
});
