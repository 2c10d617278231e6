import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkPage, describeBrowser, startBrowserDesk, type BrowserDesk, type ViewportName } from '../support/browser.js';

/**
 * The reporter's journey in a real browser, on a desk with a bilingual policy (OZG: en, de):
 * home → report form → tracking link (shown once) → the link opened in a browser without cookies
 * → status page → a reply. Once on a desktop and once on a phone.
 */
const IMAGE = 'registry.opencode.de/bmi/ozg-rahmenarchitektur/ozgsec/ozgsec-best-practice-scanner';
const VIEWPORTS: ViewportName[] = ['desktop', 'phone'];

describeBrowser('the reporter in a browser', () => {
  let b: BrowserDesk;
  beforeAll(async () => {
    b = await startBrowserDesk({ env: { CVDESK_POLICY: 'examples/policies/ozg-security-scanner.yaml' } });
  }, 60_000);
  afterAll(() => b?.close());

  for (const viewport of VIEWPORTS) {
    it(`submits a report with a file, opens the tracking link in a fresh browser and replies (${viewport})`, async () => {
      const title = `Scanner follows redirects to internal hosts (${viewport})`;
      const s = await b.open(viewport);
      const page = s.page;

      await page.goto(b.url('/'));
      await checkPage(s, 'home');
      await page.locator('main').getByRole('link', { name: 'Report a vulnerability' }).click();
      await page.waitForURL(b.url('/report'));
      await checkPage(s, 'report-form');

      // Found by their labels, as a screen reader user would find them.
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('Affected image').selectOption(IMAGE);
      await page.getByLabel('Tag', { exact: false }).fill('main-1a2b3c4-1767225600');
      await page.getByLabel('Description').fill('The scan target is fetched with redirects on, so http://example.org/ → http://169.254.169.254/ reaches the metadata service.');
      await page.getByLabel('Steps to reproduce').fill('1. Host a redirect to 169.254.169.254.\n2. Scan it.\n3. Read the metadata in the result.');
      await page.getByLabel('Impact').fill('Cloud credentials of the scanner host leak to anyone who can start a scan.');
      await page.getByLabel('CVSS vector').fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N');
      await page.getByLabel('Attachments').setInputFiles({ name: 'poc.txt', mimeType: 'text/plain', buffer: Buffer.from('curl -sI http://target/ | grep Location\n') });
      await page.getByLabel('Your name').fill('Grace Reporter');
      await page.getByLabel('Your e-mail address').fill('grace@researcher.example');
      await page.getByRole('radio', { name: 'Credit me as' }).check();
      await page.getByRole('textbox', { name: 'Credit me as' }).fill('Grace R.');
      await page.getByRole('button', { name: 'Send report' }).click();

      const linkBox = page.locator('#tracking-link');
      await linkBox.waitFor();
      const link = (await linkBox.textContent())!.trim();
      expect(link).toMatch(new RegExp(`^${b.baseUrl.replace(/[.]/g, '\\.')}/r/[A-Za-z0-9_-]{32,}$`));
      expect(await page.locator('h1').textContent()).toBe('Your report has been received');
      await checkPage(s, 'tracking-link');
      // The copy button is progressive enhancement from /assets/app.js: it must work under the CSP.
      await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: b.baseUrl });
      await page.getByRole('button', { name: 'Copy link' }).click();
      await page.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

      // The link alone opens the report: a new browser context has no cookie of the first.
      const r = await b.open(viewport);
      await r.page.goto(link);
      await r.page.waitForURL(b.url('/report/status')); // the token leaves the address bar
      expect(await r.page.locator('h1').textContent()).toBe(title);
      expect(await r.page.locator('.badge').first().textContent()).toBe('Received');
      await r.page.getByRole('link', { name: 'poc.txt' }).waitFor();
      await checkPage(r, 'status');

      const answer = `Also reachable over IPv6 (::ffff:169.254.169.254) — ${viewport}.`;
      await r.page.getByLabel('Message').fill(answer);
      await r.page.getByRole('button', { name: 'Send message' }).click();
      await r.page.waitForURL((u) => u.pathname === '/report/status' && u.searchParams.get('done') === 'reply');
      expect(await r.page.getByRole('status').textContent()).toContain('Your message has been sent.');
      expect(await r.page.locator('#conversation .message.reporter .body').allTextContents()).toEqual([answer]);
      await checkPage(r, 'status-replied');

      // What the browser showed is what the desk stored.
      const row = await b.desk.ctx.db.selectFrom('reports').select(['id', 'image', 'tag', 'credit_name', 'reporter_email', 'channel']).where('title', '=', title).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ image: IMAGE, tag: 'main-1a2b3c4-1767225600', credit_name: 'Grace R.', reporter_email: 'grace@researcher.example', channel: 'web' });
      const messages = await b.desk.ctx.db.selectFrom('messages').select(['body', 'author_kind']).where('report_id', '=', row.id).execute();
      expect(messages).toEqual([{ body: answer, author_kind: 'reporter' }]);
      const files = await b.desk.ctx.db.selectFrom('attachments').select(['filename', 'content_type']).where('report_id', '=', row.id).execute();
      expect(files).toEqual([{ filename: 'poc.txt', content_type: 'text/plain' }]);
    });
  }

  for (const viewport of VIEWPORTS) {
    it(`shows the policy page and a missing page (${viewport})`, async () => {
      const s = await b.open(viewport);
      await s.page.goto(b.url('/policy'));
      await checkPage(s, 'policy');
      const missing = await s.page.goto(b.url('/no/such/page'));
      expect(missing?.status()).toBe(404);
      await checkPage(s, 'not-found');
      // A tracking link that does not exist tells nothing about tokens: the same 404 page.
      const stale = await s.page.goto(b.url('/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
      expect(stale?.status()).toBe(404);
    });
  }

  for (const viewport of VIEWPORTS) {
    it(`shows the form in German with ?lang=de (${viewport})`, async () => {
      const s = await b.open(viewport);
      await s.page.goto(b.url('/report?lang=de'));
      expect(await s.page.locator('html').getAttribute('lang')).toBe('de');
      expect(await s.page.locator('h1').textContent()).toBe('Schwachstelle melden');
      const label = (id: string) => s.page.locator(`label[for="${id}"]`).first().textContent();
      expect(await label('title')).toContain('Titel');
      expect(await label('description')).toContain('Beschreibung');
      expect(await label('steps')).toContain('Schritte zum Nachvollziehen');
      expect(await label('reporterEmail')).toContain('Ihre E-Mail-Adresse');
      expect(await s.page.getByRole('button', { name: 'Meldung senden' }).count()).toBe(1);
      await checkPage(s, 'report-form-de');
    });
  }
});
