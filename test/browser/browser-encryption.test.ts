import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deskFiles, DESK_PASSPHRASE, keyPair, type KeyPair } from '../mail-in/support.js';
import { checkPage, describeBrowser, startBrowserDesk, type BrowserDesk } from '../support/browser.js';
import { createMember, type TestMember } from '../support/team.js';
import { canaryHits, openSealed } from '../web-encryption/support.js';

/**
 * Browser encryption end to end (issue #6), in chromium under the desk's real CSP: a reporter files
 * with "Encrypt in my browser" on (text and a file); the database then holds only ciphertext, which
 * the project key decrypts (in Node, here); a team member decrypts the report in the team page with
 * the key file and passphrase and sees the text (as text) and downloads the file. Without
 * JavaScript the same form files a plain report.
 */
const CANARY = 'CANARY-BROWSER-5e1f0d';
const FILE_CANARY = 'CANARY-BROWSER-FILE-77aa01';
const HOSTILE = '<img src=x id=injected>';

describeBrowser('browser encryption of reports', () => {
  let b: BrowserDesk;
  let deskKey: KeyPair;
  let member: TestMember;

  beforeAll(async () => {
    deskKey = await keyPair('Example Security Team', 'crypt@example.org', DESK_PASSPHRASE);
    const files = await deskFiles({ deskKey });
    b = await startBrowserDesk({ env: { CVDESK_POLICY: files.policy, CVDESK_SIGNING_KEY_FILE: files.keyFile, CVDESK_SIGNING_KEY_PASSPHRASE: DESK_PASSPHRASE } });
    member = await createMember(b.desk, { role: 'member', name: 'Mia Member' });
  }, 60_000);
  afterAll(() => b?.close());

  it('a reporter files encrypted; only ciphertext is stored; a team member decrypts it in the page', async () => {
    const s = await b.open('desktop');
    const page = s.page;
    await page.goto(b.url('/report?lang=en'));
    const toggle = page.getByLabel('Encrypt in my browser');
    await expect.poll(() => toggle.isVisible()).toBe(true);
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await checkPage(s, 'encrypt-form');
    await page.getByLabel('Title').fill(`Upload handler runs code ${CANARY} ${HOSTILE}`);
    await page.getByLabel('Description').fill(`Posting a .phar runs it. ${CANARY}`);
    await page.getByLabel('Steps to reproduce').fill('curl -F f=@x.phar https://example.test/upload');
    await page.getByLabel('Tag').fill('5.2.1-apache');
    await page.getByLabel('Your e-mail address').fill('rita@example.net');
    await page.locator('#attachments').setInputFiles({ name: 'poc.txt', mimeType: 'text/plain', buffer: Buffer.from(`proof ${FILE_CANARY}\n`) });
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.locator('#tracking-link').waitFor();
    await checkPage(s, 'encrypt-created');
    await s.context.close();

    const row = await b.desk.ctx.db.selectFrom('reports').selectAll().orderBy('number', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ encrypted: true, title: 'Encrypted report', tag: '5.2.1-apache', reporter_email: 'rita@example.net', steps: null });
    const plain = JSON.parse((await openSealed(deskKey, row.description)) as string) as { title: string; description: string; steps: string; attachments: Array<{ file: string; name: string }> };
    expect(plain).toMatchObject({ title: `Upload handler runs code ${CANARY} ${HOSTILE}`, description: `Posting a .phar runs it. ${CANARY}`, attachments: [{ file: 'attachment-1.pgp', name: 'poc.txt' }] });
    const file = await b.desk.ctx.db.selectFrom('attachments').selectAll().where('report_id', '=', row.id).executeTakeFirstOrThrow();
    expect(file.filename).toBe('attachment-1.pgp');
    expect(Buffer.from((await openSealed(deskKey, file.data)) as Uint8Array).toString()).toBe(`proof ${FILE_CANARY}\n`);
    expect(await canaryHits(b.desk.ctx.db, CANARY)).toEqual([]);
    expect(await canaryHits(b.desk.ctx.db, FILE_CANARY)).toEqual([]);
    expect(b.desk.logs.join('')).not.toContain(CANARY);

    const t = await b.open('desktop');
    const tp = t.page;
    await tp.goto(b.url(`/team/reports/${row.number}`));
    await tp.getByLabel('E-mail address').fill(member.email);
    await tp.getByLabel('Password').fill(member.password);
    await tp.getByRole('button', { name: 'Sign in' }).click();
    await tp.waitForURL((u) => u.pathname === `/team/reports/${row.number}`);
    await tp.getByRole('button', { name: 'Decrypt in this browser' }).waitFor();
    await checkPage(t, 'decrypt-panel');
    const keyRequests: string[] = [];
    tp.on('request', (r) => {
      if (r.method() !== 'GET' || (r.postData() ?? '').length > 0) keyRequests.push(`${r.method()} ${r.url()}`);
    });
    await tp.locator('#sealed-key-file').setInputFiles({ name: 'desk-key.asc', mimeType: 'application/pgp-keys', buffer: Buffer.from(deskKey.privateKey) });
    await tp.getByLabel('Passphrase').fill(DESK_PASSPHRASE);
    await tp.getByRole('button', { name: 'Decrypt in this browser' }).click();
    const description = tp.locator('#sealed-plain [data-field="description"]');
    await description.waitFor();
    expect(await description.textContent()).toBe(`Posting a .phar runs it. ${CANARY}`);
    expect(await tp.locator('#sealed-plain [data-field="title"]').textContent()).toBe(`Upload handler runs code ${CANARY} ${HOSTILE}`);
    expect(await tp.locator('#injected').count()).toBe(0);
    expect(await tp.getByLabel('Passphrase').inputValue()).toBe('');
    const link = tp.locator('#sealed-plain a', { hasText: 'poc.txt' });
    await link.waitFor();
    const [download] = await Promise.all([tp.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('poc.txt');
    expect((await readFile(await download.path())).toString()).toBe(`proof ${FILE_CANARY}\n`);
    // Nothing but GETs of the desk's own files left the page while it decrypted: the key stays in it.
    expect(keyRequests).toEqual([]);
    await checkPage(t, 'decrypt-done');
    await t.context.close();
  });

  it('a wrong passphrase says so in the page and decrypts nothing', async () => {
    const row = await b.desk.ctx.db.selectFrom('reports').select('number').where('encrypted', '=', true).orderBy('number', 'desc').executeTakeFirstOrThrow();
    const t = await b.open('phone');
    const tp = t.page;
    await tp.goto(b.url(`/team/reports/${row.number}`));
    await tp.getByLabel('E-mail address').fill(member.email);
    await tp.getByLabel('Password').fill(member.password);
    await tp.getByRole('button', { name: 'Sign in' }).click();
    await tp.waitForURL((u) => u.pathname === `/team/reports/${row.number}`);
    await tp.getByLabel('Or paste the armored private key').fill(deskKey.privateKey);
    await tp.getByLabel('Passphrase').fill('not the passphrase');
    await tp.getByRole('button', { name: 'Decrypt in this browser' }).click();
    await expect.poll(() => tp.locator('#sealed-status').textContent()).toMatch(/^Not decrypted: /);
    expect(await tp.locator('#sealed-plain').isVisible()).toBe(false);
    await checkPage(t, 'decrypt-wrong-passphrase');
    await t.context.close();
  });

  it('without JavaScript the form offers no encryption and files a plain report', async () => {
    const context = await b.browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(b.url('/report?lang=en'));
    expect(await page.getByLabel('Encrypt in my browser').isVisible()).toBe(false);
    await page.getByLabel('Title').fill('Plain report without JavaScript');
    await page.getByLabel('Description').fill('NOJS-PLAIN-TEXT');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.locator('#tracking-link').waitFor();
    const row = await b.desk.ctx.db.selectFrom('reports').selectAll().orderBy('number', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ encrypted: false, title: 'Plain report without JavaScript', description: 'NOJS-PLAIN-TEXT' });
    await context.close();
  });
});
