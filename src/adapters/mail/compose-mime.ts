import MimeNode from 'nodemailer/lib/mime-node';
import { encryptTo } from '../pgp/encrypt.js';

/** One mail as the desk sends it: plain text, optionally encrypted to the recipient's key. */
export interface OutgoingMail {
  /** "address" or "Name <address>". */
  from: string;
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
  /** "<id@domain>": stable per outbox row, so a retried mail is recognisably the same mail. */
  messageId: string;
  /** Message-IDs this mail follows (a report's thread), oldest first. */
  references: string[];
  date: Date;
  /** An armored OpenPGP public key: the body (and subject) then go as PGP/MIME (RFC 3156) encrypted to it. */
  encryptTo: string | null;
  /** More headers, e.g. Auto-Submitted. */
  headers?: Record<string, string>;
}

/**
 * More headers as written: printable ASCII goes out unchanged (List-Id and List-Unsubscribe must
 * keep their <...> readable, which MimeNode would turn into encoded words); anything else is
 * encoded by MimeNode. No line breaks get through, so no header can be smuggled in.
 */
const preparedHeaders = (headers: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, /^[\x20-\x7e]*$/.test(v) ? { prepared: true, value: v } : v.replace(/[\r\n]+/g, ' ')]));

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n').replace(/(\r\n)?$/, '\r\n');

/** Subjects of encrypted mail stay inside (RFC draft "protected headers"); the outside says only this. */
export const ENCRYPTED_SUBJECT = '...';

/**
 * The whole message (RFC 5322) as bytes. Headers are encoded by nodemailer's MimeNode. An encrypted
 * mail is multipart/encrypted with the version part and the armored message; inside is a text/plain
 * entity that carries the real Subject as a protected header, so the subject travels encrypted too.
 */
export async function composeMime(mail: OutgoingMail): Promise<Buffer> {
  const root = mail.encryptTo ? new MimeNode('multipart/encrypted; protocol="application/pgp-encrypted"', { newline: 'windows' }) : new MimeNode('text/plain; charset=utf-8', { newline: 'windows' });
  root.setHeader({
    from: mail.from,
    to: mail.to,
    subject: mail.encryptTo ? ENCRYPTED_SUBJECT : mail.subject,
    date: mail.date,
    'message-id': mail.messageId,
    'auto-submitted': 'auto-generated',
    ...(mail.replyTo ? { 'reply-to': mail.replyTo } : {}),
    ...(mail.references.length ? { references: mail.references.join(' '), 'in-reply-to': mail.references.at(-1)! } : {}),
    ...preparedHeaders(mail.headers),
  });
  if (!mail.encryptTo) {
    root.setContent(crlf(mail.text));
    return root.build();
  }
  // The protected entity: built as a child so it carries no Date/Message-ID of its own.
  const holder = new MimeNode('multipart/mixed', { newline: 'windows' });
  const inner = holder.createChild('text/plain; charset=utf-8; protected-headers="v1"');
  inner.setHeader({ subject: mail.subject, from: mail.from, to: mail.to, ...(mail.replyTo ? { 'reply-to': mail.replyTo } : {}) });
  inner.setContent(crlf(mail.text));
  const armored = await encryptTo(mail.encryptTo, new Uint8Array(await inner.build()));
  root
    .createChild('application/pgp-encrypted')
    .setHeader({ 'content-description': 'PGP/MIME version identification', 'content-transfer-encoding': '7bit' })
    .setContent('Version: 1\r\n');
  root
    .createChild('application/octet-stream; name="encrypted.asc"')
    .setHeader({ 'content-description': 'OpenPGP encrypted message', 'content-disposition': 'inline; filename="encrypted.asc"', 'content-transfer-encoding': '7bit' })
    .setContent(crlf(armored));
  return root.build();
}
