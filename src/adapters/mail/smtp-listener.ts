import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { AppError, isAppError } from '../../app/errors.js';
import { receiveMail, type MailOutcome } from '../../app/mail/receive-mail.js';
import { deskKeyLoader } from '../../app/mail/desk-key.js';
import { deskMailboxes, reportForReplyAddress } from '../../app/mail/reply-token.js';
import type { Context } from '../../context.js';
import { matchRecipient } from '../../domain/mail/addresses.js';

/**
 * The desk's SMTP listener: takes mail for the policy's e-mail contacts (and their reply
 * addresses) and nothing else. The answer to DATA is given only once the mail is committed:
 * `250` means stored; any fault is a `451`, so the sending server keeps the mail and tries again.
 * This is the one place outcomes and faults become SMTP replies.
 */

export interface SmtpListenerOptions {
  host: string;
  port: number;
  /** The largest message taken (the SIZE extension); larger ones get 552. */
  maxBytes: number;
  /** PEM certificate and key for STARTTLS; without them STARTTLS is not offered. */
  tls?: { cert: Buffer; key: Buffer } | null;
  /** Recipients per message at most; more get 452 (try the rest later). */
  maxRecipients?: number;
}

export interface SmtpListener {
  host: string;
  port: number;
  mailboxes: string[];
  starttls: boolean;
  close(): Promise<void>;
}

type SmtpError = Error & { responseCode: number };
const smtpError = (code: number, message: string): SmtpError => Object.assign(new Error(message), { responseCode: code });

/** Reads the STARTTLS certificate and key named by the configuration. */
export async function smtpTlsFromConfig(c: Context['config']['smtp']): Promise<SmtpListenerOptions['tls']> {
  if (!c.tlsCert || !c.tlsKey) return null;
  const read = (name: string, file: string) =>
    readFile(file).catch((e: Error) => {
      throw new AppError('unreadable', `cannot read ${name} ${file}: ${e.message}`);
    });
  return { cert: await read('CVDESK_SMTP_TLS_CERT', c.tlsCert), key: await read('CVDESK_SMTP_TLS_KEY', c.tlsKey) };
}


function reply(o: MailOutcome): { ok: true; message: string } | { ok: false; error: SmtpError } {
  switch (o.kind) {
    case 'report':
      return { ok: true, message: `Received, thank you: report #${o.number}` };
    case 'message':
      return { ok: true, message: 'Received, thank you: added to the conversation of your report' };
    case 'ignored':
      return { ok: true, message: `Accepted but not filed: ${o.reason}` };
    case 'duplicate':
      return o.outcome === 'refused' ? { ok: false, error: smtpError(554, `Refused: ${o.reason ?? 'this message was refused before'}`) } : { ok: true, message: 'Already received' };
    case 'refused':
      return { ok: false, error: smtpError(o.code, `Refused: ${o.reason}`) };
  }
}

export async function startSmtpListener(ctx: Context, o: SmtpListenerOptions): Promise<SmtpListener> {
  const mailboxes = deskMailboxes(ctx.policy);
  if (mailboxes.length === 0) throw new AppError('invalid_input', 'CVDESK_SMTP_LISTEN is set, but the policy names no e-mail contact to receive mail for');
  const deskKey = deskKeyLoader(ctx);
  const deps = { ...ctx, deskKey };
  const maxRecipients = o.maxRecipients ?? 50;

  const onRcptTo = (address: { address: string }, session: SMTPServerSession, done: (e?: Error | null) => void) => {
    if (session.envelope.rcptTo.length >= maxRecipients) return done(smtpError(452, `Too many recipients; at most ${maxRecipients} per message`));
    const m = matchRecipient(address.address, mailboxes);
    if (m.kind === 'foreign-domain') return done(smtpError(550, `Relaying denied: this server takes mail only for ${mailboxes.join(', ')}`));
    if (m.kind === 'invalid') return done(smtpError(553, 'That is not a mailbox address'));
    if (m.kind === 'unknown-mailbox') return done(smtpError(550, `No such mailbox here; write to ${mailboxes[0]}`));
    if (!m.tag) return done();
    reportForReplyAddress(ctx, address.address).then(
      (r) => done(r ? null : smtpError(550, `This reply address is not valid; write to ${m.contact}`)),
      (e: Error) => {
        ctx.log.error({ fault: { name: e.name, message: e.message.slice(0, 300) } }, 'checking a reply address failed');
        done(smtpError(451, 'Temporary failure, please try again later'));
      },
    );
  };

  const onData = (stream: SMTPServerDataStream, session: SMTPServerSession, done: (e?: Error | null, message?: string) => void) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let answered = false;
    const answer = (e: Error | null, message?: string) => {
      if (answered) return;
      answered = true;
      done(e, message);
    };
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= o.maxBytes) chunks.push(c);
    });
    stream.on('error', (e: Error) => answer(smtpError(451, `Temporary failure while reading the message: ${e.message}`)));
    stream.on('end', () => {
      if (stream.sizeExceeded || size > o.maxBytes) return answer(smtpError(552, `Message too large: at most ${o.maxBytes} bytes`));
      const envelope = { mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, rcptTo: session.envelope.rcptTo.map((r) => r.address) };
      receiveMail(deps, { raw: Buffer.concat(chunks, size), envelope }).then(
        (outcome) => {
          ctx.log.info({ mail: { outcome: outcome.kind, size, ...('inboundId' in outcome ? { inbound: outcome.inboundId } : {}) } }, 'mail received');
          const r = reply(outcome);
          if (r.ok) answer(null, r.message);
          else answer(r.error);
        },
        (e: unknown) => {
          // The mail itself is unusable: a retry would fail alike, so the sender is told why, for good.
          if (isAppError(e) && (e.code === 'invalid_input' || e.code === 'too_large')) return answer(smtpError(e.code === 'too_large' ? 552 : 554, `Refused: ${e.message}`));
          // Otherwise nothing was committed (the use case's transaction rolled back): the sender keeps the mail and retries.
          // Only the fault's name, code and message: a database error's detail may quote the row, i.e. the report.
          const fault = e instanceof Error ? { name: e.name, code: isAppError(e) ? e.code : (e as { code?: unknown }).code, message: e.message.slice(0, 300) } : { message: String(e).slice(0, 300) };
          ctx.log.error({ fault }, 'storing a received mail failed; answered 451');
          answer(smtpError(451, 'Temporary failure, the message was not stored; please try again later'));
        },
      );
    });
  };

  const server = new SMTPServer({
    name: ctx.config.baseUrl.hostname,
    banner: `cvdesk: reports for ${ctx.policy.project.name}`,
    size: o.maxBytes,
    disabledCommands: o.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(o.tls ? { key: o.tls.key, cert: o.tls.cert } : {}),
    logger: false,
    disableReverseLookup: true,
    socketTimeout: 120_000,
    closeTimeout: 10_000,
    onRcptTo,
    onData,
  });
  server.on('error', (e: Error) => ctx.log.warn({ err: { message: e.message } }, 'SMTP connection error'));
  await new Promise<void>((resolve, reject) => {
    const failed = (e: Error) => reject(new AppError('unreadable', `cannot listen for mail on ${o.host}:${o.port}: ${e.message}`));
    server.server.once('error', failed);
    server.listen(o.port, o.host, () => {
      server.server.off('error', failed);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  // A desk key that does not match the policy's encrypted contact cannot decrypt what reporters send.
  const expected = ctx.policy.contacts.flatMap((c) => (c.type === 'email' && c.encryption ? [c.encryption.fingerprint] : []));
  if (expected.length > 0) {
    const key = await deskKey();
    if (!key) ctx.log.warn({ expected }, 'the policy takes encrypted mail but the desk has no usable OpenPGP key (CVDESK_SIGNING_KEY_FILE): such mail will be kept encrypted');
    else if (!expected.includes(key.fingerprint)) ctx.log.warn({ expected, deskKey: key.fingerprint }, "the desk's OpenPGP key is not the policy's encryption key: mail encrypted to the policy's key will be kept encrypted");
  }
  return {
    host: address.address,
    port: address.port,
    mailboxes,
    starttls: Boolean(o.tls),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The listener `cvdesk serve` starts when CVDESK_SMTP_LISTEN is set; null when it is not. */
export async function startSmtpFromConfig(ctx: Context): Promise<SmtpListener | null> {
  const c = ctx.config.smtp;
  if (!c.listen) return null;
  return startSmtpListener(ctx, { ...c.listen, maxBytes: ctx.config.limits.bodyBytes, tls: await smtpTlsFromConfig(c) });
}
