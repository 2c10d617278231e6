/**
 * The team's inventory page in a real browser, on a desktop and a phone: a long repository name,
 * a long error, digests, platforms and reasons must stay inside the screen (the tag table scrolls
 * inside its frame), under the strict CSP, with nothing unlabelled.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkPage, describeBrowser, startBrowserDesk, type BrowserDesk, type ViewportName } from '../support/browser.js';
import { createMember, type TestMember } from '../support/team.js';
import { policyYaml } from './inventory-support.js';

const VIEWPORTS: ViewportName[] = ['desktop', 'phone'];
const REPO = 'registry.example.org/acme/a-rather-long-image-repository-name/with-nested/components';
const d = (c: string) => `sha256:${c.repeat(64)}`;

describeBrowser('the inventory page in a browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-inventory-browser-'));
  let b: BrowserDesk;
  let member: TestMember;

  beforeAll(async () => {
    writeFileSync(join(dir, 'policy.yaml'), policyYaml([REPO]));
    b = await startBrowserDesk({ env: { CVDESK_POLICY: join(dir, 'policy.yaml') }, now: new Date() });
    const db = b.desk.ctx.db;
    const t0 = new Date(Date.now() - 3_600_000);
    const error = `registry registry.example.org: digest mismatch for repository acme/a-rather-long-image-repository-name/with-nested/components, manifest :1.2.3-php8.3-apache-bookworm: the content hashes to ${d('e')}`;
    await db.insertInto('image_repositories').values({ name: REPO, last_sync_at: new Date(), last_success_at: t0, last_error: error }).execute();
    await db.insertInto('image_syncs').values({ id: 'x', repository: REPO, started_at: new Date(), finished_at: new Date(), status: 'failed', tags_total: 4, manifests_fetched: 0, tags_added: 0, tags_changed: 0, tags_removed: 0, error }).execute();
    await db
      .insertInto('image_manifests')
      .values({ repository: REPO, digest: d('a'), media_type: 'application/vnd.oci.image.index.v1+json', platforms: '["linux/amd64","linux/arm64/v8","linux/arm/v7","linux/ppc64le","linux/s390x"]', created: t0, revision: '0123456789abcdef0123456789abcdef01234567', version: '1.2.3', base_name: null, base_digest: null, fetched_at: t0 })
      .execute();
    for (const tag of ['1.2.3-php8.3-apache-bookworm', '1.2-php8.3-apache-bookworm', 'latest', 'main-0123abc-1767225600']) {
      await db.insertInto('image_tags').values({ repository: REPO, tag, digest: d('a'), first_seen_at: t0, changed_at: t0, seen_at: t0 }).execute();
    }
    member = await createMember(b.desk, { role: 'member', name: 'Mia Member' });
  }, 90_000);
  afterAll(async () => {
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const viewport of VIEWPORTS) {
    it(`shows the repository and its tags within the screen (${viewport})`, async () => {
      const s = await b.open(viewport);
      const page = s.page;
      await page.goto(b.url('/team/images'));
      await page.waitForURL((u) => u.pathname === '/team/login');
      await page.getByLabel('E-mail address').fill(member.email);
      await page.getByLabel('Password').fill(member.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(b.url('/team/images'));
      expect(await page.locator('h1').textContent()).toBe('Images');
      expect(await page.locator('h2 .badge').allTextContents()).toEqual(['last sync failed']);
      expect(await page.locator('tbody tr').count()).toBe(4);
      await checkPage(s, `team-images-${viewport}`);
    });
  }
});
