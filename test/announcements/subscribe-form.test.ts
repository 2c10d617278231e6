import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announcementTasks } from '../../src/jobs/announcement-tasks.js';
import { sendDueMail } from '../../src/app/notifications/send-due-mail.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { startMailSink, type MailSink } from '../support/mail-sink.js';
import { anonymousCsrf } from '../support/team.js';
import { bilingualPolicy, confirmByLink, linkIn, MANY_REQUESTS, NOW, subscribeForm } from './support.js';

const MINUTE = 60_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

describe(`the subscription form: the same answer for every address, CSRF, throttled confirmation mail, expiry (${testEngine()})`, () => {
  let sink: MailSink;
  let desk: TestDesk;
  const rows = (email: string) => desk.ctx.db.selectFrom('mail_outbox').selectAll().where('recipient', '=', email).orderBy('created_at').execute();
  const subscriber = (email: string) => desk.ctx.db.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();

  beforeAll(async () => {
    sink = await startMailSink();
    desk = await startTestDesk({ now: NOW, env: { CVDESK_MAIL_URL: sink.url, CVDESK_MAIL_FROM: 'security@desk.example.test', CVDESK_POLICY: await bilingualPolicy(), ...MANY_REQUESTS } });
  }, 60_000);
  afterAll(async () => {
    await desk?.close();
    await sink?.close();
  });

  it('answers new, waiting, subscribed and unsubscribed addresses alike, and mails only whom it should', async () => {
    const answer = async (email: string) => {
      const r = await subscribeForm(desk, { email, language: 'en' });
      return { status: r.statusCode, body: r.body, cache: r.headers['cache-control'] };
    };
    const fresh = await answer('new@example.org');
    expect(fresh.status).toBe(200);
    expect(fresh.cache).toBe('no-store');
    expect(await rows('new@example.org')).toHaveLength(1);

    // waiting for its confirmation: no second mail within ten minutes, the same answer
    expect(await answer('new@example.org')).toEqual(fresh);
    expect(await rows('new@example.org')).toHaveLength(1);

    // subscribed: nothing is mailed, the same answer
    await sendDueMail(desk.ctx);
    const [mail] = await sink.waitFor(1);
    expect((await confirmByLink(desk, linkIn(mail!.parsed.text ?? '', 'https://desk.example.test/advisories/confirm/'))).statusCode).toBe(200);
    expect(await answer('NEW@example.org')).toEqual(fresh);
    expect(await rows('new@example.org')).toHaveLength(1);
    expect((await subscriber('new@example.org'))!.state).toBe('confirmed');

    // unsubscribed: asks again (double opt-in again), the same answer
    await desk.ctx.db.updateTable('subscribers').set({ state: 'unsubscribed', unsubscribed_at: NOW }).where('email', '=', 'new@example.org').execute();
    expect(await answer('new@example.org')).toEqual(fresh);
    expect(await rows('new@example.org')).toHaveLength(2);
    expect((await subscriber('new@example.org'))!.state).toBe('pending');
  });

  it('a newer confirmation link replaces the older one: the older mail is cancelled, only the newer goes out', async () => {
    await subscribeForm(desk, { email: 'twice@example.org', language: 'de' });
    desk.setNow(at(11 * MINUTE));
    await subscribeForm(desk, { email: 'twice@example.org', language: 'de' });
    const [older, newer] = await rows('twice@example.org');
    expect(newer).toBeDefined();
    const before = sink.messages.length;
    const outcomes = await sendDueMail(desk.ctx);
    expect(outcomes.find((o) => o.id === older!.id)).toMatchObject({ outcome: 'cancelled', error: 'a newer confirmation link replaced this one' });
    expect(outcomes.find((o) => o.id === newer!.id)).toMatchObject({ outcome: 'sent' });
    const sent = outcomes.filter((o) => o.outcome === 'sent').length;
    const mails = (await sink.waitFor(before + sent)).slice(before).filter((m) => m.to.includes('twice@example.org'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.subject).toContain('Bitte bestätigen');
  });

  it('refuses a post without the CSRF token and an address that is none, storing nothing', async () => {
    const page = await desk.app.inject({ url: '/advisories/subscribe?lang=de' });
    expect(page.body).toContain('Neue Sicherheitshinweise per E-Mail');
    const forged = await desk.app.inject({ method: 'POST', url: '/advisories/subscribe', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=victim%40example.org&language=en' });
    expect(forged.statusCode).toBe(403);
    expect(await subscriber('victim@example.org')).toBeUndefined();

    for (const email of ['not an address', '', `${'a'.repeat(250)}@example.org`, 'x@y@z']) {
      const r = await subscribeForm(desk, { email, language: 'en' });
      expect(r.statusCode, email).toBe(400);
      expect(r.body).toContain('aria-invalid="true"');
      expect(r.body).toContain('Enter an e-mail address.');
      expect(r.body).not.toMatch(/at \w+ \(|stack/i);
    }
    expect(Number((await desk.ctx.db.selectFrom('subscribers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)).toBe(2);
  });

  it('an unconfirmed subscription expires after 48 hours: its link opens nothing and the task deletes it', async () => {
    desk.setNow(at(20 * MINUTE));
    await subscribeForm(desk, { email: 'late@example.org', language: 'en' });
    const before = sink.messages.length;
    await sendDueMail(desk.ctx);
    const mail = (await sink.waitFor(before + 1))[before]!;
    const link = linkIn(mail.parsed.text ?? '', 'https://desk.example.test/advisories/confirm/');
    desk.setNow(at(20 * MINUTE + 48 * 60 * MINUTE + 1000));
    expect((await desk.app.inject({ url: new URL(link).pathname })).statusCode).toBe(404);
    const task = announcementTasks(desk.ctx).find((t) => t.name === 'announcements')!;
    await task.run({ now: desk.ctx.clock(), slot: desk.ctx.clock() });
    // every subscription still unconfirmed after 48 hours is gone (new@ was asked for again at NOW, twice@ 11 minutes later)
    expect(await desk.ctx.db.selectFrom('subscribers').select('email').execute()).toEqual([]);
  });
});

describe(`without mail (no CVDESK_MAIL_URL) subscriptions are not offered (${testEngine()})`, () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW });
  }, 60_000);
  afterAll(() => desk?.close());

  it('says so on the page and refuses the post', async () => {
    expect((await desk.app.inject({ url: '/advisories' })).body).not.toContain('/advisories/subscribe');
    const page = await desk.app.inject({ url: '/advisories/subscribe' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('This desk does not send advisories by e-mail.');
    expect(page.body).not.toContain('name="email"');
    const { csrf, cookie } = await anonymousCsrf(desk);
    const r = await desk.app.inject({ method: 'POST', url: '/advisories/subscribe', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, email: 'someone@example.org', language: 'en' }).toString() });
    expect(r.statusCode).toBe(404);
    expect(await desk.ctx.db.selectFrom('subscribers').selectAll().execute()).toEqual([]);
  });
});
