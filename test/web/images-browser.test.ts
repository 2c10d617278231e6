import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkPage, describeBrowser, startBrowserDesk, type BrowserDesk, type ViewportName } from '../support/browser.js';
import { MAUTIC, MAUTIC_TAGS, insertInventory, writeImagesPolicy } from './images-support.js';

/**
 * An operator asks the public page whether their tag is supported, in a real browser: from the
 * navigation to the form to the answer, on a desktop and on a phone (long digests must wrap).
 */
const VIEWPORTS: ViewportName[] = ['desktop', 'phone'];

describeBrowser('the image tag pages in a browser', () => {
  let b: BrowserDesk;
  beforeAll(async () => {
    b = await startBrowserDesk({ env: { CVDESK_POLICY: writeImagesPolicy([MAUTIC, '127.0.0.1:5000/acme/a-rather-long-repository-name-for-phones']) } });
    await insertInventory(b.desk.ctx.db, MAUTIC, MAUTIC_TAGS);
  }, 60_000);
  afterAll(() => b?.close());

  for (const viewport of VIEWPORTS) {
    it(`finds the page, asks about a tag and reads where to move (${viewport})`, async () => {
      const s = await b.open(viewport);
      const page = s.page;
      await page.goto(b.url('/'));
      await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Image tags' }).click();
      await page.waitForURL(b.url('/images'));
      await checkPage(s, 'images-form');

      await page.getByLabel('Image', { exact: true }).selectOption(MAUTIC);
      await page.getByRole('textbox', { name: /^Tag/ }).fill('4.4.13-apache');
      await page.getByRole('button', { name: 'Check the tag' }).click();
      await page.waitForURL(b.url(`/images/${MAUTIC}/tags/4.4.13-apache`));
      await checkPage(s, 'images-answer');
      expect(await page.locator('.notice').textContent()).toBe('This tag does not receive security advisories. Move to 6.0.0-apache, the newest supported release of its variant.');

      // the tag to move to is one click away, and answers too
      await page.locator('main dl').getByRole('link', { name: '6.0.0-apache' }).click();
      await page.waitForURL(b.url(`/images/${MAUTIC}/tags/6.0.0-apache`));
      expect(await page.locator('.notice').textContent()).toContain('This tag receives security advisories.');

      // an unknown tag: the answer says so, and the form is there to try again
      await page.getByRole('textbox', { name: /^Tag/ }).fill('9.9.9');
      await page.getByRole('button', { name: 'Check the tag' }).click();
      await page.waitForURL(b.url(`/images/${MAUTIC}/tags/9.9.9`));
      expect(await page.getByRole('alert').textContent()).toBe(`${MAUTIC} has no tag 9.9.9.`);
      await checkPage(s, 'images-unknown');
    }, 60_000);
  }
});
