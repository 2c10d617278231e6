import { afterAll, beforeAll, expect, it } from 'vitest';
import { announcePublished } from '../../src/app/announcements/announce-published.js';
import { sendDueMail } from '../../src/app/notifications/send-due-mail.js';
import { advisory, bilingualPolicy, linkIn, prepareDesk } from '../announcements/support.js';
import { checkPage, describeBrowser, startBrowserDesk, type BrowserDesk, type ViewportName } from '../support/browser.js';
import { startMailSink, type MailSink } from '../support/mail-sink.js';

/**
 * A subscriber in a real browser (#5), on a desktop and on a phone: /advisories → the subscription
 * form → the confirmation link from the mail → its button → an announcement → the unsubscribe link
 * from its List-Unsubscribe header → its button. Every page passes the page checks (CSP, labels,
 * overflow, console).
 */
const VIEWPORTS: ViewportName[] = ['desktop', 'phone'];

describeBrowser('a subscriber in a browser', () => {
  let b: BrowserDesk;
  let sink: MailSink;
  let admin: { id: string; role: 'admin' };
  beforeAll(async () => {
    sink = await startMailSink();
    b = await startBrowserDesk({ env: { CVDESK_MAIL_URL: sink.url, CVDESK_MAIL_FROM: 'security@desk.example.test', CVDESK_POLICY: await bilingualPolicy() } });
    admin = await prepareDesk(b.desk);
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await sink?.close();
  });

  for (const viewport of VIEWPORTS) {
    it(`subscribes, confirms, receives an announcement and unsubscribes with its link (${viewport})`, async () => {
      const email = `reader-${viewport}@example.org`;
      const s = await b.open(viewport);
      const page = s.page;
      await page.goto(b.url('/advisories'));
      await checkPage(s, 'advisories-with-subscribe');
      await page.getByRole('link', { name: 'Subscribe' }).click();
      await checkPage(s, 'subscribe-form');
      await page.getByLabel('E-mail address').fill('not an address');
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await expect.poll(() => page.getByText('Enter an e-mail address.').count()).toBe(1);
      await checkPage(s, 'subscribe-form-problem');
      await page.getByLabel('E-mail address').fill(email);
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
      await checkPage(s, 'subscribe-check-mail');

      const before = sink.messages.length;
      await sendDueMail(b.desk.ctx);
      const confirmation = (await sink.waitFor(before + 1)).slice(before).find((m) => m.to.includes(email))!;
      await page.goto(linkIn(confirmation.parsed.text ?? '', `${b.baseUrl}/advisories/confirm/`));
      await checkPage(s, 'subscribe-confirm');
      await page.getByRole('button', { name: 'Confirm the subscription' }).click();
      await page.getByRole('heading', { name: 'Subscribed' }).waitFor();
      await checkPage(s, 'subscribe-confirmed');

      const published = await advisory(b.desk, admin, `Announced to the ${viewport}`);
      await announcePublished(b.desk.ctx);
      const sent = sink.messages.length;
      await sendDueMail(b.desk.ctx);
      const announcement = (await sink.waitFor(sent + 1)).slice(sent).find((m) => m.to.includes(email))!;
      expect(announcement.parsed.subject).toContain(published.ident);
      const unsubscribe = /<([^>]+)>/.exec(announcement.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '')![1]!;
      await page.goto(unsubscribe);
      await checkPage(s, 'unsubscribe');
      await page.getByRole('button', { name: 'Unsubscribe' }).click();
      await page.getByRole('heading', { name: 'Unsubscribed' }).waitFor();
      await checkPage(s, 'unsubscribed');
      const row = await b.desk.ctx.db.selectFrom('subscribers').select('state').where('email', '=', email).executeTakeFirstOrThrow();
      expect(row.state).toBe('unsubscribed');
      await s.context.close();
    });
  }
});
