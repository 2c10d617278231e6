import { parseMime, type MailFile, type MimeMessage } from '../../adapters/mail/mime.js';
import { decryptMessage, type DeskKey } from '../../adapters/pgp/pgp-decrypt.js';
import { readPublicKeys, verifyClearSigned, verifyDetached, type ReporterKey, type SignatureCheck } from '../../adapters/pgp/pgp-verify.js';
import { htmlToText } from '../../domain/mail/html-to-text.js';
import { pgpMimeKind, signedParts } from '../../domain/mail/mime-structure.js';
import { findArmorBlocks, textAround } from '../../domain/mail/pgp-armor.js';

/**
 * A received mail opened: decrypted with the desk's key where it was encrypted (PGP/MIME, inline
 * PGP, encrypted attachments), its signature checked, and reduced to what may be stored. When the
 * policy keeps encrypted mail encrypted at rest, the decrypted content is used only in memory (to
 * check the signature and find the reporter's key) and only the encrypted originals come out.
 */
export interface OpenedMail {
  /** The subject to file under: a protected (encrypted) subject only when it may be stored. */
  subject: string | null;
  /** Text that may be stored, in UTF-8; '' when there is none. */
  text: string;
  /** The reporter's files that may be stored (still to pass the attachment rules). */
  files: MailFile[];
  /** Ciphertexts kept as they came: when the policy keeps them at rest, or when they could not be decrypted. */
  encryptedOriginals: MailFile[];
  /** Public keys the mail carried (attached or pasted, inside or outside the encryption). */
  carried: ReporterKey[];
  signature: SignatureCheck;
  encryption: 'none' | 'pgp-mime' | 'inline';
  decryption: 'none' | 'decrypted' | 'kept-encrypted' | 'failed';
  /** Why decryption failed, for the team (never shown to the sender). */
  problem: string | null;
}

export interface OpenOptions {
  deskKey: DeskKey | null;
  /** Keys the desk already has for this sender (the report's reporter key). */
  knownKeys: readonly ReporterKey[];
  keepEncrypted: boolean;
  now: Date;
}

/** The text part; an HTML-only mail (mailparser then gives an empty text) reduced to text. */
const bodyText = (m: MimeMessage) => (m.text?.trim() ? m.text : m.html !== null ? htmlToText(m.html) : '');
const ENCRYPTED_FILE = /\.(pgp|gpg|asc)$/i;

async function keysIn(m: MimeMessage, text: string): Promise<ReporterKey[]> {
  const blocks = findArmorBlocks(text).filter((b) => b.kind === 'public-key').map((b) => b.text);
  const found = (await Promise.all([...m.keys, ...blocks].map((k) => readPublicKeys(k)))).flat();
  return found.filter((k, i) => found.findIndex((o) => o.fingerprint === k.fingerprint) === i);
}

/** The keys a signature is checked against: those the mail carried and those the desk knew. */
const union = (a: readonly ReporterKey[], b: readonly ReporterKey[]) => [...a, ...b.filter((k) => !a.some((x) => x.fingerprint === k.fingerprint))];

/** Pasted keys are the sender's business, not text of the report. */
const withoutKeyBlocks = (text: string) =>
  findArmorBlocks(text)
    .filter((b) => b.kind === 'public-key')
    .reduceRight((t, b) => `${t.slice(0, b.start)}[OpenPGP public key]${t.slice(b.end)}`, text);

export async function openMail(raw: Buffer, top: MimeMessage, o: OpenOptions): Promise<OpenedMail> {
  const topText = bodyText(top);
  const carried = await keysIn(top, topText);
  const keys = union(carried, o.knownKeys);
  const kind = pgpMimeKind(top.contentType);
  if (kind === 'encrypted' && top.encrypted) return openPgpMime(top, top.encrypted, carried, o);
  const opened: OpenedMail = { subject: top.subject, text: topText, files: top.attachments, encryptedOriginals: [], carried, signature: { status: 'not_signed' }, encryption: 'none', decryption: 'none', problem: null };
  if (kind === 'signed' && top.signature) {
    const parts = signedParts(raw.toString('latin1'));
    opened.signature = parts ? await verifyDetached(Buffer.from(parts.signedContent, 'latin1'), parts.signature, keys, o.now) : { status: 'bad_signature', keyIds: [], error: 'the signed part cannot be found' };
  }
  await openInline(opened, o);
  await openEncryptedFiles(opened, o);
  opened.text = withoutKeyBlocks(opened.text);
  return opened;
}

async function openPgpMime(top: MimeMessage, ciphertext: Buffer, carried: ReporterKey[], o: OpenOptions): Promise<OpenedMail> {
  const keys = union(carried, o.knownKeys);
  const original: MailFile = { filename: 'encrypted-mail.eml.asc', contentType: 'application/pgp-encrypted', data: ciphertext };
  const base: OpenedMail = { subject: top.subject, text: '', files: [], encryptedOriginals: [original], carried, signature: { status: 'not_signed' }, encryption: 'pgp-mime', decryption: 'failed', problem: null };
  let d = await decryptMessage(ciphertext, o.deskKey, keys, o.now);
  if (!d.ok) return { ...base, problem: d.message };
  const innerRaw = Buffer.from(d.data);
  const inner = await parseMime(innerRaw);
  const innerText = bodyText(inner);
  const innerKeys = await keysIn(inner, innerText);
  const allKeys = union(keys, innerKeys);
  // A key that came inside the encryption can only check the signature in a second pass.
  if (d.signature.status === 'unknown_key' && innerKeys.length > 0) {
    const again = await decryptMessage(ciphertext, o.deskKey, allKeys, o.now);
    if (again.ok) d = again;
  }
  let signature = d.signature;
  const signed = signedParts(innerRaw.toString('latin1'));
  if (signed) signature = await verifyDetached(Buffer.from(signed.signedContent, 'latin1'), signed.signature, allKeys, o.now);
  const opened: OpenedMail = { ...base, carried: union(carried, innerKeys), signature, decryption: 'decrypted' };
  if (o.keepEncrypted) return { ...opened, decryption: 'kept-encrypted' };
  const result: OpenedMail = { ...opened, subject: inner.subject ?? top.subject, text: innerText, files: inner.attachments, encryptedOriginals: [] };
  await openInline(result, o);
  await openEncryptedFiles(result, o);
  result.text = withoutKeyBlocks(result.text);
  return result;
}

/** Inline PGP in the text: an encrypted block is decrypted, clear-signed text verified. */
async function openInline(m: OpenedMail, o: OpenOptions): Promise<void> {
  const blocks = findArmorBlocks(m.text);
  const encrypted = blocks.find((b) => b.kind === 'message');
  if (encrypted && m.encryption === 'none') {
    m.encryption = 'inline';
    const outside = textAround(m.text, encrypted);
    const d = await decryptMessage(encrypted.text, o.deskKey, union(m.carried, o.knownKeys), o.now);
    const original: MailFile = { filename: 'encrypted-message.txt.asc', contentType: 'application/pgp-encrypted', data: Buffer.from(encrypted.text, 'utf8') };
    const unencrypted = outside ? `\n\n[Written outside the encrypted part, sent unencrypted:]\n${outside}` : '';
    if (!d.ok) {
      Object.assign(m, { decryption: 'failed', problem: d.message, encryptedOriginals: [...m.encryptedOriginals, original], text: outside });
      return;
    }
    let plain = Buffer.from(d.data).toString('utf8');
    let signature = d.signature;
    const clear = findArmorBlocks(plain).find((b) => b.kind === 'signed-message');
    if (clear) {
      const v = await verifyClearSigned(clear.text, union(m.carried, o.knownKeys), o.now);
      if (v) {
        plain = v.text;
        signature = v.check;
      }
    }
    m.signature = signature;
    if (o.keepEncrypted) Object.assign(m, { decryption: 'kept-encrypted', encryptedOriginals: [...m.encryptedOriginals, original], text: outside });
    else Object.assign(m, { decryption: 'decrypted', text: `${plain.trim()}${unencrypted}` });
    return;
  }
  const clear = blocks.find((b) => b.kind === 'signed-message');
  if (clear && m.signature.status === 'not_signed') {
    const v = await verifyClearSigned(clear.text, union(m.carried, o.knownKeys), o.now);
    if (v) {
      const outside = textAround(m.text, clear);
      m.signature = v.check;
      m.text = `${v.text.trim()}${outside ? `\n\n[Written outside the signed part:]\n${outside}` : ''}`;
    }
  }
}

/** Files encrypted on their own (report.pdf.pgp): decrypted, or kept encrypted as the policy says. */
async function openEncryptedFiles(m: OpenedMail, o: OpenOptions): Promise<void> {
  const files: MailFile[] = [];
  for (const f of m.files) {
    const looksEncrypted = ENCRYPTED_FILE.test(f.filename) && (f.data.subarray(0, 64).toString('latin1').includes('-----BEGIN PGP MESSAGE-----') || /\.(pgp|gpg)$/i.test(f.filename));
    if (!looksEncrypted) {
      files.push(f);
      continue;
    }
    const original = { ...f, contentType: 'application/pgp-encrypted' };
    if (o.keepEncrypted) {
      m.encryptedOriginals.push(original);
      if (m.decryption === 'none') m.decryption = 'kept-encrypted';
      continue;
    }
    const d = await decryptMessage(f.data, o.deskKey, union(m.carried, o.knownKeys), o.now);
    if (d.ok) {
      files.push({ filename: f.filename.replace(ENCRYPTED_FILE, ''), contentType: 'application/octet-stream', data: Buffer.from(d.data) });
      if (m.decryption === 'none') m.decryption = 'decrypted';
    } else {
      m.encryptedOriginals.push(original);
      m.decryption = 'failed';
      m.problem ??= `${f.filename}: ${d.message}`;
    }
  }
  m.files = files;
}
