import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDueAdvisories } from '../../src/app/advisories/publish-due-advisories.js';
import { announcePublished } from '../../src/app/announcements/announce-published.js';
import { confirmSubscription } from '../../src/app/announcements/confirm-subscription.js';
import { deliverWebhooks } from '../../src/app/announcements/deliver-webhooks.js';
import { subscribe } from '../../src/app/announcements/subscribe.js';
import { addWebhook } from '../../src/app/announcements/webhooks.js';
import { openOutboxSecret } from '../../src/app/notifications/outbox.js';
import { sendDueMail } from '../../src/app/notifications/send-due-mail.js';
import { createScheduler } from '../../src/jobs/scheduler.js';
import { deskTasks } from '../../src/jobs/tasks.js';
import { openTestDatabaseTwice, testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { startMailSink, type MailSink } from '../support/mail-sink.js';
import { advisory, NOW, prepareDesk, startReceiver } from './support.js';

describe(`two desk processes on one database announce each publication once (${testEngine()})`, () => {
  let twice: Awaited<ReturnType<typeof openTestDatabaseTwice>>;
  let sink: MailSink;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let one: TestDesk;
  let two: TestDesk;
  let admin: { id: string; role: 'admin' };
  const count = async (table: 'announcements' | 'webhook_deliveries') => Number((await one.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const announcementMail = () => one.ctx.db.selectFrom('mail_outbox').select(['status', 'recipient']).where('kind', '=', 'announcement').execute();

  beforeAll(async () => {
    twice = await openTestDatabaseTwice();
    sink = await startMailSink();
    receiver = await startReceiver();
    const env = { CVDESK_MAIL_URL: sink.url, CVDESK_MAIL_FROM: 'security@desk.example.test' };
    one = await startTestDesk({ database: twice.database, now: NOW, env });
    two = await startTestDesk({ database: twice.other, now: NOW, env });
    admin = await prepareDesk(one);
    // two confirmed subscribers and one webhook, made through the use cases
    for (const email of ['ada@example.org', 'bea@example.org']) {
      expect(await subscribe(one.ctx, { email, language: 'en' })).toEqual({ kind: 'accepted' });
      const row = await one.ctx.db.selectFrom('mail_outbox').select(['id', 'secret']).where('recipient', '=', email).executeTakeFirstOrThrow();
      const token = openOutboxSecret(one.ctx.secretKey, row.id, row.secret!).split('/').at(-1)!;
      expect(await confirmSubscription(one.ctx, token)).toMatchObject({ kind: 'confirmed' });
    }
    expect(await addWebhook(one.ctx, { actorId: admin.id, url: receiver.url })).toMatchObject({ kind: 'added' });
  }, 60_000);
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await twice?.close();
    await sink?.close();
    await receiver?.close();
  });

  it('both run the announcer, the mail sender and the webhook sender at the same moment: one mail per subscriber and one POST per webhook for each advisory', async () => {
    const idents = [];
    for (const title of ['First', 'Second', 'Third']) idents.push((await advisory(one, admin, title)).ident);
    const runs = await Promise.all([announcePublished(one.ctx), announcePublished(two.ctx)]);
    expect(runs.flatMap((r) => r.announced.map((a) => a.ident)).sort()).toEqual(idents.sort());
    expect(await count('announcements')).toBe(3);
    expect(await count('webhook_deliveries')).toBe(3);
    expect(await announcementMail()).toHaveLength(6);

    const before = sink.messages.length;
    const sent = await Promise.all([sendDueMail(one.ctx), sendDueMail(two.ctx)]);
    expect(sent.flat().filter((o) => o.outcome === 'sent')).toHaveLength(6);
    // the confirmation mails, confirmed by hand before they went out, are no longer needed
    expect(sent.flat().filter((o) => o.outcome === 'cancelled').map((o) => o.error)).toEqual(['the subscription was confirmed, ended or has expired', 'the subscription was confirmed, ended or has expired']);
    await sink.waitFor(before + 6);
    const announcements = sink.messages.slice(before);
    expect(announcements.map((m) => `${m.to.join()} ${/CVDESK-\d{4}-\d{4}/.exec(m.parsed.subject ?? '')?.[0]}`).sort()).toEqual(
      idents.flatMap((i) => [`ada@example.org ${i}`, `bea@example.org ${i}`]).sort(),
    );

    const delivered = await Promise.all([deliverWebhooks(one.ctx), deliverWebhooks(two.ctx)]);
    expect(delivered.flat().map((d) => d.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(receiver.requests.map((r) => (JSON.parse(r.body) as { advisory: { id: string } }).advisory.id).sort()).toEqual(idents.sort());
  });

  it("through the scheduled tasks: the publish task announces what it published, the 'announcements' task of the other process finds nothing left", async () => {
    const scheduled = await advisory(one, admin, 'Fourth, in the window', 'scheduled');
    const due = new Date('2026-11-25T00:00:00Z');
    one.setNow(due);
    two.setNow(due);
    const tasks = (desk: TestDesk, name: string) => createScheduler({ db: desk.ctx.db, log: desk.ctx.log, clock: desk.ctx.clock }, deskTasks(desk.ctx).filter((x) => x.name === name));
    await tasks(one, 'advisory-publish').tick(due);
    expect((await publishDueAdvisories(two.ctx)).published).toEqual([]);
    const row = await one.ctx.db.selectFrom('announcements as n').innerJoin('advisories as a', 'a.id', 'n.advisory_id').select(['a.ident', 'n.mails', 'n.webhooks']).where('a.ident', '=', scheduled.ident).executeTakeFirst();
    expect(row).toEqual({ ident: scheduled.ident, mails: 2, webhooks: 1 });
    expect(await tasks(two, 'announcements').tick(due)).toEqual([{ name: 'announcements', slot: due, outcome: 'ran' }]);
    expect(await count('announcements')).toBe(4);
    expect(await announcementMail()).toHaveLength(8);
    expect(receiver.requests).toHaveLength(4); // the announcements task delivered the new one
  });
});
