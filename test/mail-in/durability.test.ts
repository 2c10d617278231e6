import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/adapters/db/open-database.js';
import { openTestDatabase, testEngine } from '../support/database.js';
import { freePort, startServe } from '../support/serve-process.js';
import { deskFiles, sendTo } from './support.js';

/** The real `cvdesk serve` with its SMTP listener. */
const serve = (env: Record<string, string>) => startServe(env, { ready: 'cvdesk is receiving mail' });

/**
 * Kill the desk while mails are being delivered: every mail that got a 250 is in the database after
 * the restart, and the senders' retries of the others store each of them once.
 */
describe(`durability of mail intake (cvdesk serve killed mid-delivery, ${testEngine()})`, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('every mail answered 250 survives SIGKILL; retries after the restart store the rest once', async () => {
    const files = await deskFiles();
    cleanups.push(() => rmSync(files.dir, { recursive: true, force: true }));
    let env: Record<string, string> = { CVDESK_POLICY: files.policy, CVDESK_SIGNING_KEY_FILE: files.keyFile, CVDESK_SIGNING_KEY_PASSPHRASE: 'intake test passphrase' };
    let pg: (Database & { url?: string }) | null = null;
    if (testEngine() === 'postgres') {
      pg = await openTestDatabase();
      cleanups.push(() => pg!.close());
      env = { ...env, DATABASE_URL: pg.url!, CVDESK_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') };
    } else {
      env = { ...env, CVDESK_DATA_DIR: files.dir };
    }
    const smtpPort = await freePort();
    env = { ...env, PORT: String(await freePort()), CVDESK_SMTP_LISTEN: `127.0.0.1:${smtpPort}` };

    const first = await serve(env);
    cleanups.push(() => void first.child.kill('SIGKILL'));
    const total = 40;
    const mail = (i: number) => ({
      from: `reporter${i}@example.net`,
      to: 'security@example.org',
      subject: `Report ${i}`,
      text: `Finding number ${i}.\n${'detail '.repeat(2000)}`,
      messageId: `<durable-${i}@example.net>`,
    });
    const acknowledged = new Set<number>();
    const refusedOrBroken = new Set<number>();
    let next = 0;
    // four senders at once; the desk is killed once ten mails have their 250
    const sender = async () => {
      while (next < total) {
        const i = next++;
        try {
          const r = await sendTo(smtpPort, mail(i));
          if (r.ok) acknowledged.add(i);
          else refusedOrBroken.add(i);
        } catch {
          refusedOrBroken.add(i);
        }
        if (acknowledged.size >= 10 && first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acknowledged.size).toBeGreaterThanOrEqual(10);
    expect(refusedOrBroken.size).toBeGreaterThan(0); // the kill did interrupt deliveries

    // the restarted desk already has every acknowledged mail (a resend is "Already received")
    const second = await serve(env);
    cleanups.push(() => void second.child.kill('SIGKILL'));
    for (const i of acknowledged) {
      const r = await sendTo(smtpPort, mail(i));
      expect(r.ok && r.response, `mail ${i}`).toContain('Already received');
    }
    // the senders retry the others: each is stored now, or was already
    for (const i of refusedOrBroken) expect((await sendTo(smtpPort, mail(i))).ok, `retry of mail ${i}`).toBe(true);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    // in the database: each of the 40 mails exactly once, each a report of its own
    const database = pg ?? (await openDatabase({ kind: 'pglite', dataDir: `${files.dir}/db` }));
    if (!pg) cleanups.push(() => database.close());
    const rows = await database.db.selectFrom('inbound_mail').innerJoin('reports', 'reports.id', 'inbound_mail.report_id').select(['inbound_mail.message_id', 'reports.title', 'inbound_mail.outcome']).execute();
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(total);
    for (const i of acknowledged) expect(rows.find((r) => r.message_id === `<durable-${i}@example.net>`)).toMatchObject({ title: `Report ${i}`, outcome: 'report' });
    const reports = await database.db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(reports.n)).toBe(total);
  }, 240_000);
});
