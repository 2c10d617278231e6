import { afterAll, beforeAll, expect, it } from 'vitest';
import { localDate } from '../../src/domain/releases/release-plan.js';
import { calendarOf } from '../../src/domain/reports/sla-plan.js';
import { windowDay } from '../../src/web/views/release-parts.js';
import { checkPage, describeBrowser, startBrowserDesk, type BrowserDesk, type ViewportName } from '../support/browser.js';
import { createMember, type TestMember } from '../support/team.js';
import { digest, insertFixedReport, MAUTIC, releaseTrail, seedInventory } from './support.js';

/**
 * A member plans a critical fix in a real browser (Mautic policy), on a desktop and on a phone:
 * the release plan, the report's Release card, out of cycle with a reason, the fix build from the
 * inventory, shipped (after the confirmation) — every page checked for overflow, console errors,
 * CSP violations, unlabelled controls and duplicate ids. The desk runs on the wall clock: the
 * browser keeps cookies by its own clock, so a session from a fixed past instant would be expired.
 */
const VIEWPORTS: ViewportName[] = ['desktop', 'phone'];
const DAY = 86_400_000;

describeBrowser('the release plan in a browser', () => {
  let b: BrowserDesk;
  let member: TestMember;
  beforeAll(async () => {
    b = await startBrowserDesk({ now: new Date() });
    member = await createMember(b.desk, { role: 'member', name: 'Mara Member' });
    const now = b.desk.ctx.clock().getTime();
    await seedInventory(b.desk.ctx.db, MAUTIC, { '5.2.2-apache': digest('a'), '5.2.2-fpm': digest('b') }, new Date(now - DAY));
    await insertFixedReport(b.desk.ctx.db, new Date(now - 2 * DAY), { title: 'Session cookie without the Secure flag on a very long title that has to wrap on a phone' });
  }, 60_000);
  afterAll(() => b?.close());

  for (const viewport of VIEWPORTS) {
    it(`moves a critical report out of cycle, records its build and ships it (${viewport})`, async () => {
      const title = `RCE in the entrypoint (${viewport})`;
      const now = b.desk.ctx.clock();
      const today = windowDay(localDate(now, calendarOf(b.desk.ctx.policy)));
      const report = await insertFixedReport(b.desk.ctx.db, new Date(now.getTime() - DAY), { title, severity: 'critical', cvss_score: 9.8 });
      const s = await b.open(viewport);
      const page = s.page;
      page.on('dialog', (d) => void d.accept());
      await page.goto(b.url('/team/releases'));
      await page.waitForURL((u) => u.pathname === '/team/login');
      await page.getByLabel('E-mail address').fill(member.email);
      await page.getByLabel('Password').fill(member.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(b.url('/team/releases'));
      await page.getByRole('heading', { name: /^Security window / }).first().waitFor();
      await checkPage(s, 'team-releases');

      await page.getByRole('link', { name: title }).click();
      await page.waitForURL(b.url(`/team/reports/${report.number}`));
      await checkPage(s, 'team-report-release');
      await page.locator('#release-reason').fill('Exploited in the wild; coordinated with the Mautic Security Team');
      await page.getByRole('button', { name: 'Move out of cycle' }).click();
      await page.getByText('Moved out of cycle (critical severity)').waitFor();

      await page.getByLabel('Tag').fill('5.2.2-apache');
      await page.getByRole('button', { name: 'Record fix build' }).click();
      await page.getByRole('button', { name: 'Replace fix build' }).waitFor();
      await page.getByRole('button', { name: 'Mark shipped' }).click();
      await page.getByText(`Shipped out of cycle on ${today}`).first().waitFor();
      await checkPage(s, 'team-report-shipped');

      await page.getByRole('link', { name: 'Releases', exact: true }).click();
      await page.getByRole('heading', { name: 'Shipped in the last 90 days' }).waitFor();
      await checkPage(s, 'team-releases-shipped');
      expect((await releaseTrail(b.desk.ctx.db, report.id)).releases).toMatchObject([{ out_of_cycle: true, build_digest: digest('a'), shipped_in: 'out_of_cycle', shipped_date: localDate(now, calendarOf(b.desk.ctx.policy)) }]);
      await s.context.close();
    });
  }
});
