import { openImapMailbox, TOO_LARGE, type ImapMailbox } from '../../adapters/mail/imap-mailbox.js';
import type { Context } from '../../context.js';
import { addAdminNotice } from '../admin-notices.js';
import { isAppError } from '../errors.js';
import type { DeskKey } from '../../adapters/pgp/pgp-decrypt.js';
import { deskKeyLoader } from './desk-key.js';
import { receiveMail, type MailOutcome, type ReceiveDeps } from './receive-mail.js';

/**
 * For projects whose mailbox lives elsewhere: the folder named by CVDESK_IMAP_URL is read, and each
 * message not processed yet goes through the same intake as mail to the desk's SMTP listener
 * (receiveMail: a report, a reply threaded into its report, or nothing). Only after that outcome is
 * committed is the message marked (and moved, with CVDESK_IMAP_MOVE_TO); a poll cut short leaves the
 * rest for the next one, and a message met again is stored once (by its Message-ID).
 */
export const IMAP_NOTICE_KEY = 'imap-intake';
/** Bounded per poll, so that a full folder is worked through over several runs, not in one long one. */
export const DEFAULT_BATCH = 50;
const REFUSED = '$CvdeskRefused';

export interface ImapPollResult {
  folder: string;
  outcomes: Record<MailOutcome['kind'], number>;
  /** UIDs left in the folder, flagged $CvdeskTooLarge, because they are over CVDESK_MAX_BODY_BYTES. */
  tooLarge: number[];
  /** Messages the intake could not take this time (left unmarked: the next poll tries again). */
  problems: string[];
  /** The folder could not be read: nothing was taken. */
  error: string | null;
}

type Deps = Pick<Context, 'db' | 'clock' | 'newId' | 'config' | 'policy' | 'secretKey' | 'signingKey' | 'log'>;

export interface PollImapOptions {
  batch?: number;
  /** The mailbox (tests: shorter timeouts); by default opened from config.imap. */
  open?: () => Promise<ImapMailbox>;
  deskKey?: () => Promise<DeskKey | null>;
}

export async function pollImap(deps: Deps, options: PollImapOptions = {}): Promise<ImapPollResult | null> {
  const c = deps.config.imap;
  if (!c) return null;
  const result: ImapPollResult = { folder: c.folder, outcomes: { report: 0, message: 0, ignored: 0, duplicate: 0, refused: 0 }, tooLarge: [], problems: [], error: null };
  let mailbox: ImapMailbox;
  try {
    mailbox = await (options.open ?? (() => openImapMailbox(c)))();
  } catch (e) {
    if (!isAppError(e)) throw e;
    result.error = e.message;
    await tell(deps, result);
    return result;
  }
  const intake: ReceiveDeps = { ...deps, deskKey: options.deskKey ?? deskKeyLoader(deps) };
  try {
    for (const m of await mailbox.pending(options.batch ?? DEFAULT_BATCH)) {
      if (m.size > deps.config.limits.bodyBytes) {
        await mailbox.markProcessed(m.uid, { extra: [TOO_LARGE], move: false });
        result.tooLarge.push(m.uid);
        deps.log.warn({ imap: { uid: m.uid, size: m.size } }, 'a message in the IMAP folder is over the size limit; left there, flagged');
        continue;
      }
      const raw = await mailbox.source(m.uid);
      let outcome: MailOutcome;
      try {
        outcome = await receiveMail(intake, { raw, envelope: envelopeOf(raw) });
      } catch (e) {
        if (!isAppError(e)) throw e;
        result.problems.push(`message ${m.uid}: ${e.message}`);
        continue;
      }
      result.outcomes[outcome.kind]++;
      const refused = outcome.kind === 'refused' || (outcome.kind === 'duplicate' && outcome.outcome === 'refused');
      await mailbox.markProcessed(m.uid, refused ? { extra: [REFUSED] } : {});
      deps.log.info({ imap: { uid: m.uid, size: m.size, outcome: outcome.kind, ...('inboundId' in outcome ? { inbound: outcome.inboundId } : {}) } }, 'mail taken from IMAP');
    }
  } catch (e) {
    if (!isAppError(e)) throw e;
    result.error = e.message;
  } finally {
    await mailbox.close().catch(() => undefined);
  }
  await tell(deps, result);
  return result;
}

/** An admin notice when the folder cannot be read, a message could not be taken, or one is too large. */
async function tell(deps: Pick<Context, 'db' | 'clock' | 'log'>, r: ImapPollResult): Promise<void> {
  const lines = [
    r.error,
    ...r.problems,
    r.tooLarge.length > 0 ? `${r.tooLarge.length} message(s) in "${r.folder}" are over the size limit (CVDESK_MAX_BODY_BYTES) and were left there, flagged ${TOO_LARGE}` : null,
  ].filter((x): x is string => !!x);
  if (lines.length === 0) return;
  if (r.error) deps.log.warn({ imap: { folder: r.folder, error: r.error } }, 'the IMAP folder could not be polled');
  await addAdminNotice(deps.db, { key: IMAP_NOTICE_KEY, level: r.error || r.problems.length > 0 ? 'bad' : 'warn', message: `Mail intake by IMAP: ${lines.join('; ').slice(0, 1900)}` }, deps.clock());
}

/**
 * The SMTP envelope the mail had, as the delivering server wrote it down: Return-Path (<> for a
 * bounce) and the recipients it was delivered to (Delivered-To, X-Original-To). Without a
 * Return-Path the sender is taken from From, so that an ordinary mail is not taken for a bounce.
 */
export function envelopeOf(raw: Buffer): { mailFrom: string | null; rcptTo: string[] } {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const values = (name: string) =>
    head
      .split(/\r?\n/)
      .filter((l) => l.toLowerCase().startsWith(`${name}:`))
      .map((l) => l.slice(name.length + 1).trim());
  const address = (v: string) => /<([^<>]*)>/.exec(v)?.[1]?.trim() ?? v.split(/\s+/)[0] ?? '';
  const returnPath = values('return-path')[0];
  const fromHeader = values('from')[0];
  const mailFrom = returnPath !== undefined ? address(returnPath) || null : fromHeader ? address(fromHeader) || null : null;
  const rcptTo = [...values('delivered-to'), ...values('x-original-to')].map(address).filter((a) => a.includes('@'));
  return { mailFrom, rcptTo: [...new Set(rcptTo.map((a) => a.toLowerCase()))] };
}

