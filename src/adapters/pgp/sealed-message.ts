import * as openpgp from 'openpgp';

/**
 * Reports a reporter's browser encrypted to the desk's key (the report form's "Encrypt in my
 * browser", or the API's `encrypted` field). The desk never decrypts them: it only checks, from the
 * packets alone, that what it is asked to store is an OpenPGP message encrypted to its key and
 * nothing else, and keeps the message re-encoded from those packets, so no text around the armor
 * and no armor header (Comment:) reaches the database.
 */

export interface DeskPublicKey {
  /** The public half, armored, as the desk serves it. */
  armored: string;
  /** Hex, upper case. */
  fingerprint: string;
  /** The key IDs of the primary key and its subkeys (16 hex digits, lower case). */
  keyIds: string[];
}

/** The public half of the desk's armored key (private or public); no passphrase is needed. */
export async function deskPublicKeyOf(armoredKey: string): Promise<DeskPublicKey> {
  const key = await openpgp.readKey({ armoredKey });
  const pub = key.isPrivate() ? (key as openpgp.PrivateKey).toPublic() : key;
  return { armored: pub.armor(), fingerprint: pub.getFingerprint().toUpperCase(), keyIds: pub.getKeyIDs().map((k) => k.toHex()) };
}

export type SealedCheck =
  /** `armored` for a text message, `binary` for a file: re-encoded from the parsed packets. */
  | { ok: true; armored: string; binary: Uint8Array; recipients: string[] }
  | { ok: false; problem: string };

const BEGIN = '-----BEGIN PGP MESSAGE-----';
const END = '-----END PGP MESSAGE-----';
const tag = openpgp.enums.packet;
/** Session keys (to a public key or a password) and padding may precede the one encrypted data packet. */
const SESSION_KEYS = new Set<number>([tag.publicKeyEncryptedSessionKey, tag.symEncryptedSessionKey, tag.padding]);
const ENCRYPTED_DATA = new Set<number>([tag.symEncryptedIntegrityProtectedData, tag.aeadEncryptedData]);

/**
 * Checks an OpenPGP message without decrypting it: armored text (only the armor, nothing around it)
 * or binary bytes, at most `maxBytes` long, made only of session-key packets and one integrity-
 * protected encrypted data packet, with a session key for one of the desk's key IDs.
 */
export async function checkSealed(data: string | Uint8Array, deskKeyIds: readonly string[], maxBytes: number): Promise<SealedCheck> {
  const size = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength;
  if (size > maxBytes) return { ok: false, problem: `is larger than ${maxBytes} bytes, the most this desk accepts` };
  if (size === 0) return { ok: false, problem: 'is empty' };
  let binary: Uint8Array;
  let message: openpgp.Message<Uint8Array>;
  try {
    if (typeof data === 'string') {
      const text = data.trim();
      if (!text.startsWith(BEGIN) || !text.endsWith(END) || text.indexOf(BEGIN, 1) !== -1) return { ok: false, problem: 'is not an ASCII-armored OpenPGP message alone (a BEGIN PGP MESSAGE armor, with no text before or after it)' };
      const unarmored = await openpgp.unarmor(text);
      if (unarmored.type !== openpgp.enums.armor.message || !(unarmored.data instanceof Uint8Array)) return { ok: false, problem: 'is not an ASCII-armored OpenPGP message' };
      binary = unarmored.data;
    } else {
      binary = data;
    }
    message = (await openpgp.readMessage({ binaryMessage: binary })) as openpgp.Message<Uint8Array>;
  } catch (e) {
    return { ok: false, problem: `is not an OpenPGP message (${(e instanceof Error ? e.message : String(e)).slice(0, 200)})` };
  }
  const tags = [...message.packets].map((p) => (p.constructor as unknown as { tag: number }).tag);
  const last = tags.at(-1);
  if (last === undefined || !ENCRYPTED_DATA.has(last)) {
    return { ok: false, problem: tags.includes(tag.symmetricallyEncryptedData) ? 'uses encryption without integrity protection; encrypt it again with a current OpenPGP program' : 'is not encrypted' };
  }
  if (!tags.slice(0, -1).every((t) => SESSION_KEYS.has(t))) return { ok: false, problem: 'holds more than one encrypted message, or data outside the encryption' };
  const recipients = message.getEncryptionKeyIDs().map((k) => k.toHex());
  if (!recipients.some((r) => deskKeyIds.includes(r))) {
    return { ok: false, problem: recipients.length ? `is encrypted to ${recipients.join(', ')}, not to the desk's key` : "is not encrypted to the desk's key" };
  }
  // Armored anew from the packets' bytes: no armor header (Comment:) and nothing around the armor is kept.
  return { ok: true, armored: openpgp.armor(openpgp.enums.armor.message, binary), binary, recipients };
}
