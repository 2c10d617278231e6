import * as openpgp from 'openpgp';

/**
 * A reporter's OpenPGP signature on a mail, judged against the keys the desk has for them: a key
 * attached to the mail (application/pgp-keys or pasted) or the one stored with their report. The
 * outcome is recorded on the message; "verified" says which key signed, not who the sender is (an
 * attached key can carry any name).
 */

export type SignatureCheck =
  | { status: 'not_signed' }
  | { status: 'verified'; fingerprint: string; emails: string[] }
  | { status: 'bad_signature'; keyIds: string[]; error: string }
  /** Signed, but by a key the desk does not have. */
  | { status: 'unknown_key'; keyIds: string[] };

export interface ReporterKey {
  key: openpgp.PublicKey;
  armored: string;
  fingerprint: string;
  emails: string[];
}

const emailOf = (userId: string) => /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(userId)?.[1]?.toLowerCase() ?? (/^[^<>\s]+@[^<>\s]+$/.test(userId.trim()) ? userId.trim().toLowerCase() : null);

/**
 * The public keys in armored or binary key data. Private keys are never taken (a reporter who sends
 * theirs by mistake should not have it stored); broken data yields no keys rather than an error.
 */
export async function readPublicKeys(data: string | Uint8Array): Promise<ReporterKey[]> {
  try {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
    const keys = text.includes('-----BEGIN PGP') ? await openpgp.readKeys({ armoredKeys: text }) : await openpgp.readKeys({ binaryKeys: typeof data === 'string' ? Buffer.from(data, 'latin1') : data });
    return keys
      .filter((k) => !k.isPrivate())
      .map((k) => ({ key: k as openpgp.PublicKey, armored: k.armor(), fingerprint: k.getFingerprint().toUpperCase(), emails: k.getUserIDs().flatMap((u) => emailOf(u) ?? []) }));
  } catch {
    return [];
  }
}

/** Settles openpgp's per-signature promises into one outcome: every signature must verify. */
export async function settleSignatures(signatures: readonly { keyID: openpgp.KeyID; verified: Promise<true> }[], keys: readonly ReporterKey[]): Promise<SignatureCheck> {
  if (signatures.length === 0) return { status: 'not_signed' };
  const keyIds = signatures.map((s) => s.keyID.toHex());
  const known = (id: string) => keys.find((k) => k.key.getKeyIDs().some((kid) => kid.toHex() === id));
  if (signatures.some((s) => !known(s.keyID.toHex()))) return { status: 'unknown_key', keyIds };
  for (const s of signatures) {
    try {
      await s.verified;
    } catch (e) {
      return { status: 'bad_signature', keyIds, error: e instanceof Error ? e.message : String(e) };
    }
  }
  const signer = known(keyIds[0]!)!;
  return { status: 'verified', fingerprint: signer.fingerprint, emails: signer.emails };
}

/** A PGP/MIME detached signature (RFC 3156 section 5) over the signed entity's exact bytes. */
export async function verifyDetached(signed: Uint8Array, armoredSignature: string, keys: readonly ReporterKey[], date?: Date): Promise<SignatureCheck> {
  let signature: openpgp.Signature;
  try {
    signature = await openpgp.readSignature({ armoredSignature });
  } catch (e) {
    return { status: 'bad_signature', keyIds: [], error: `the signature cannot be read: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (keys.length === 0) return { status: 'unknown_key', keyIds: signature.getSigningKeyIDs().map((k) => k.toHex()) };
  const message = await openpgp.createMessage({ binary: signed });
  const result = await openpgp.verify({ message, signature, verificationKeys: keys.map((k) => k.key), ...(date ? { date } : {}) });
  return settleSignatures(result.signatures, keys);
}

/** Inline clear-signed text ("-----BEGIN PGP SIGNED MESSAGE-----"): the signed text and the check. */
export async function verifyClearSigned(armored: string, keys: readonly ReporterKey[], date?: Date): Promise<{ text: string; check: SignatureCheck } | null> {
  let message: openpgp.CleartextMessage;
  try {
    message = await openpgp.readCleartextMessage({ cleartextMessage: armored });
  } catch {
    return null;
  }
  const text = message.getText();
  if (keys.length === 0) return { text, check: { status: 'unknown_key', keyIds: message.getSigningKeyIDs().map((k) => k.toHex()) } };
  const result = await openpgp.verify({ message, verificationKeys: keys.map((k) => k.key), ...(date ? { date } : {}) });
  return { text, check: await settleSignatures(result.signatures, keys) };
}
