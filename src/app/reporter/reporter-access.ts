import type { Db } from '../../adapters/db/open-database.js';
import { hashToken } from '../tokens.js';

/** A tracking token is 32 random bytes in base64url (43 characters); anything else cannot match. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * The report a reporter's secret opens, or null. Only the token's SHA-256 is looked up, so the
 * database never sees the secret and an unknown token tells nothing about which tokens exist.
 */
export async function reportIdForToken(db: Db, token: string | undefined | null): Promise<string | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const row = await db.selectFrom('reports').select('id').where('token_hash', '=', hashToken(token)).executeTakeFirst();
  return row?.id ?? null;
}
