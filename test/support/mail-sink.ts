import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import * as openpgp from 'openpgp';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives, for tests of the desk's outgoing
 * mail (and of anything else that sends mail). It can be told to refuse: the next N messages get a
 * 4xx or 5xx at RCPT TO or after DATA; with `auth`, it takes only those credentials.
 *
 *   const sink = await startMailSink();
 *   // CVDESK_MAIL_URL: sink.url
 *   const [m] = await sink.waitFor(1);
 *   m.parsed.subject; m.parsed.text; m.to;
 */
export interface SinkMessage {
  from: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface MailSink {
  port: number;
  /** smtp://[user:pass@]127.0.0.1:port */
  url: string;
  messages: SinkMessage[];
  /** Every AUTH attempt's user name (to prove the desk authenticated). */
  logins: string[];
  /** The next `count` messages are refused with this reply. */
  refuse(count: number, reply: { code: number; message?: string; at?: 'rcpt' | 'data' }): void;
  /** Resolves once `count` messages arrived (rejects after timeoutMs). */
  waitFor(count: number, timeoutMs?: number): Promise<SinkMessage[]>;
  close(): Promise<void>;
}

export async function startMailSink(options: { auth?: { user: string; pass: string } } = {}): Promise<MailSink> {
  const messages: SinkMessage[] = [];
  const logins: string[] = [];
  let refusals: Array<{ code: number; message?: string; at?: 'rcpt' | 'data' }> = [];
  const waiters: Array<() => void> = [];
  const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });
  const take = (at: 'rcpt' | 'data') => {
    const next = refusals[0];
    if (!next || (next.at ?? 'data') !== at) return null;
    refusals = refusals.slice(1);
    return smtpError(next.code, next.message ?? (next.code >= 500 ? 'Rejected for good' : 'Try again later'));
  };
  const config: SMTPServerOptions = {
    // STARTTLS would need a certificate the desk trusts; loopback needs none.
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      logins.push(auth.username ?? '');
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return cb(null, { user: auth.username });
      return cb(smtpError(535, 'Authentication failed'));
    },
    onRcptTo(_address, _session, cb) {
      const refused = take('rcpt');
      return refused ? cb(refused) : cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refused = take('data');
        if (refused) return cb(refused);
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            messages.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
            for (const w of waiters.splice(0)) w();
            cb();
          })
          .catch((e: Error) => cb(e));
      });
    },
  };
  const server = new SMTPServer(config);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const creds = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : '';
  return {
    port,
    url: `smtp://${creds}127.0.0.1:${port}`,
    messages,
    logins,
    refuse(count, reply) {
      for (let i = 0; i < count; i++) refusals.push(reply);
    },
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`mail sink: ${messages.length} of ${count} messages after ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve(messages.slice(0, count));
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const s = new SMTPServer({ logger: false });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/**
 * Opens a PGP/MIME (RFC 3156) message with the recipient's private key and parses the protected
 * entity inside. Throws when the message is not multipart/encrypted or does not decrypt.
 */
export async function decryptPgpMime(message: SinkMessage, armoredPrivateKey: string): Promise<{ inner: ParsedMail; innerRaw: string }> {
  const type = message.parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (type?.value !== 'multipart/encrypted' || type.params?.protocol !== 'application/pgp-encrypted') throw new Error(`not PGP/MIME: ${JSON.stringify(type)}`);
  const part = message.parsed.attachments.find((a) => a.contentType === 'application/octet-stream');
  if (!part) throw new Error('no encrypted part');
  const privateKey = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  const { data } = await openpgp.decrypt({ message: await openpgp.readMessage({ armoredMessage: part.content.toString('utf8') }), decryptionKeys: privateKey, format: 'binary' });
  const innerRaw = Buffer.from(data as Uint8Array).toString('utf8');
  return { inner: await simpleParser(innerRaw), innerRaw };
}
