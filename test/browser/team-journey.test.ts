import { afterAll, beforeAll, expect, it } from 'vitest';
import { totpCode } from '../../src/adapters/crypto/totp.js';
import { checkPage, describeBrowser, startBrowserDesk, type BrowserDesk, type ViewportName } from '../support/browser.js';
import { createMember, type TestMember } from '../support/team.js';

/**
 * The security team's journey in a real browser (Mautic policy): sign in with password and TOTP,
 * find the new report in the inbox, acknowledge it, rate it with a CVSS vector, write to the
 * reporter; then the reporter reads that message behind the tracking link. Once on a desktop and
 * once on a phone. The desk's clock is fixed and moved on by hand: every TOTP step may be used
 * once, and the conversation's order needs distinct times.
 */
const VIEWPORTS: ViewportName[] = ['desktop', 'phone'];
const VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

describeBrowser('the security team in a browser', () => {
  let b: BrowserDesk;
  let admin: TestMember;
  const tick = (seconds: number) => b.desk.setNow(new Date(b.desk.ctx.clock().getTime() + seconds * 1000));

  beforeAll(async () => {
    b = await startBrowserDesk({ now: new Date() });
    admin = await createMember(b.desk, { role: 'admin', name: 'Ada Admin' });
  }, 60_000);
  afterAll(() => b?.close());

  for (const viewport of VIEWPORTS) {
    it(`signs in with TOTP, triages, rates and answers a report; the reporter reads the answer (${viewport})`, async () => {
      const title = `Default admin password in the image (${viewport})`;
      const filed = await b.desk.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({
          title,
          image: 'docker.io/mautic/mautic',
          tag: '5.2.1-apache',
          description: 'The entrypoint creates admin/admin when MAUTIC_ADMIN_PASSWORD is unset.',
          steps: 'docker run mautic/mautic:5.2.1-apache, then sign in as admin/admin.',
          credit: { wish: 'name', name: 'Rita R.' },
        }),
      });
      expect(filed.statusCode, filed.body).toBe(201);
      const { trackingUrl, number } = filed.json<{ trackingUrl: string; number: number }>();
      tick(31); // a TOTP step the enrolment (or the last sign-in) has not used

      const s = await b.open(viewport);
      const page = s.page;
      await page.goto(b.url('/team'));
      await page.waitForURL((u) => u.pathname === '/team/login' && u.searchParams.get('next') === '/team');
      await checkPage(s, 'team-login');
      await page.getByLabel('E-mail address').fill(admin.email);
      await page.getByLabel('Password').fill(admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => u.pathname === '/team/login/code');
      await checkPage(s, 'team-code');
      await page.getByLabel('Six-digit code').fill(await totpCode(admin.totpSecret!, b.desk.ctx.clock()));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(b.url('/team'));

      const row = page.getByRole('link', { name: title });
      await row.waitFor();
      await checkPage(s, 'team-inbox');
      await row.click();
      await page.waitForURL(b.url(`/team/reports/${number}`));
      const stateBadge = page.locator('main > p.actions .badge').first();
      expect(await stateBadge.textContent()).toBe('Received');

      tick(60);
      await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
      await page.locator('main > p.actions .badge', { hasText: 'Acknowledged' }).waitFor();

      tick(60);
      await page.getByLabel('CVSS vector').fill(VECTOR);
      await page.getByRole('button', { name: 'Save details' }).click();
      await page.getByText('CVSS 9.8', { exact: true }).waitFor();
      expect(await page.locator('main > p.actions .badge.sev-critical').textContent()).toBe('critical');

      tick(60);
      const answer = `Thank you, confirmed on 5.2.1-apache; the fix goes into the next rebuild. (${viewport})`;
      await page.getByLabel('Write').fill(answer);
      await page.getByRole('button', { name: 'Send to reporter' }).click();
      await page.locator('.message.team .body', { hasText: answer }).waitFor();
      await checkPage(s, 'team-report');

      for (const [path, name, heading] of [
        ['/team/sla', 'team-sla', 'SLA performance'],
        ['/team/members', 'team-members', 'Members'],
        ['/team/audit', 'team-audit', undefined],
        ['/team/account', 'team-account', undefined],
      ] as const) {
        await page.goto(b.url(path));
        if (heading) expect(await page.locator('h1').textContent()).toBe(heading);
        await checkPage(s, name);
      }

      // The reporter, in a browser of their own, sees the state and the team's message.
      const r = await b.open(viewport);
      await r.page.goto(trackingUrl);
      await r.page.waitForURL(b.url('/report/status'));
      expect(await r.page.locator('.badge').first().textContent()).toBe('Acknowledged');
      expect(await r.page.locator('#conversation .message.team .body').allTextContents()).toEqual([answer]);
      await checkPage(r, 'status-team-answer');

      const stored = await b.desk.ctx.db.selectFrom('reports').select(['state', 'severity', 'cvss_score', 'cvss_vector']).where('number', '=', number).executeTakeFirstOrThrow();
      expect(stored).toEqual({ state: 'acknowledged', severity: 'critical', cvss_score: 9.8, cvss_vector: VECTOR });
    });
  }
});
