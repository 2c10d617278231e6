import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { totpCode } from '../../src/adapters/crypto/totp.js';
import type { DriftResult } from '../../src/app/images/check-drift.js';
import { runRebuild } from '../../src/app/rebuilds/run-rebuild.js';
import { checkPage, describeBrowser, startBrowserDesk, type BrowserDesk, type ViewportName } from '../support/browser.js';
import { startFakeGitHub, type FakeServer } from '../support/forges.js';
import { freePort } from '../support/registry.js';
import { createMember, type TestMember } from '../support/team.js';
import { writeRebuildPolicy } from './rebuild-policy.js';

/**
 * The rebuilds page in a real browser, on a desktop and a phone: long request URLs, JSON bodies,
 * digests and tag tables must stay inside the screen, and "Run now" asks before it runs.
 */
const TOKEN = 'ghp_BrowserToken0123456789abcdefABCD';
const VIEWPORTS: ViewportName[] = ['desktop', 'phone'];

const baseMoved = async (_r: unknown, recorded: { baseName: string | null; recordedBaseDigest: string | null }): Promise<DriftResult> => ({
  status: 'rebuild-needed',
  baseName: recorded.baseName,
  recordedBaseDigest: recorded.recordedBaseDigest,
  currentBaseDigest: `sha256:${'9'.repeat(64)}`,
  reason: 'The base image moved.',
});

describeBrowser('the rebuilds page in a browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-rebuild-browser-'));
  let github: FakeServer;
  let b: BrowserDesk;
  let admin: TestMember;

  beforeAll(async () => {
    github = await startFakeGitHub({ token: TOKEN, repositories: { 'acme/images-with-a-rather-long-repository-name': { workflows: { 'rebuild-all-images.yml': { id: 1, inputs: ['cvdesk'] } } } } });
    // nothing listens on this port: "Run now" checks drift for real and finds the base's registry gone, quickly
    const nowhere = `127.0.0.1:${await freePort()}`;
    const repository = `${nowhere}/acme/a-long-image-repository-name/app`;
    const policy = writeRebuildPolicy(dir, {
      images: [repository],
      rebuild: { when: 'drift', trigger: { type: 'github-workflow', repository: 'acme/images-with-a-rather-long-repository-name', workflow: 'rebuild-all-images.yml', apiUrl: github.url } },
    });
    b = await startBrowserDesk({ env: { CVDESK_POLICY: policy, CVDESK_REBUILD_TOKEN: TOKEN }, now: new Date() });
    const db = b.desk.ctx.db;
    const t0 = new Date(Date.now() - 3_600_000);
    await db.insertInto('image_repositories').values({ name: repository, last_sync_at: t0, last_success_at: t0, last_error: null }).execute();
    await db
      .insertInto('image_manifests')
      .values({ repository, digest: `sha256:${'a'.repeat(64)}`, media_type: 'application/vnd.oci.image.manifest.v1+json', platforms: '["linux/amd64"]', created: t0, revision: 'abc', version: '5.2.1', base_name: `${nowhere}/library/php:8.3-apache-bookworm`, base_digest: `sha256:${'1'.repeat(64)}`, fetched_at: t0 })
      .execute();
    for (const tag of ['5.2.1-apache', '5-apache', '6.0.0-fpm']) await db.insertInto('image_tags').values({ repository, tag, digest: `sha256:${'a'.repeat(64)}`, first_seen_at: t0, changed_at: t0, seen_at: t0 }).execute();
    await runRebuild(b.desk.ctx, { slot: new Date('2026-11-23T00:00:00Z'), source: 'schedule' }, { checkDrift: baseMoved, retryDelaysMs: [] });
    await runRebuild({ ...b.desk.ctx, config: { ...b.desk.ctx.config, rebuildToken: 'ghp_wrong' } }, { slot: new Date('2026-11-30T00:00:00Z'), source: 'schedule' }, { checkDrift: baseMoved, retryDelaysMs: [] });
    admin = await createMember(b.desk, { role: 'admin', name: 'Ada Admin' });
  }, 90_000);
  afterAll(async () => {
    await b?.close();
    await github?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const viewport of VIEWPORTS) {
    it(`shows the runs within the screen and runs one now after asking (${viewport})`, async () => {
      b.desk.setNow(new Date(b.desk.ctx.clock().getTime() + 31_000)); // a fresh TOTP step
      const s = await b.open(viewport);
      const page = s.page;
      await page.goto(b.url('/team/rebuilds'));
      await page.waitForURL((u) => u.pathname === '/team/login');
      await page.getByLabel('E-mail address').fill(admin.email);
      await page.getByLabel('Password').fill(admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => u.pathname === '/team/login/code');
      await page.getByLabel('Six-digit code').fill(await totpCode(admin.totpSecret!, b.desk.ctx.clock()));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(b.url('/team/rebuilds'));
      expect(await page.locator('h1').textContent()).toBe('Rebuilds');
      expect(await page.locator('.card h3 .badge').allTextContents()).toEqual(expect.arrayContaining(['CI triggered', 'failed']));
      expect(await page.content()).not.toContain(TOKEN);
      await checkPage(s, 'team-rebuilds');

      let asked = '';
      page.once('dialog', (d) => {
        asked = d.message();
        void d.accept();
      });
      await page.getByRole('button', { name: 'Run now' }).click();
      await page.waitForURL((u) => u.pathname === '/team/rebuilds' && u.searchParams.get('done') === 'not-needed');
      expect(asked).toBe('Check drift now and start the CI as the policy says?');
      expect(await page.locator('p.notice[role="status"]').textContent()).toContain("No supported tag's base image moved");
      await checkPage(s, 'team-rebuilds-after-run');
      await s.context.close();
    });
  }
});
