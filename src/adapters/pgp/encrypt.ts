import * as openpgp from 'openpgp';

/**
 * Encryption to a reporter's public key (openpgp 6), for PGP/MIME mail (RFC 3156): the caller hands
 * over the MIME entity to protect and gets the armored OpenPGP message that becomes the second part
 * of multipart/encrypted.
 */

export class UnusableKeyError extends Error {}

/** The key's primary fingerprint when it can encrypt at `date`; an UnusableKeyError says why not. */
export async function encryptionKeyOf(armoredKey: string, date?: Date): Promise<{ key: openpgp.PublicKey; fingerprint: string }> {
  let key: openpgp.PublicKey;
  try {
    key = await openpgp.readKey({ armoredKey });
  } catch (e) {
    throw new UnusableKeyError(`it is not an OpenPGP public key (${message(e)})`);
  }
  try {
    await key.getEncryptionKey(undefined, date);
  } catch (e) {
    throw new UnusableKeyError(`key ${key.getFingerprint().toUpperCase()} has no usable encryption subkey (${message(e)})`);
  }
  return { key, fingerprint: key.getFingerprint().toUpperCase() };
}

/** Encrypts bytes to the key; the literal data is binary, so the MIME entity's line endings survive as they are. */
export async function encryptTo(armoredKey: string, data: Uint8Array, date?: Date): Promise<string> {
  const { key } = await encryptionKeyOf(armoredKey, date);
  const msg = await openpgp.createMessage({ binary: data });
  return openpgp.encrypt({ message: msg, encryptionKeys: key, format: 'armored', ...(date ? { date } : {}) });
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
