import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../../app/errors.js';

/**
 * Small secrets that the desk must read back (a member's TOTP secret) are sealed with AES-256-GCM.
 * The key is derived from the desk's secret key with HKDF and a purpose label, so a key for one
 * purpose never opens another's boxes; the associated data (e.g. the user id) binds a box to its
 * row, so copying one user's sealed secret onto another user's row does not open.
 *
 * Format: `v1.<iv>.<ciphertext>.<tag>`, each part base64url.
 */
const VERSION = 'v1';

export function deriveKey(secretKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), `cvdesk secret-box ${purpose}`, 32));
}

export function seal(key: Buffer, plaintext: string, associatedData: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, body, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function open(key: Buffer, box: string, associatedData: string): string {
  const [version, iv, body, tag, ...rest] = box.split('.');
  if (version !== VERSION || !iv || body === undefined || !tag || rest.length > 0) throw new AppError('internal', 'a sealed secret is not in a known format');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    // A wrong key (CVDESK_SECRET_KEY changed) or a tampered box: both are faults, never a silent "no".
    throw new AppError('internal', 'a sealed secret could not be opened: wrong secret key or changed data');
  }
}
