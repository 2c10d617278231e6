import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import * as openpgp from 'openpgp';
import type { Database } from '../../src/adapters/db/open-database.js';
import { startSmtpListener, type SmtpListener } from '../../src/adapters/mail/smtp-listener.js';
import type { Context } from '../../src/context.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

/** Two mailboxes (one for encrypted mail, with the desk's key) on one domain; German and English. */
const POLICY = `
version: 1
project:
  name: Intake Test Image
  url: https://example.org/
languages: [en, de]
contacts:
  - type: email
    address: security@example.org
  - type: email
    address: crypt@example.org
    encryption:
      keyUrl: https://example.org/key.asc
      fingerprint: FINGERPRINT
  - type: web-form
openpgp:
  keyUrl: https://example.org/key.asc
  fingerprint: FINGERPRINT
mailIntake:
  keepEncryptedAtRest: KEEP
scope:
  inScope: [The example container image]
sla:
  acknowledge: 3 business days
securityTxt:
  canonical: [https://example.org/.well-known/security.txt]
`;

export interface KeyPair {
  publicKey: string;
  privateKey: string;
  fingerprint: string;
}

export async function keyPair(name: string, email: string, passphrase?: string): Promise<KeyPair> {
  const k = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name, email }], format: 'armored', ...(passphrase ? { passphrase } : {}) });
  const fingerprint = (await openpgp.readKey({ armoredKey: k.publicKey })).getFingerprint().toUpperCase();
  return { publicKey: k.publicKey, privateKey: k.privateKey, fingerprint };
}

/** The desk's key pair, protected by a passphrase as a real one would be. */
export const DESK_PASSPHRASE = 'intake test passphrase';

export async function deskFiles(options: { keepEncrypted?: boolean; deskKey?: KeyPair } = {}): Promise<{ dir: string; policy: string; keyFile: string; deskKey: KeyPair }> {
  const deskKey = options.deskKey ?? (await keyPair('Example Security Team', 'crypt@example.org', DESK_PASSPHRASE));
  const dir = await mkdtemp(join(tmpdir(), 'cvdesk-mail-in-'));
  const policy = join(dir, 'policy.yaml');
  const keyFile = join(dir, 'desk-key.asc');
  await writeFile(policy, POLICY.replaceAll('FINGERPRINT', deskKey.fingerprint).replace('KEEP', String(options.keepEncrypted ?? false)));
  await writeFile(keyFile, deskKey.privateKey, { mode: 0o600 });
  return { dir, policy, keyFile, deskKey };
}

export type SendResult = { ok: true; response: string } | { ok: false; code: number; response: string };

export interface IntakeDesk {
  desk: TestDesk;
  listener: SmtpListener;
  deskKey: KeyPair;
  send(mail: Mail.Options): Promise<SendResult>;
  close(): Promise<void>;
}

/** Sends one mail with nodemailer over SMTP to a listener on 127.0.0.1; a refusal is a result, not an error. */
export async function sendTo(port: number, mail: Mail.Options, tls: { requireTLS?: boolean; ca?: Buffer } = {}): Promise<SendResult> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ...(tls.requireTLS ? { requireTLS: true, tls: { ca: tls.ca, servername: 'localhost' } } : { ignoreTLS: true }),
    connectionTimeout: 10_000,
    socketTimeout: 60_000,
  });
  try {
    const info = await transport.sendMail(mail);
    return { ok: true, response: info.response };
  } catch (e) {
    const err = e as { responseCode?: number; response?: string; message: string };
    if (err.responseCode) return { ok: false, code: err.responseCode, response: err.response ?? err.message };
    throw e;
  } finally {
    transport.close();
  }
}

export async function startIntakeDesk(options: { keepEncrypted?: boolean; database?: Database; deskKey?: KeyPair; maxBytes?: number; withKey?: boolean } = {}): Promise<IntakeDesk> {
  const files = await deskFiles(options);
  const desk = await startTestDesk({
    ...(options.database ? { database: options.database } : {}),
    env: {
      CVDESK_POLICY: files.policy,
      ...(options.withKey === false ? {} : { CVDESK_SIGNING_KEY_FILE: files.keyFile, CVDESK_SIGNING_KEY_PASSPHRASE: DESK_PASSPHRASE }),
    },
  });
  const listener = await startSmtpListener(desk.ctx, { host: '127.0.0.1', port: 0, maxBytes: options.maxBytes ?? 12 * 1024 * 1024 });
  return {
    desk,
    listener,
    deskKey: files.deskKey,
    send: (mail) => sendTo(listener.port, mail),
    close: async () => {
      await listener.close();
      await desk.close();
    },
  };
}

/** A listener over another context (a policy variant, a broken database) for the same test desk. */
export const listenerFor = (ctx: Context, maxBytes = 12 * 1024 * 1024) => startSmtpListener(ctx, { host: '127.0.0.1', port: 0, maxBytes });

/**
 * A raw SMTP conversation, for what no client library would send: each command waits for its reply;
 * `data` is sent as is (dot-stuffed) after DATA. Returns every reply line group.
 */
export async function rawSmtp(port: number, steps: { mailFrom?: string; rcptTo?: string[]; data: Buffer | string }): Promise<string[]> {
  const socket = connect(port, '127.0.0.1');
  socket.setTimeout(20_000);
  const replies: string[] = [];
  let buffer = '';
  let waiting: ((r: string) => void) | null = null;
  socket.on('data', (d) => {
    buffer += d.toString('latin1');
    // a reply ends with a line "NNN text" (no dash after the code)
    const m = /(^|\r\n)(\d{3}) [^\r\n]*\r\n$/.exec(buffer);
    if (m && waiting) {
      const r = buffer;
      buffer = '';
      const w = waiting;
      waiting = null;
      w(r.trim());
    }
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      waiting = resolve;
      socket.once('error', reject);
      socket.once('timeout', () => reject(new Error('SMTP reply timed out')));
    });
  const send = async (line: string | Buffer) => {
    const reply = next();
    socket.write(line);
    replies.push(await reply);
  };
  replies.push(await next());
  await send('EHLO raw.example.net\r\n');
  await send(`MAIL FROM:<${steps.mailFrom ?? 'sender@example.net'}>\r\n`);
  for (const r of steps.rcptTo ?? ['security@example.org']) await send(`RCPT TO:<${r}>\r\n`);
  await send('DATA\r\n');
  const data = Buffer.isBuffer(steps.data) ? steps.data : Buffer.from(steps.data, 'latin1');
  const stuffed = Buffer.from(data.toString('latin1').replace(/(^|\n)\./g, '$1..'), 'latin1');
  await send(Buffer.concat([stuffed, Buffer.from(stuffed.toString('latin1').endsWith('\r\n') ? '.\r\n' : '\r\n.\r\n')]));
  socket.end('QUIT\r\n');
  return replies;
}

/** Encrypts (and optionally signs) to the desk's key. */
export async function encryptTo(text: string | Uint8Array, publicKey: string, signWith?: string): Promise<string> {
  const message = typeof text === 'string' ? await openpgp.createMessage({ text }) : await openpgp.createMessage({ binary: text });
  return openpgp.encrypt({
    message,
    encryptionKeys: await openpgp.readKey({ armoredKey: publicKey }),
    ...(signWith ? { signingKeys: await openpgp.readPrivateKey({ armoredKey: signWith }) } : {}),
  }) as Promise<string>;
}

/** A detached signature over bytes (binary mode, as PGP/MIME signers use). */
export async function detachedSignature(data: Uint8Array, privateKey: string): Promise<string> {
  return openpgp.sign({ message: await openpgp.createMessage({ binary: data }), signingKeys: await openpgp.readPrivateKey({ armoredKey: privateKey }), detached: true }) as Promise<string>;
}

export const CRLF = (lines: string[]) => lines.join('\r\n');

/** A PGP/MIME encrypted mail (RFC 3156 section 4) around an inner MIME entity. */
export function pgpMimeEncrypted(head: { from: string; to: string; subject: string; messageId: string }, ciphertext: string): string {
  return CRLF([
    `From: ${head.from}`,
    `To: ${head.to}`,
    `Subject: ${head.subject}`,
    `Message-ID: ${head.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc-boundary"',
    '',
    'This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)',
    '--enc-boundary',
    'Content-Type: application/pgp-encrypted',
    'Content-Description: PGP/MIME version identification',
    '',
    'Version: 1',
    '',
    '--enc-boundary',
    'Content-Type: application/octet-stream; name="encrypted.asc"',
    'Content-Disposition: inline; filename="encrypted.asc"',
    '',
    ciphertext.replace(/\r?\n/g, '\r\n').trimEnd(),
    '',
    '--enc-boundary--',
    '',
  ]);
}

/** A PGP/MIME signed mail (RFC 3156 section 5): the signature covers the first part's exact bytes. */
export async function pgpMimeSigned(head: { from: string; to: string; subject: string; messageId: string }, signedPart: string, privateKey: string, tamper?: (s: string) => string): Promise<string> {
  const signature = await detachedSignature(Buffer.from(signedPart, 'utf8'), privateKey);
  return CRLF([
    `From: ${head.from}`,
    `To: ${head.to}`,
    `Subject: ${head.subject}`,
    `Message-ID: ${head.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="sig-boundary"',
    '',
    '--sig-boundary',
    tamper ? tamper(signedPart) : signedPart,
    '--sig-boundary',
    'Content-Type: application/pgp-signature; name="signature.asc"',
    '',
    signature.replace(/\r?\n/g, '\r\n').trimEnd(),
    '',
    '--sig-boundary--',
    '',
  ]);
}
