import { createHash, randomBytes } from 'node:crypto';

/** A secret for a link or a session: 32 random bytes, base64url; only its SHA-256 is ever stored. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** High-entropy tokens need no slow hash: SHA-256 is enough to make a stolen table useless. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
