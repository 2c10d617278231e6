import * as openpgp from 'openpgp';

/**
 * OpenPGP cleartext signatures for security.txt (openpgp 6). The text to verify comes from the
 * pure parser (src/formats/security-txt/parse.ts) as signed text plus armored signature, so the
 * framing rules live in one place and this file only does the cryptography.
 */

export interface VerifyResult {
  valid: boolean;
  /** Key IDs (16 hex digits, lower case) that the signature names as signers. */
  keyIds: string[];
  error?: string;
  /** Facts that do not make the signature invalid, e.g. that the signing key has expired since (gpg: "Good signature", "key expired"). */
  warnings?: string[];
}

export type SignatureInspection =
  | { ok: true; keyIds: string[]; hashAlgorithms: string[]; created: Date[] }
  | { ok: false; error: string };

export interface ClearSignOptions {
  passphrase?: string;
  /** Signature creation time; defaults to openpgp's own clock (this is an adapter). */
  date?: Date;
}

/** Clear-signs `text` (RFC 4880 section 7); the result is a complete signed security.txt. */
export async function clearSign(text: string, armoredPrivateKey: string, options: ClearSignOptions = {}): Promise<string> {
  let signingKey = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  if (!signingKey.isDecrypted()) {
    if (options.passphrase === undefined) throw new Error('the private key is protected by a passphrase and none was given');
    signingKey = await openpgp.decryptKey({ privateKey: signingKey, passphrase: options.passphrase });
  }
  const message = await openpgp.createCleartextMessage({ text });
  return openpgp.sign({ message, signingKeys: signingKey, ...(options.date ? { date: options.date } : {}) });
}

/** Parses an armored signature without any key: tells a well-formed signature from garbage (DTC's pgp_error). */
export async function inspectSignature(armoredSignature: string): Promise<SignatureInspection> {
  try {
    const sig = await openpgp.readSignature({ armoredSignature });
    const packets = [...sig.packets];
    if (packets.length === 0) return { ok: false, error: 'no signature packet' };
    return {
      ok: true,
      keyIds: sig.getSigningKeyIDs().map((k) => k.toHex()),
      hashAlgorithms: packets.map((p) => (p.hashAlgorithm === null ? 'unknown' : String(openpgp.enums.read(openpgp.enums.hash, p.hashAlgorithm)))),
      created: packets.map((p) => p.created).filter((d): d is Date => d instanceof Date),
    };
  } catch (e) {
    return { ok: false, error: message(e) };
  }
}

async function readKeys(armoredPublicKeys: string | readonly string[]): Promise<openpgp.PublicKey[]> {
  const blocks = typeof armoredPublicKeys === 'string' ? [armoredPublicKeys] : armoredPublicKeys;
  const keys: openpgp.PublicKey[] = [];
  for (const armoredKeys of blocks) keys.push(...(await openpgp.readKeys({ armoredKeys })));
  return keys;
}

// openpgp 6 exports the CleartextMessage constructor but its type declarations omit it.
type CleartextCtor = new (text: string, signature: openpgp.Signature) => openpgp.CleartextMessage;

/**
 * Verifies a cleartext signature over `signedText` (dash-unescaped, as the parser returns it).
 * Valid only when every signature packet verifies against one of the keys. `date` is the instant
 * key validity is judged at (default: openpgp's current time).
 */
export async function verifyCleartext(
  signed: { signedText: string; armoredSignature: string },
  armoredPublicKeys: string | readonly string[],
  options: { date?: Date } = {},
): Promise<VerifyResult> {
  let keyIds: string[] = [];
  try {
    const signature = await openpgp.readSignature({ armoredSignature: signed.armoredSignature });
    keyIds = signature.getSigningKeyIDs().map((k) => k.toHex());
    const Ctor = openpgp.CleartextMessage as unknown as CleartextCtor;
    const message = new Ctor(signed.signedText, signature);
    const keys = await readKeys(armoredPublicKeys);
    const result = await openpgp.verify({ message, verificationKeys: keys, ...(options.date ? { date: options.date } : {}) });
    return await expiryWarnings(await settle(result.signatures, keyIds), keys, options.date);
  } catch (e) {
    return { valid: false, keyIds, error: message(e) };
  }
}

/** Verifies a detached armored signature over `data` (the draft-era `Signature:` field pointed at one). */
export async function verifyDetached(
  data: string | Uint8Array,
  armoredSignature: string,
  armoredPublicKeys: string | readonly string[],
  options: { date?: Date } = {},
): Promise<VerifyResult> {
  let keyIds: string[] = [];
  try {
    const signature = await openpgp.readSignature({ armoredSignature });
    keyIds = signature.getSigningKeyIDs().map((k) => k.toHex());
    const message = typeof data === 'string' ? await openpgp.createMessage({ text: data }) : await openpgp.createMessage({ binary: data });
    const keys = await readKeys(armoredPublicKeys);
    const result = await openpgp.verify({ message, signature, verificationKeys: keys, ...(options.date ? { date: options.date } : {}) });
    return await expiryWarnings(await settle(result.signatures, keyIds), keys, options.date);
  } catch (e) {
    return { valid: false, keyIds, error: message(e) };
  }
}

/**
 * openpgp judges a signature by the key's validity when the signature was made, so a signature by
 * a key that has expired since still verifies; say so, as gpg does.
 */
async function expiryWarnings(result: VerifyResult, keys: openpgp.PublicKey[], date: Date | undefined): Promise<VerifyResult> {
  if (!result.valid) return result;
  const at = date ?? new Date();
  const warnings: string[] = [];
  for (const key of keys) {
    if (!key.getKeyIDs().some((id) => result.keyIds.includes(id.toHex()))) continue;
    const expires = await key.getExpirationTime().catch(() => null);
    if (expires instanceof Date && expires.getTime() < at.getTime()) warnings.push(`the signing key ${key.getKeyID().toHex()} expired on ${expires.toISOString()}`);
  }
  return warnings.length ? { ...result, warnings } : result;
}

async function settle(signatures: { verified: Promise<true> }[], keyIds: string[]): Promise<VerifyResult> {
  if (signatures.length === 0) return { valid: false, keyIds, error: 'no signature' };
  for (const s of signatures) {
    try {
      await s.verified;
    } catch (e) {
      return { valid: false, keyIds, error: message(e) };
    }
  }
  return { valid: true, keyIds };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

