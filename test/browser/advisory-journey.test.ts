import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkPage, describeBrowser, startBrowserDesk, type BrowserDesk, type BrowserSession, type ViewportName } from '../support/browser.js';
import { createMember, type TestMember } from '../support/team.js';
import { BEFORE, FIXED, insertFixedReport, MAUTIC, seedInventory } from '../advisories-desk/support.js';

/**
 * A member drafts an advisory from a fixed report, schedules it and publishes it, in a real
 * browser on a desktop and a phone; an anonymous visitor (a browser context without cookies) finds
 * nothing of it on the public pages until it is published, then finds it there. The desk runs on
 * the wall clock (the browser keeps cookies by its own clock) with the Mautic policy set to publish
 * immediately, so a scheduled advisory is due at once and "Publish now" is the member's to press.
 * Every page is checked (overflow, console, CSP, labels, duplicate ids).
 */
const VIEWPORTS: ViewportName[] = ['desktop', 'phone'];
const DAY = 86_400_000;

function immediatePolicy(): string {
  const text = readFileSync('examples/policies/mautic-docker.yaml', 'utf8');
  if (!text.includes('publish: next-security-window')) throw new Error('the Mautic example policy no longer says "publish: next-security-window"');
  const file = join(mkdtempSync(join(tmpdir(), 'cvdesk-advisory-')), 'mautic-immediately.yaml');
  writeFileSync(file, text.replace('publish: next-security-window', 'publish: immediately'));
  return file;
}

describeBrowser('an advisory from draft to publication in a browser', () => {
  let b: BrowserDesk;
  let member: TestMember;
  let anonymous: BrowserSession;
  beforeAll(async () => {
    b = await startBrowserDesk({ now: new Date(), env: { CVDESK_POLICY: immediatePolicy() } });
    member = await createMember(b.desk, { role: 'member', name: 'Mara Member' });
    await seedInventory(b.desk.ctx.db, MAUTIC, { ...BEFORE, ...FIXED }, new Date(b.desk.ctx.clock().getTime() - DAY));
    anonymous = await b.open('desktop');
  }, 60_000);
  afterAll(() => b?.close());

  /** What the anonymous visitor sees of an advisory: its page's status and whether the index names it. */
  async function publicView(ident: string, title: string): Promise<{ status: number; listed: boolean }> {
    // requests of the visitor's browser context (no cookies), without navigating its page
    const one = await anonymous.context.request.get(b.url(`/advisories/${ident}`));
    const index = await anonymous.context.request.get(b.url('/advisories'));
    expect(index.status()).toBe(200);
    return { status: one.status(), listed: (await index.text()).includes(title) };
  }

  for (const viewport of VIEWPORTS) {
    it(`a member drafts, schedules and publishes; the public sees it only then (${viewport})`, async () => {
      const now = b.desk.ctx.clock();
      const title = `Apache variant serves the log folder (${viewport})`;
      const report = await insertFixedReport(b.desk.ctx.db, new Date(now.getTime() - 2 * DAY), { title, received_at: new Date(now.getTime() - 12 * DAY) });
      const s = await b.open(viewport);
      const page = s.page;
      await page.goto(b.url(`/team/reports/${report.number}`));
      await page.waitForURL((u) => u.pathname === '/team/login');
      await page.getByLabel('E-mail address').fill(member.email);
      await page.getByLabel('Password').fill(member.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(b.url(`/team/reports/${report.number}`));
      await checkPage(s, 'team-report-advisory-card');

      // Draft: the editor starts from the report; the member completes it, first with a mistake.
      await page.getByRole('button', { name: 'Draft an advisory' }).click();
      await page.waitForURL((u) => u.pathname === '/team/advisories/new');
      expect(await page.locator('#f-title').inputValue()).toBe(title);
      expect(await page.locator('#f-credits').inputValue()).toBe('finder: Rita Reporter');
      await page.locator('#f-summary').fill('Anyone could download files from var/logs.');
      await page.locator('#f-details').fill('The Apache configuration granted access to `/var/www/html`, where Mautic writes its logs.');
      await page.locator('#f-cvss31').fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N');
      await page.locator('#f-img0_tags').fill('');
      await page.locator('#f-img0_versions').fill('5.0.0..5.2.2');
      await page.locator('#f-img0_variants').fill('apache');
      await page.locator('#f-img0_fixed').fill('5.2.3-apache');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.locator('#f-img0_fixed-problem', { hasText: '5.2.3-apache is not in the image inventory of docker.io/mautic/mautic' }).waitFor();
      expect(await page.locator('#f-img0_fixed').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#f-summary').inputValue()).toBe('Anyone could download files from var/logs.');
      await checkPage(s, 'team-advisory-editor-problems');
      await page.locator('#f-img0_fixed').fill('5.2.2-apache');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.waitForURL((u) => /^\/team\/advisories\/CVDESK-\d{4}-\d{4}$/.test(u.pathname));
      const ident = new URL(page.url()).pathname.split('/').at(-1)!;
      await page.getByRole('heading', { name: `${ident}: ${title}` }).waitFor();
      await page.getByRole('cell', { name: 'move to 5.2.2-apache' }).first().waitFor();
      await checkPage(s, 'team-advisory-draft');
      expect(await publicView(ident, title)).toEqual({ status: 404, listed: false });

      // Schedule: the policy publishes at once, so it is due now; still nothing public.
      await page.getByRole('button', { name: 'Schedule' }).click();
      await page.getByText('Scheduled', { exact: true }).first().waitFor();
      await checkPage(s, 'team-advisory-scheduled');
      expect(await publicView(ident, title)).toEqual({ status: 404, listed: false });

      // Publish.
      await page.getByRole('button', { name: 'Publish now' }).click();
      await page.getByRole('link', { name: 'The public page' }).waitFor();
      await checkPage(s, 'team-advisory-published');
      expect((await b.desk.ctx.db.selectFrom('reports').select('state').where('id', '=', report.id).executeTakeFirstOrThrow()).state).toBe('disclosed');

      expect(await publicView(ident, title)).toEqual({ status: 200, listed: true });
      await anonymous.page.goto(b.url(`/advisories/${ident}`));
      await anonymous.page.getByRole('heading', { name: title }).first().waitFor();
      expect(await anonymous.page.content()).toContain('5.2.2-apache');
      await checkPage(anonymous, `public-advisory-after-${viewport}-journey`);
      await s.context.close();
    });
  }
});
