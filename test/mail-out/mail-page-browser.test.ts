import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueMail } from '../../src/app/notifications/outbox.js';
import { sendDueMail } from '../../src/app/notifications/send-due-mail.js';
import { submitReport } from '../../src/app/submit-report.js';
import { reportFieldsSchema } from '../../src/domain/reports/report-input.js';
import { checkPage, describeBrowser, startBrowserDesk, type BrowserDesk, type ViewportName } from '../support/browser.js';
import { startMailSink, type MailSink } from '../support/mail-sink.js';
import { createMember, type TestMember } from '../support/team.js';
import { policyFile } from './support.js';

/**
 * /team/mail in a real browser on a desktop and a phone: long addresses and server answers stay
 * inside the screen, and "Send again" (a form with CSRF) puts a failed mail back in the queue.
 */
const VIEWPORTS: ViewportName[] = ['desktop', 'phone'];

describeBrowser('the mail page in a browser', () => {
  let b: BrowserDesk;
  let sink: MailSink;
  let member: TestMember;

  beforeAll(async () => {
    sink = await startMailSink();
    b = await startBrowserDesk({ now: new Date(), env: { CVDESK_POLICY: await policyFile(), CVDESK_MAIL_URL: sink.url } });
    member = await createMember(b.desk, { role: 'member', name: 'Mia Member' });
    const fields = reportFieldsSchema({ images: [], languages: ['en', 'de'], allowAnonymous: true, creditOffered: true }).parse({
      title: 'A report whose reporter has a very long address',
      description: 'x',
      reporterEmail: 'a.reporter.with.an.exceptionally.long.mailbox.name@subdomain.of.a.rather-long-domain-name.example.org',
    });
    await submitReport(b.desk.ctx, { fields, attachments: [], channel: 'web' });
    await enqueueMail(b.desk.ctx.db, b.desk.ctx, [{ dedupeKey: 'digest:browser', kind: 'digest', audience: 'team', reportId: null, userId: member.id, recipient: member.email, language: 'en', payload: { date: '2026-11-23' } }], b.desk.ctx.clock());
    sink.refuse(3, { code: 554, message: '5.7.1 Service unavailable; client host [127.0.0.1] blocked using a very long list of reasons that a mail server might give back to a sender' });
    await sendDueMail(b.desk.ctx);
  }, 90_000);
  afterAll(async () => {
    await b?.close();
    await sink?.close();
  });

  for (const viewport of VIEWPORTS) {
    it(`shows failed mail with the server’s answer and sends it again (${viewport})`, async () => {
      const s = await b.open(viewport);
      const page = s.page;
      await page.goto(b.url('/team/mail?status=failed'));
      await page.waitForURL((u) => u.pathname === '/team/login');
      await page.getByLabel('E-mail address').fill(member.email);
      await page.getByLabel('Password').fill(member.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => u.pathname === '/team/mail');
      expect(await page.locator('h1').textContent()).toBe('Mail');
      expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
      expect(await page.content()).toContain('blocked using a very long list of reasons');
      await checkPage(s, `team-mail-failed`);
      const buttons = page.getByRole('button', { name: /^Send the .* again$/ });
      const before = await buttons.count();
      expect(before).toBeGreaterThanOrEqual(1);
      await buttons.first().click();
      await page.waitForURL((u) => u.pathname === '/team/mail' && u.search === '?done=queued');
      expect(await page.locator('.notice.ok').textContent()).toContain('The mail is due again');
      await checkPage(s, 'team-mail-queued');
      await s.context.close();
    });
  }
});
