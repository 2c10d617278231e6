import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCleartext } from '../../src/adapters/pgp/clearsign.js';
import { listAdminNotices } from '../../src/app/admin-notices.js';
import { renewExpiringSecurityTxt, SECURITY_TXT_NOTICE_KEY } from '../../src/app/renew-expiring-security-txt.js';
import { verifyAuditLog } from '../../src/app/verify-audit-log.js';
import { parseSecurityTxt } from '../../src/formats/security-txt/index.js';
import { startJobs } from '../../src/jobs/index.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

const DAY = 86_400_000;
const T0 = new Date('2026-11-23T10:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * DAY);

describe(`security.txt expiry job on ${testEngine()}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-sectxt-job-'));
  let desk: TestDesk;
  let publicKey = '';
  beforeAll(async () => {
    const key = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'desk', email: 'security@example.org' }], date: new Date('2026-01-01T00:00:00Z') });
    publicKey = key.publicKey;
    writeFileSync(join(dir, 'signing.asc'), key.privateKey);
    desk = await startTestDesk({ now: T0, env: { CVDESK_SIGNING_KEY_FILE: join(dir, 'signing.asc') } });
  });
  afterAll(async () => {
    await desk?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const served = async () => {
    const r = await desk.app.inject('/.well-known/security.txt');
    expect(r.statusCode).toBe(200);
    const parsed = parseSecurityTxt(r.body);
    return { text: r.body, parsed, expires: parsed.fields.find((f) => f.key === 'expires')?.value };
  };
  const renewals = () => desk.ctx.db.selectFrom('audit_log').select(['action', 'actor_kind', 'detail']).where('action', '=', 'security_txt.renewed').orderBy('seq').execute();

  it('a file far from its Expires is left alone: no renewal, no notice, no audit entry', async () => {
    expect(await renewExpiringSecurityTxt(desk.ctx)).toEqual({ kind: 'fresh', expires: '2027-05-22T10:00:00.000Z' }); // first render: 180 days
    desk.setNow(day(149)); // 31 days before Expires: outside the 30-day renewBefore
    expect(await renewExpiringSecurityTxt(desk.ctx)).toMatchObject({ kind: 'fresh' });
    expect((await served()).expires).toBe('2027-05-22T10:00:00Z');
    expect(await listAdminNotices(desk.ctx.db)).toEqual([]);
    expect(await renewals()).toEqual([]);
  });

  it('within renewBefore: renews, re-signs with a fresh Expires (the new file verifies), audits and tells the admins', async () => {
    const before = await served();
    desk.setNow(day(155)); // 25 days before Expires
    const r = await renewExpiringSecurityTxt(desk.ctx);
    expect(r).toEqual({ kind: 'renewed', previousExpires: '2027-05-22T10:00:00.000Z', expires: '2027-10-24T10:00:00.000Z', signed: true, wasExpired: false });

    const after = await served();
    expect(after.text).not.toBe(before.text);
    expect(after.expires).toBe('2027-10-24T10:00:00Z'); // day 155 + 180 days
    expect(after.parsed.signed).toBe(true);
    // signed at the desk's (fixed) clock, so judged at that instant
    const verified = await verifyCleartext(after.parsed.signature!, publicKey, { date: desk.ctx.clock() });
    expect(verified.valid).toBe(true);
    const tampered = { ...after.parsed.signature!, signedText: after.parsed.signature!.signedText.replace('2027-10-24', '2028-10-24') };
    expect((await verifyCleartext(tampered, publicKey, { date: desk.ctx.clock() })).valid).toBe(false);

    const [notice, ...more] = await listAdminNotices(desk.ctx.db);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ key: SECURITY_TXT_NOTICE_KEY, level: 'warn', count: 1, dismissedAt: null });
    expect(notice!.message).toContain('was due to expire on 2027-05-22');
    expect(notice!.message).toContain('rendered and signed again with Expires 2027-10-24');
    expect(await renewals()).toEqual([
      { action: 'security_txt.renewed', actor_kind: 'system', detail: { previousExpires: '2027-05-22T10:00:00.000Z', expires: '2027-10-24T10:00:00.000Z', signed: true, wasExpired: false } },
    ]);
    expect(desk.logs.join('')).toMatch(/"level":40.*security.txt was about to expire and has been renewed/);
    // run again the same day: nothing more to do
    expect(await renewExpiringSecurityTxt(desk.ctx)).toMatchObject({ kind: 'fresh' });
    expect(await renewals()).toHaveLength(1);
  });

  it('already expired (the desk was down): renewed, and the notice says so, as a bad one', async () => {
    desk.setNow(day(155 + 181));
    const r = await renewExpiringSecurityTxt(desk.ctx);
    expect(r).toMatchObject({ kind: 'renewed', previousExpires: '2027-10-24T10:00:00.000Z', wasExpired: true, signed: true });
    const [notice] = await listAdminNotices(desk.ctx.db);
    expect(notice).toMatchObject({ key: SECURITY_TXT_NOTICE_KEY, level: 'bad', count: 2 });
    expect(notice!.message).toContain('had expired on 2027-10-24');
    expect(await verifyAuditLog(desk.ctx.db)).toMatchObject({ intact: true });
  });

  it('without a signing key it renews too, unsigned, and the notice says how to get it signed', async () => {
    const unsigned = { ...desk.ctx, signingKey: null };
    desk.setNow(day(155 + 181 + 170)); // 10 days before the last Expires
    const r = await renewExpiringSecurityTxt(unsigned);
    expect(r).toMatchObject({ kind: 'renewed', signed: false, wasExpired: false });
    const row = await desk.ctx.db.selectFrom('settings').select('value').where('key', '=', 'security_txt').executeTakeFirstOrThrow();
    const text = (row.value as { text: string }).text;
    expect(parseSecurityTxt(text).signed).toBe(false);
    expect(text).toContain(`Expires: ${new Date(day(155 + 181 + 170).getTime() + 180 * DAY).toISOString().replace('.000Z', 'Z')}`);
    expect((await listAdminNotices(desk.ctx.db))[0]!.message).toContain('unsigned (set CVDESK_SIGNING_KEY_FILE');
  });

  it('a signing key that does not open: the file keeps its Expires, the admins hear of it, the job fails', async () => {
    const before = await desk.ctx.db.selectFrom('settings').select('value').where('key', '=', 'security_txt').executeTakeFirstOrThrow();
    const expires = new Date((before.value as { expires: string }).expires);
    desk.setNow(new Date(expires.getTime() - 5 * DAY));
    await expect(renewExpiringSecurityTxt({ ...desk.ctx, signingKey: 'not a key' })).rejects.toThrow(/cannot sign/);
    const after = await desk.ctx.db.selectFrom('settings').select('value').where('key', '=', 'security_txt').executeTakeFirstOrThrow();
    expect(after.value).toEqual(before.value);
    const [notice] = await listAdminNotices(desk.ctx.db);
    expect(notice).toMatchObject({ level: 'bad' });
    expect(notice!.message).toMatch(/^The served security.txt could not be renewed: cannot sign/);
  });

  it('startJobs runs the check once at start: a desk started near Expires renews at once and records the run', async () => {
    const before = await desk.ctx.db.selectFrom('settings').select('value').where('key', '=', 'security_txt').executeTakeFirstOrThrow();
    const expires = new Date((before.value as { expires: string }).expires);
    const startedAt = new Date(expires.getTime() - 3 * DAY);
    desk.setNow(startedAt);
    const jobs = startJobs(desk.ctx, { tickMs: 60_000, pollMs: 60_000 });
    await jobs.idle();
    await jobs.stop();
    const after = await served();
    expect(new Date(after.expires!).getTime()).toBe(Math.floor((startedAt.getTime() + 180 * DAY) / 1000) * 1000);
    expect((await verifyCleartext(after.parsed.signature!, publicKey, { date: desk.ctx.clock() })).valid).toBe(true);
    const run = await desk.ctx.db.selectFrom('job_runs').selectAll().where('name', '=', 'security-txt-expiry').executeTakeFirstOrThrow();
    expect(run).toMatchObject({ finished_at: startedAt, error: null });
  });
});
