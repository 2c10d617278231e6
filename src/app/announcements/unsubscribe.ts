import type { Context } from '../../context.js';
import type { MailLanguage } from '../../formats/mail/words.js';
import { hashToken } from '../tokens.js';
import { looksLikeToken } from './subscriber-links.js';

type Deps = Pick<Context, 'db' | 'clock'>;

export type UnsubscribeResult = { kind: 'unsubscribed'; language: MailLanguage } | { kind: 'not_found' };

/** The subscription an unsubscribe link names (for the page with the button), or null. */
export async function subscriptionOf(deps: Pick<Context, 'db'>, token: string): Promise<{ language: MailLanguage; state: 'pending' | 'confirmed' | 'unsubscribed' } | null> {
  if (!looksLikeToken(token)) return null;
  return (await deps.db.selectFrom('subscribers').select(['language', 'state']).where('unsubscribe_hash', '=', hashToken(token)).executeTakeFirst()) ?? null;
}

/**
 * One-click unsubscribe (RFC 8058): the link's token is the authority, so it needs no session and
 * no CSRF token, and it may be sent again (a second click answers the same). Announcements still
 * waiting in the outbox are cancelled when they are rendered.
 */
export async function unsubscribe(deps: Deps, token: string): Promise<UnsubscribeResult> {
  if (!looksLikeToken(token)) return { kind: 'not_found' };
  const hash = hashToken(token);
  const row = await deps.db
    .updateTable('subscribers')
    .set({ state: 'unsubscribed', unsubscribed_at: deps.clock(), confirm_hash: null, confirm_expires_at: null })
    .where('unsubscribe_hash', '=', hash)
    .where('state', '!=', 'unsubscribed')
    .returning('language')
    .executeTakeFirst();
  if (row) return { kind: 'unsubscribed', language: row.language };
  const already = await deps.db.selectFrom('subscribers').select('language').where('unsubscribe_hash', '=', hash).executeTakeFirst();
  return already ? { kind: 'unsubscribed', language: already.language } : { kind: 'not_found' };
}
