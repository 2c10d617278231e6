import * as openpgp from 'openpgp';
import { settleSignatures, type ReporterKey, type SignatureCheck } from './pgp-verify.js';

/**
 * Decrypts mail encrypted to the desk's key (the armored private key of CVDESK_SIGNING_KEY_FILE,
 * unlocked once with its passphrase). A signature inside the encrypted message (RFC 3156 6.2,
 * "encrypted and signed") is checked against the reporter's keys in the same pass.
 */

export type Decryption =
  | { ok: true; data: Uint8Array; signature: SignatureCheck }
  | { ok: false; reason: 'no_desk_key' | 'not_for_desk_key' | 'unreadable'; message: string };

export interface DeskKey {
  key: openpgp.PrivateKey;
  fingerprint: string;
}

/** Reads and unlocks the desk's private key; throws with a message that names no secret. */
export async function unlockDeskKey(armored: string, passphrase: string | null): Promise<DeskKey> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored });
  } catch (e) {
    throw new Error(`the desk's OpenPGP key cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!key.isDecrypted()) {
    if (passphrase === null) throw new Error("the desk's OpenPGP key is protected by a passphrase and CVDESK_SIGNING_KEY_PASSPHRASE is not set");
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase });
    } catch {
      throw new Error("the desk's OpenPGP key cannot be unlocked with CVDESK_SIGNING_KEY_PASSPHRASE");
    }
  }
  return { key, fingerprint: key.getFingerprint().toUpperCase() };
}

/** Decrypts armored or binary OpenPGP data. */
export async function decryptMessage(data: string | Uint8Array, deskKey: DeskKey | null, reporterKeys: readonly ReporterKey[], date?: Date): Promise<Decryption> {
  let message: openpgp.Message<Uint8Array>;
  try {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
    message = (text.includes('-----BEGIN PGP MESSAGE-----')
      ? await openpgp.readMessage({ armoredMessage: text.slice(text.indexOf('-----BEGIN PGP MESSAGE-----')) })
      : await openpgp.readMessage({ binaryMessage: typeof data === 'string' ? Buffer.from(data, 'latin1') : data })) as openpgp.Message<Uint8Array>;
  } catch (e) {
    return { ok: false, reason: 'unreadable', message: `not an OpenPGP message: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!deskKey) return { ok: false, reason: 'no_desk_key', message: 'the desk has no OpenPGP private key (CVDESK_SIGNING_KEY_FILE)' };
  const deskIds = new Set(deskKey.key.getKeyIDs().map((k) => k.toHex()));
  const recipients = message.getEncryptionKeyIDs().map((k) => k.toHex());
  if (recipients.length > 0 && !recipients.some((r) => deskIds.has(r) || r === '0000000000000000')) {
    return { ok: false, reason: 'not_for_desk_key', message: `encrypted to ${recipients.join(', ')}, not to the desk's key` };
  }
  try {
    const result = await openpgp.decrypt({
      message,
      decryptionKeys: deskKey.key,
      format: 'binary',
      ...(reporterKeys.length > 0 ? { verificationKeys: reporterKeys.map((k) => k.key) } : {}),
      ...(date ? { date } : {}),
    });
    // Without verification keys openpgp still lists the signatures, each failing for the missing key.
    return { ok: true, data: result.data, signature: await settleSignatures(result.signatures, reporterKeys) };
  } catch (e) {
    return { ok: false, reason: 'unreadable', message: `cannot be decrypted: ${e instanceof Error ? e.message : String(e)}` };
  }
}
