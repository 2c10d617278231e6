import { createHash } from 'node:crypto';
import { validateDigest } from '../../domain/images/reference-grammar.js';

/** The digest algorithms the OCI image spec registers; anything else cannot be verified. */
const ALGORITHMS = { sha256: 'sha256', sha512: 'sha512' } as const;

export type DigestCheck = { ok: true } | { ok: false; reason: string };

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Does `bytes` hash to `digest`? A malformed or unsupported digest is a failed check, with why. */
export function checkDigest(digest: string, bytes: Uint8Array): DigestCheck {
  const bad = validateDigest(digest);
  if (bad) return { ok: false, reason: `"${digest.slice(0, 200)}" is not a valid digest (${bad.replace(/_/g, ' ')})` };
  const algorithm = digest.slice(0, digest.indexOf(':')) as keyof typeof ALGORITHMS;
  const actual = `${algorithm}:${createHash(ALGORITHMS[algorithm]).update(bytes).digest('hex')}`;
  return actual === digest ? { ok: true } : { ok: false, reason: `content hashes to ${actual}, not ${digest}` };
}

/** True when a manifest reference is a digest rather than a tag. */
export const isDigestRef = (ref: string) => ref.includes(':');
