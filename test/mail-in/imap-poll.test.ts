import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImapMailbox, PROCESSED, TOO_LARGE } from '../../src/adapters/mail/imap-mailbox.js';
import { listAdminNotices } from '../../src/app/admin-notices.js';
import { AppError } from '../../src/app/errors.js';
import { envelopeOf, IMAP_NOTICE_KEY, pollImap } from '../../src/app/mail/poll-imap.js';
import { replyAddressFor } from '../../src/app/mail/reply-token.js';
import { imapTasks } from '../../src/jobs/imap-tasks.js';
import { openTestDatabaseTwice, testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { dovecotMissing, selfSignedCert, startDovecot, type Dovecot } from './imap-dovecot.js';
import { CRLF, DESK_PASSPHRASE, deskFiles, encryptTo, pgpMimeEncrypted, type KeyPair } from './support.js';

const skip = dovecotMissing();
if (skip) console.warn(skip);

const USER = 'security@example.org';
const PASSWORD = 'imap s3cret/@%pass';
const T0 = new Date('2026-11-23T12:00:00Z');

let counter = 0;
/** One mail as an MTA would have delivered it to the mailbox (with the envelope it wrote down). */
function mail(o: { from?: string; to?: string; subject?: string; body?: string; messageId?: string; returnPath?: string | null; extra?: string[] } = {}): string {
  const n = ++counter;
  const from = o.from ?? `finder${n}@researcher.example`;
  return CRLF([
    ...(o.returnPath === null ? [] : [`Return-Path: <${o.returnPath ?? from}>`]),
    `Delivered-To: ${USER}`,
    `From: Finder ${n} <${from}>`,
    `To: ${o.to ?? USER}`,
    `Subject: ${o.subject ?? `IMAP report ${n}: XSS in the widget title`}`,
    `Message-ID: ${o.messageId ?? `<imap-${n}-${process.pid}@researcher.example>`}`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...(o.extra ?? []),
    '',
    o.body ?? `The widget title is not escaped (${n}). Steps: name a widget <script>alert(${n})</script>.`,
    '',
  ]);
}

describe.skipIf(skip !== null)(`IMAP intake against dovecot on ${testEngine()}`, () => {
  let dovecot: Dovecot;
  let dbs: Awaited<ReturnType<typeof openTestDatabaseTwice>>;
  let desk: TestDesk;
  let other: TestDesk;
  let files: { dir: string; policy: string; keyFile: string; deskKey: KeyPair };
  let client: ImapFlow;
  const certDir = mkdtempSync(join(tmpdir(), 'cvdesk-imap-ca-'));
  const cert = selfSignedCert();
  writeFileSync(join(certDir, 'ca.pem'), cert.cert);

  const url = (o: { password?: string; folder?: string; tls?: boolean; port?: number } = {}) =>
    `${o.tls ? 'imaps' : 'imap'}://${encodeURIComponent(USER)}:${encodeURIComponent(o.password ?? PASSWORD)}@127.0.0.1:${o.port ?? (o.tls ? dovecot.tlsPort : dovecot.port)}/${o.folder ?? 'INBOX'}`;
  const env = (over: Record<string, string> = {}) => ({
    CVDESK_POLICY: files.policy,
    CVDESK_SIGNING_KEY_FILE: files.keyFile,
    CVDESK_SIGNING_KEY_PASSPHRASE: DESK_PASSPHRASE,
    CVDESK_IMAP_URL: url(),
    CVDESK_IMAP_POLL_CRON: 'off',
    ...over,
  });
  const deliver = async (raw: string, folder = 'INBOX') => {
    const r = await client.append(folder, raw);
    return (r as { uid?: number }).uid!;
  };
  const flagsOf = async (folder = 'INBOX') => {
    const lock = await client.getMailboxLock(folder);
    try {
      await client.noop(); // take in what other connections changed (expunges arrive between commands)
      const out = new Map<number, string[]>();
      for await (const m of client.fetch('1:*', { uid: true, flags: true }, { uid: false })) out.set(m.uid, [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort());
      return out;
    } catch {
      return new Map<number, string[]>(); // an empty folder has no 1:*
    } finally {
      lock.release();
    }
  };
  const emailReports = () => desk.ctx.db.selectFrom('reports').select(['id', 'number', 'title', 'description', 'reporter_email', 'channel']).where('channel', '=', 'email').orderBy('number').execute();
  const withDesk = async <T,>(over: Record<string, string>, run: (d: TestDesk) => Promise<T>): Promise<T> => {
    const d = await startTestDesk({ database: dbs.database, now: T0, env: env(over) });
    try {
      return await run(d);
    } finally {
      await d.close();
    }
  };

  beforeAll(async () => {
    dovecot = await startDovecot({ users: { [USER]: PASSWORD }, tls: cert });
    files = await deskFiles();
    dbs = await openTestDatabaseTwice();
    desk = await startTestDesk({ database: dbs.database, now: T0, env: env() });
    other = await startTestDesk({ database: dbs.other, now: T0, env: env() });
    client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, doSTARTTLS: false, auth: { user: USER, pass: PASSWORD }, logger: false });
    client.on('error', () => {});
    await client.connect();
  }, 90_000);
  afterAll(async () => {
    await client?.logout().catch(() => undefined);
    await other?.close();
    await desk?.close();
    await dbs?.close();
    await dovecot?.close();
    rmSync(certDir, { recursive: true, force: true });
    if (files) rmSync(files.dir, { recursive: true, force: true });
  });

  it('the URL is the configuration: user and password percent-decoded, the folder from the path', () => {
    expect(desk.ctx.config.imap).toEqual({ secure: false, host: '127.0.0.1', port: dovecot.port, user: USER, password: PASSWORD, folder: 'INBOX', moveTo: null, caFile: null, pollCron: null });
    expect(imapTasks(desk.ctx)).toEqual([]); // CVDESK_IMAP_POLL_CRON=off
  });

  it('a new mail becomes a report; the message is marked only then, and a second poll takes nothing', async () => {
    const uid = await deliver(mail({ subject: 'Path traversal in the export', body: 'GET /export?file=../../etc/passwd returns the file.' }));
    const r = await pollImap(desk.ctx);
    expect(r).toMatchObject({ folder: 'INBOX', outcomes: { report: 1, message: 0, ignored: 0, duplicate: 0, refused: 0 }, problems: [], error: null });
    const rows = (await emailReports()).filter((x) => x.title === 'Path traversal in the export');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.description).toContain('GET /export?file=../../etc/passwd returns the file.');
    expect((await flagsOf()).get(uid)).toEqual([PROCESSED, '\\Seen'].sort());
    expect(await pollImap(desk.ctx)).toMatchObject({ outcomes: { report: 0, message: 0, ignored: 0, duplicate: 0, refused: 0 } });
    expect((await emailReports()).filter((x) => x.title === 'Path traversal in the export')).toHaveLength(1);
  });

  it('a reply to the report’s reply address is threaded into its conversation; a bounce is filed as nothing', async () => {
    const [report] = (await emailReports()).slice(-1);
    const replyTo = replyAddressFor(desk.ctx, report!)!;
    await deliver(mail({ to: replyTo, subject: 'Re: your report', body: 'Tested on 5.2.1-apache as well.' }));
    await deliver(mail({ returnPath: '', from: 'mailer-daemon@researcher.example', subject: 'Undelivered Mail Returned to Sender', extra: ['Auto-Submitted: auto-replied'] }));
    const r = await pollImap(desk.ctx);
    expect(r!.outcomes).toMatchObject({ message: 1, ignored: 1, report: 0 });
    const messages = await desk.ctx.db.selectFrom('messages').select(['body', 'author_kind']).where('report_id', '=', report!.id).where('author_kind', '=', 'reporter').execute();
    expect(messages.map((m) => m.body)).toEqual([expect.stringContaining('Tested on 5.2.1-apache as well.')]);
    for (const flags of (await flagsOf()).values()) expect(flags).toContain(PROCESSED);
  });

  it('the same Message-ID twice in the folder: one report, both marked', async () => {
    const raw = mail({ subject: 'Delivered twice', messageId: '<twice@researcher.example>' });
    const [a, b] = [await deliver(raw), await deliver(raw)];
    const r = await pollImap(desk.ctx);
    expect(r!.outcomes).toMatchObject({ report: 1, duplicate: 1 });
    expect((await emailReports()).filter((x) => x.title === 'Delivered twice')).toHaveLength(1);
    const flags = await flagsOf();
    expect(flags.get(a)).toContain(PROCESSED);
    expect(flags.get(b)).toContain(PROCESSED);
  });

  it('an OpenPGP/MIME mail is decrypted with the desk key, as over SMTP', async () => {
    const ciphertext = await encryptTo(CRLF(['Content-Type: text/plain; charset=utf-8', '', 'Secret details: the admin token is logged in clear text.', '']), files.deskKey.publicKey);
    await deliver(`Return-Path: <crypt-finder@researcher.example>\r\n${pgpMimeEncrypted({ from: 'crypt-finder@researcher.example', to: 'crypt@example.org', subject: 'Encrypted report over IMAP', messageId: '<crypt-imap@researcher.example>' }, ciphertext)}`);
    expect((await pollImap(desk.ctx))!.outcomes.report).toBe(1);
    const row = (await emailReports()).find((x) => x.reporter_email === 'crypt-finder@researcher.example')!;
    expect(row.description).toContain('Secret details: the admin token is logged in clear text.');
  });

  it('marked only after commit: an intake that fails leaves the message for the next poll, and a poll cut off before marking stores it once', async () => {
    const uid = await deliver(mail({ subject: 'Left for later' }));
    const failing = await pollImap(desk.ctx, { deskKey: () => Promise.reject(new AppError('unreadable', 'the key store is down')) });
    expect(failing!.problems).toEqual([`message ${uid}: the key store is down`]);
    expect((await flagsOf()).get(uid)).not.toContain(PROCESSED);
    expect((await emailReports()).some((x) => x.title === 'Left for later')).toBe(false);
    const notice = (await listAdminNotices(desk.ctx.db)).find((n) => n.key === IMAP_NOTICE_KEY);
    expect(notice!.message).toContain('the key store is down');

    // the connection drops after the report is committed, before the flag: the next poll finds it stored
    const cut = await pollImap(desk.ctx, {
      open: async () => {
        const real = await openImapMailbox(desk.ctx.config.imap!);
        return { ...real, markProcessed: () => Promise.reject(new AppError('unreadable', 'IMAP 127.0.0.1: the server closed the connection')) };
      },
    });
    expect(cut).toMatchObject({ outcomes: { report: 1 }, error: 'IMAP 127.0.0.1: the server closed the connection' });
    expect((await flagsOf()).get(uid)).not.toContain(PROCESSED);
    const again = await pollImap(desk.ctx);
    expect(again!.outcomes).toMatchObject({ duplicate: 1, report: 0 });
    expect((await flagsOf()).get(uid)).toContain(PROCESSED);
    expect((await emailReports()).filter((x) => x.title === 'Left for later')).toHaveLength(1);
  });

  it('two desk processes polling at once: each mail filed once', async () => {
    for (let i = 0; i < 6; i++) await deliver(mail({ subject: `Raced ${i}` }));
    const [a, b] = await Promise.all([pollImap(desk.ctx), pollImap(other.ctx)]);
    expect(a!.outcomes.report + b!.outcomes.report).toBe(6);
    expect((await emailReports()).filter((x) => x.title.startsWith('Raced '))).toHaveLength(6);
    for (const flags of (await flagsOf()).values()) expect(flags).toContain(PROCESSED);
  });

  it('with CVDESK_IMAP_MOVE_TO the filed message is moved there (the folder is made when missing)', async () => {
    const uid = await deliver(mail({ subject: 'To be moved' }));
    await withDesk({ CVDESK_IMAP_MOVE_TO: 'Filed by cvdesk' }, async (d) => {
      expect((await pollImap(d.ctx))!.outcomes.report).toBe(1);
    });
    expect((await flagsOf()).has(uid)).toBe(false);
    const moved = await flagsOf('Filed by cvdesk');
    expect([...moved.values()]).toEqual([[PROCESSED, '\\Seen'].sort()]);
  });

  it('a message over the size limit is left in the folder, flagged, and the admins are told', async () => {
    const big = await deliver(mail({ subject: 'Huge', body: 'x'.repeat(200 * 1024) }));
    await withDesk({ CVDESK_MAX_BODY_BYTES: String(100 * 1024) }, async (d) => {
      const r = await pollImap(d.ctx);
      expect(r!.tooLarge).toEqual([big]);
      expect(r!.outcomes.report).toBe(0);
    });
    expect((await flagsOf()).get(big)).toEqual([PROCESSED, TOO_LARGE, '\\Seen'].sort());
    expect((await emailReports()).some((x) => x.title === 'Huge')).toBe(false);
    const notice = (await listAdminNotices(desk.ctx.db)).find((n) => n.key === IMAP_NOTICE_KEY);
    expect(notice!.message).toContain('over the size limit');
  });

  it('a wrong password, a closed port, a missing folder: clear errors, nothing taken, no password anywhere', async () => {
    const pending = await deliver(mail({ subject: 'Waits for a working login' }));
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ CVDESK_IMAP_URL: url({ password: 'not the password' }) }, /^IMAP 127\.0\.0\.1:\d+: the server refused the user name or password of CVDESK_IMAP_URL/],
      [{ CVDESK_IMAP_URL: url({ port: 1 }) }, /^IMAP 127\.0\.0\.1:1: could not sign in: connection refused$/],
      [{ CVDESK_IMAP_URL: url({ folder: 'Nowhere' }) }, /^IMAP 127\.0\.0\.1:\d+: cannot open the folder "Nowhere": /],
    ];
    for (const [over, message] of cases) {
      await withDesk(over, async (d) => {
        const r = await pollImap(d.ctx);
        expect(r!.error).toMatch(message);
        for (const text of [r!.error!, ...d.logs, ...(await listAdminNotices(d.ctx.db)).map((n) => n.message)]) {
          expect(text).not.toContain(PASSWORD);
          expect(text).not.toContain(encodeURIComponent(PASSWORD));
          expect(text).not.toContain('not the password');
        }
      });
    }
    expect((await flagsOf()).get(pending)).not.toContain(PROCESSED);
    await pollImap(desk.ctx);
    expect((await flagsOf()).get(pending)).toContain(PROCESSED);
  });

  it('imaps: the server’s certificate must be trusted (CVDESK_IMAP_CA_FILE), then mail is taken over TLS', async () => {
    await deliver(mail({ subject: 'Over TLS' }));
    await withDesk({ CVDESK_IMAP_URL: url({ tls: true }) }, async (d) => {
      const r = await pollImap(d.ctx);
      expect(r!.error).toMatch(/^IMAP 127\.0\.0\.1:\d+: could not sign in: (the TLS connection failed|self-signed TLS certificate|TLS certificate not trusted)/);
    });
    await withDesk({ CVDESK_IMAP_URL: url({ tls: true }), CVDESK_IMAP_CA_FILE: join(certDir, 'ca.pem') }, async (d) => {
      const r = await pollImap(d.ctx);
      expect(r!.error).toBeNull();
      expect(r!.outcomes.report).toBe(1);
    });
    expect((await emailReports()).filter((x) => x.title === 'Over TLS')).toHaveLength(1);
  });
});

describe('the envelope an IMAP message had', () => {
  it('Return-Path and Delivered-To / X-Original-To, unfolded; <> is a bounce; no Return-Path: From', () => {
    const raw = (lines: string[]) => Buffer.from(CRLF([...lines, '', 'body']));
    expect(envelopeOf(raw(['Return-Path: <a@x.example>', 'Delivered-To: Security@Example.org', 'X-Original-To:', ' security+r12-abc@example.org', 'From: B <b@x.example>']))).toEqual({
      mailFrom: 'a@x.example',
      rcptTo: ['security@example.org', 'security+r12-abc@example.org'],
    });
    expect(envelopeOf(raw(['Return-Path: <>', 'From: MAILER-DAEMON <mailer-daemon@x.example>'])).mailFrom).toBeNull();
    expect(envelopeOf(raw(['From: "Finder, F." <f@x.example>'])).mailFrom).toBe('f@x.example');
    expect(envelopeOf(raw(['Subject: no sender'])).mailFrom).toBeNull();
    // a header-like line in the body is not a header
    expect(envelopeOf(Buffer.from(CRLF(['From: <f@x.example>', '', 'Return-Path: <evil@x.example>']))).mailFrom).toBe('f@x.example');
  });
});
