import type { SignatureCheck } from '../../adapters/pgp/pgp-verify.js';
import type { OpenedMail } from './open-mail.js';

/**
 * What the desk says about a mail, in words: notes added to the stored text (what the reporter and
 * the team both see) and the desk's internal note to the team (sender, encryption, signature).
 */

export interface DroppedFile {
  filename: string;
  reason: string;
}

const groupHex = (fp: string) => fp.replace(/(.{4})/g, '$1 ').trim();

export function signatureWords(s: SignatureCheck): string {
  switch (s.status) {
    case 'not_signed':
      return 'not signed';
    case 'verified':
      return `good signature by key ${groupHex(s.fingerprint)}${s.emails.length ? ` (${s.emails.join(', ')})` : ''}`;
    case 'bad_signature':
      return `BAD SIGNATURE (${s.error.slice(0, 200)}): the text may have been changed on the way`;
    case 'unknown_key':
      return `signed by a key the desk does not have (${s.keyIds.join(', ') || 'unknown key id'}); not checked`;
  }
}

function encryptionWords(m: OpenedMail, originals: readonly string[]): string {
  if (m.encryption === 'none' && m.decryption === 'none') return 'not encrypted';
  const how = m.encryption === 'pgp-mime' ? 'PGP/MIME encrypted' : m.encryption === 'inline' ? 'inline PGP encrypted' : 'encrypted files';
  const files = originals.length ? ` (${originals.join(', ')})` : '';
  if (m.decryption === 'decrypted') return `${how}, decrypted with the desk's key`;
  if (m.decryption === 'kept-encrypted') return `${how}; kept encrypted at rest as the policy says: decrypt the attached original${files} with the project's key`;
  return `${how}, but the desk could not decrypt it (${m.problem ?? 'unknown reason'}); the encrypted original is attached${files}`;
}

/** Lines appended to the stored text, so reporter and team both see what the desk did not keep. */
export function textNotes(m: OpenedMail, dropped: readonly DroppedFile[], originals: readonly string[]): string {
  const notes: string[] = [];
  if (m.decryption === 'kept-encrypted') notes.push(`[This mail arrived encrypted and stays encrypted at rest: the desk kept only the encrypted original (${originals.join(', ')}).]`);
  if (m.decryption === 'failed') notes.push(`[This mail arrived encrypted and the desk could not decrypt it; the encrypted original is kept (${originals.join(', ')}).]`);
  for (const d of dropped) notes.push(`[Not kept: ${d.reason}]`);
  return notes.join('\n');
}

export interface DeskNoteFacts {
  kind: 'report' | 'reply';
  from: { address: string; name: string } | null;
  proven: boolean;
  envelopeFrom: string | null;
  opened: OpenedMail;
  originals: readonly string[];
  dropped: readonly DroppedFile[];
  keyNote: string | null;
}

/** The desk's internal note on the report: who claims to have sent the mail and what proves it. */
export function deskNote(f: DeskNoteFacts): string {
  const who = f.from ? `${f.from.name ? `${f.from.name} ` : ''}<${f.from.address}>` : '(no From address)';
  const lines = [
    f.kind === 'report' ? 'This report came in by e-mail.' : 'This reply came in by e-mail, to the report\'s reply address.',
    f.proven
      ? `Sender: ${who}, proven by a good OpenPGP signature of the key the desk already had for this address.`
      : `Claimed sender: ${who}. The From line is written by the sender and is not proven${f.opened.signature.status === 'verified' ? ' (the signing key came with the mail, so it proves only that its holder wrote this)' : ''}.`,
    `Envelope sender: ${f.envelopeFrom ?? '(empty)'}`,
    `Encryption: ${encryptionWords(f.opened, f.originals)}.`,
    `Signature: ${signatureWords(f.opened.signature)}.`,
  ];
  if (f.keyNote) lines.push(f.keyNote);
  if (f.dropped.length) lines.push(`Files not kept: ${f.dropped.map((d) => d.reason).join('; ')}`);
  return lines.join('\n');
}
