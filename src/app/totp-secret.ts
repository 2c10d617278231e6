import { deriveKey, open, seal } from '../adapters/crypto/secret-box.js';

/** TOTP secrets are stored sealed, bound to their user's id (see secret-box.ts). */
const PURPOSE = 'totp';

export const sealTotpSecret = (secretKey: Buffer, userId: string, secret: string) => seal(deriveKey(secretKey, PURPOSE), secret, `user:${userId}`);
export const openTotpSecret = (secretKey: Buffer, userId: string, box: string) => open(deriveKey(secretKey, PURPOSE), box, `user:${userId}`);
