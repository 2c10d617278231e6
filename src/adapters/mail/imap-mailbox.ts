/**
 * The IMAP folder the desk takes mail from (imapflow). A message is "processed" once it carries the
 * keyword $CvdeskProcessed: the poll asks the server for the others only, and marks a message (and
 * moves it, when asked) only after the desk has committed what the mail became, so a crash in
 * between leaves it to the next poll (the intake stores a Message-ID once). Errors are built from
 * the host and the server's response code and text only: imapflow's error objects carry the
 * command as sent, LOGIN and its password included, so none of them is ever logged or shown.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { ImapFlow, type ImapFlowError } from 'imapflow';
import { AppError } from '../../app/errors.js';
import type { ImapConfig } from '../../config.js';

export const PROCESSED = '$CvdeskProcessed';
/** Too large to take: left in the folder (not moved), never fetched whole, never asked for again. */
export const TOO_LARGE = '$CvdeskTooLarge';

export interface PendingMessage {
  uid: number;
  size: number;
}

export interface ImapMailbox {
  /** The messages not processed yet, oldest first, at most `limit`. */
  pending(limit: number): Promise<PendingMessage[]>;
  /** The whole message as it is stored (RFC 5322 bytes). */
  source(uid: number): Promise<Buffer>;
  /** Marks a message done (\Seen and $CvdeskProcessed, plus any extra keyword), then moves it when configured and asked. */
  markProcessed(uid: number, o?: { extra?: string[]; move?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export interface ImapOptions {
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|::1)$/i;

export async function openImapMailbox(c: ImapConfig, o: ImapOptions = {}): Promise<ImapMailbox> {
  const where = `IMAP ${c.host}:${c.port}`;
  const ca = c.caFile
    ? await readFile(c.caFile).catch((e: Error) => {
        throw new AppError('unreadable', `cannot read CVDESK_IMAP_CA_FILE ${c.caFile}: ${e.message}`);
      })
    : undefined;
  const client = new ImapFlow({
    host: c.host,
    port: c.port,
    secure: c.secure,
    // Off loopback a password never crosses the wire in clear text: STARTTLS or no login.
    ...(c.secure ? {} : { doSTARTTLS: LOOPBACK.test(c.host) ? false : true }),
    auth: { user: c.user, pass: c.password },
    // SNI takes host names only; an address is checked against the certificate's IP entries.
    tls: { ...(isIP(c.host) ? {} : { servername: c.host }), minVersion: 'TLSv1.2', ...(ca ? { ca } : {}) },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: o.connectionTimeoutMs ?? 15_000,
    greetingTimeout: o.connectionTimeoutMs ?? 15_000,
    socketTimeout: o.socketTimeoutMs ?? 120_000,
  });
  // imapflow emits socket errors as events; an unheard one would end the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    client.close();
    throw imapError(where, 'could not sign in', e);
  }
  let lock: Awaited<ReturnType<ImapFlow['getMailboxLock']>>;
  try {
    lock = await client.getMailboxLock(c.folder);
  } catch (e) {
    await client.logout().catch(() => client.close());
    throw imapError(where, `cannot open the folder "${c.folder}"`, e);
  }
  // Without custom keywords the $CvdeskProcessed mark would not stick and every poll would see every
  // message again: then filed mail must be moved out of the folder.
  const flags = client.mailbox ? client.mailbox.permanentFlags : undefined;
  if (flags && !flags.has('\\*') && !c.moveTo) {
    lock.release();
    await client.logout().catch(() => client.close());
    throw new AppError('invalid_input', `${where}: the folder "${c.folder}" keeps no custom keywords, so filed mail cannot be marked: set CVDESK_IMAP_MOVE_TO to have it moved out instead`);
  }
  let moveReady = false;

  return {
    async pending(limit) {
      const uids = await guard(where, 'cannot search the folder', () => client.search({ unKeyword: PROCESSED }, { uid: true }));
      const first = (uids || []).sort((a, b) => a - b).slice(0, limit);
      if (first.length === 0) return [];
      const out: PendingMessage[] = [];
      await guard(where, 'cannot read message sizes', async () => {
        for await (const m of client.fetch(first, { uid: true, size: true }, { uid: true })) out.push({ uid: m.uid, size: m.size ?? 0 });
      });
      return out.sort((a, b) => a.uid - b.uid);
    },
    async source(uid) {
      const m = await guard(where, `cannot fetch message ${uid}`, () => client.fetchOne(String(uid), { uid: true, source: true }, { uid: true }));
      if (!m || !m.source) throw new AppError('not_found', `${where}: message ${uid} is gone from "${c.folder}"`);
      return m.source;
    },
    async markProcessed(uid, { extra = [], move = true } = {}) {
      await guard(where, `cannot flag message ${uid}`, () => client.messageFlagsAdd(String(uid), ['\\Seen', PROCESSED, ...extra], { uid: true }));
      if (!c.moveTo || !move) return;
      if (!moveReady) {
        // MAILBOXEXISTS and ALREADYEXISTS are the same success here.
        await client.mailboxCreate(c.moveTo).catch(() => undefined);
        moveReady = true;
      }
      await guard(where, `cannot move message ${uid} to "${c.moveTo}"`, () => client.messageMove(String(uid), c.moveTo!, { uid: true }));
    },
    async close() {
      lock.release();
      await client.logout().catch(() => client.close());
    },
  };
}

async function guard<T>(where: string, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw imapError(where, what, e);
  }
}

/** An imapflow failure in words, from the response code and text only (never the command sent). */
export function imapError(where: string, what: string, e: unknown): AppError {
  if (e instanceof AppError) return e;
  const x = (e ?? {}) as ImapFlowError & { cause?: { code?: string } };
  const said = typeof x.responseText === 'string' ? x.responseText.replace(/\s+/g, ' ').slice(0, 200) : '';
  if (x.authenticationFailed) return new AppError('forbidden', `${where}: the server refused the user name or password of CVDESK_IMAP_URL${said ? ` (${said})` : ''}`);
  if (x.tlsFailed) return new AppError('unreadable', `${where}: ${what}: the TLS connection failed (is the certificate trusted? CVDESK_IMAP_CA_FILE adds a CA)`);
  const code = x.code ?? x.cause?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'no answer in time',
    CONNECT_TIMEOUT: 'no answer in time',
    GREETING_TIMEOUT: 'no greeting in time',
    NoConnection: 'not connected',
    EConnectionClosed: 'the server closed the connection',
    ClosedAfterConnectText: 'the server closed the connection',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
    SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
  };
  const why = said || (code ? (known[code] ?? code) : 'the server failed the command');
  return new AppError('unreadable', `${where}: ${what}: ${why}`);
}
