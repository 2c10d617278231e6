import nodemailer from 'nodemailer';
import { AppError } from '../../app/errors.js';
import type { MailConfig } from '../../config.js';
import { composeMime, type OutgoingMail } from './compose-mime.js';

export type { OutgoingMail } from './compose-mime.js';

export interface SentMail {
  /** The server's last reply, e.g. "250 2.0.0 Ok: queued as 1234". */
  response: string;
}

/**
 * Why a send failed, in words safe to store and show: never the server URL's credentials.
 * `permanent`: the server refused this message for good (5xx); anything else may pass later.
 */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface Mailer {
  /** The From of every mail: "Name <address>". */
  from: string;
  /** The server as people may see it: scheme, host and port, never credentials. */
  server: string;
  send(mail: Omit<OutgoingMail, 'from'>): Promise<SentMail>;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|\[?::1\]?)$/i;

/**
 * The desk's SMTP client from CVDESK_MAIL_URL. smtp:// upgrades with STARTTLS when the server offers
 * it, and requires it when a password would otherwise cross the network in clear text (anything but
 * loopback); smtps:// is TLS from the start. One connection per mail (no pool), so nothing stays
 * open between sends and there is nothing to close.
 */
export function createSmtpMailer(config: { url: string; from: string; heloName?: string }): Mailer {
  const u = new URL(config.url);
  const secure = u.protocol === 'smtps:';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : secure ? 465 : 25;
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  const secrets = [pass, encodeURIComponent(pass), u.password, u.username ? `${u.username}:${u.password}` : ''].filter((s) => s.length >= 3);
  const transport = nodemailer.createTransport({
    host,
    port,
    secure,
    ...(user ? { auth: { user, pass } } : {}),
    requireTLS: !secure && Boolean(user) && !LOOPBACK.test(host),
    ...(config.heloName ? { name: config.heloName } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    logger: false,
    debug: false,
  });
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('[redacted]'), text).slice(0, 1000);
  return {
    from: config.from,
    server: `${u.protocol}//${u.host}`,
    async send(mail) {
      const raw = await composeMime({ ...mail, from: config.from });
      try {
        const info = await transport.sendMail({ envelope: { from: addressOf(config.from), to: [mail.to] }, raw });
        return { response: scrub(String(info.response ?? '')) };
      } catch (e) {
        const err = e as { message?: string; responseCode?: number; permanent?: boolean; code?: string };
        const text = scrub(err.message ?? String(e));
        throw new MailSendError(text, err.permanent === true || (err.responseCode !== undefined && err.responseCode >= 500 && err.responseCode !== 503));
      }
    },
  };
}

/** The bare address of "Name <address>" or "address". */
export const addressOf = (mailbox: string): string => /<([^<>]+)>\s*$/.exec(mailbox)?.[1]?.trim() ?? mailbox.trim();

/**
 * The mailer a desk runs with, or null when CVDESK_MAIL_URL is not set. From is CVDESK_MAIL_FROM,
 * else the policy's first e-mail contact, named after the team.
 */
export function mailerFromConfig(config: MailConfig, fallback: { teamName: string; contactAddress: string | null; heloName: string }): Mailer | null {
  if (!config.url) return null;
  const address = config.from ?? fallback.contactAddress;
  if (!address) throw new AppError('invalid_input', 'CVDESK_MAIL_FROM is needed: the policy names no e-mail contact to send mail from');
  const from = /</.test(address) ? address : `"${fallback.teamName.replace(/["\\\r\n]/g, '')}" <${address}>`;
  return createSmtpMailer({ url: config.url, from, heloName: fallback.heloName });
}
