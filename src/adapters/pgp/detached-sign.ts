import * as openpgp from 'openpgp';

/**
 * Detached OpenPGP signatures over files the desk publishes (CSAF documents: the `.asc` beside
 * each), and the public half of the desk's signing key, which readers need to check them.
 */

export interface SigningKey {
  key: openpgp.PrivateKey;
  /** Hex, upper case. */
  fingerprint: string;
  /** The armored public key, for <provider>/openpgp/<fingerprint>.asc. */
  publicKey: string;
}

/** Reads (and, with the passphrase, unlocks) an armored private key. */
export async function readSigningKey(armoredPrivateKey: string, passphrase?: string): Promise<SigningKey> {
  let key = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  if (!key.isDecrypted()) {
    if (passphrase === undefined) throw new Error('the private key is protected by a passphrase and none was given');
    key = await openpgp.decryptKey({ privateKey: key, passphrase });
  }
  return { key, fingerprint: key.getFingerprint().toUpperCase(), publicKey: key.toPublic().armor() };
}

/** An armored detached signature over the exact bytes. */
export async function signDetached(data: Uint8Array, key: SigningKey, date?: Date): Promise<string> {
  const message = await openpgp.createMessage({ binary: data });
  return openpgp.sign({ message, signingKeys: key.key, detached: true, format: 'armored', ...(date ? { date } : {}) });
}
