import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/open-database.js';
import { notifyEvents } from '../../src/app/notifications/notify-events.js';
import { MAIL_LEASE_MS, sendDueMail } from '../../src/app/notifications/send-due-mail.js';
import { postTeamMessage } from '../../src/app/reports/post-team-message.js';
import { submitReport } from '../../src/app/submit-report.js';
import { reportFieldsSchema } from '../../src/domain/reports/report-input.js';
import { openTestDatabaseTwice, testEngine } from '../support/database.js';
import { insertUser } from '../support/fixtures.js';
import { startMailSink, type MailSink } from '../support/mail-sink.js';
import { outbox, startMailDesk, type MailDesk } from './support.js';

const NOW = new Date('2026-11-23T10:00:00Z');

describe(`each mail once, with two desk processes on one database (${testEngine()})`, () => {
  let database: Database;
  let other: Database;
  let closeBoth: () => Promise<void>;
  let sink: MailSink;
  let a: MailDesk;
  let b: MailDesk;
  beforeAll(async () => {
    ({ database, other, close: closeBoth } = await openTestDatabaseTwice());
    sink = await startMailSink();
    a = await startMailDesk({ now: NOW, database, sink });
    b = await startMailDesk({ now: NOW, database: other, sink });
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sink?.close();
    await closeBoth?.();
  });

  it('two notifiers and two senders at once: every occasion is written once and every mail delivered once', async () => {
    const author = await insertUser(a.desk.ctx.db, { role: 'member', email: 'member@team.example' });
    const fields = reportFieldsSchema({ images: [], languages: ['en', 'de'], allowAnonymous: true, creditOffered: true }).parse({ title: 'Race', description: 'Many messages', reporterEmail: 'rita@example.org' });
    const r = await submitReport(a.desk.ctx, { fields, attachments: [], channel: 'web' });
    for (let i = 0; i < 40; i++) await postTeamMessage(b.desk.ctx, { reportId: r.id, authorId: author.id, body: `Message ${i}`, internal: false });

    const [qa, qb] = await Promise.all([notifyEvents(a.desk.ctx), notifyEvents(b.desk.ctx)]);
    const rows = await outbox(a.desk);
    // the acknowledgement, 40 messages to the reporter, the new report to the one member
    expect(rows).toHaveLength(42);
    expect(qa.queued + qb.queued).toBe(41);
    expect(new Set(rows.map((x) => x.dedupe_key)).size).toBe(42);

    for (let round = 0; round < 50; round++) {
      const [sa, sb] = await Promise.all([sendDueMail(a.desk.ctx, { limit: 3 }), sendDueMail(b.desk.ctx, { limit: 3 })]);
      if (sa.length === 0 && sb.length === 0) break;
    }
    await sink.waitFor(42);
    expect(sink.messages).toHaveLength(42);
    expect(new Set(sink.messages.map((x) => x.parsed.messageId)).size).toBe(42);
    const after = await outbox(a.desk);
    expect(after.every((x) => x.status === 'sent' && x.attempts === 1)).toBe(true);
    expect(sink.messages.filter((x) => x.parsed.subject === `A message about your report #${r.number}`)).toHaveLength(40);
  });

  it('a row leased by a sender that stopped is left alone until the lease ends, then sent once', async () => {
    const before = sink.messages.length;
    const fields = reportFieldsSchema({ images: [], languages: ['en'], allowAnonymous: true, creditOffered: true }).parse({ title: 'Lease', description: 'Held', reporterEmail: 'lease@example.org' });
    const r = await submitReport(a.desk.ctx, { fields, attachments: [], channel: 'web' });
    const row = (await outbox(a.desk)).find((x) => x.dedupe_key === `ack:${r.id}`)!;
    // as a claim by a process that then died: leased, one attempt counted
    await a.desk.ctx.db.updateTable('mail_outbox').set({ locked_until: new Date(NOW.getTime() + MAIL_LEASE_MS), attempts: 1 }).where('id', '=', row.id).execute();
    expect(await sendDueMail(b.desk.ctx)).toEqual([]);
    b.desk.setNow(new Date(NOW.getTime() + MAIL_LEASE_MS));
    expect(await sendDueMail(b.desk.ctx)).toEqual([{ id: row.id, outcome: 'sent' }]);
    expect(sink.messages.slice(before).map((x) => x.to)).toEqual([['lease@example.org']]);
    expect((await outbox(a.desk)).find((x) => x.id === row.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
