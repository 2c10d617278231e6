import type { Context } from '../../context.js';
import type { MailLanguage } from '../../formats/mail/words.js';
import { hashToken } from '../tokens.js';
import { looksLikeToken } from './subscriber-links.js';

type Deps = Pick<Context, 'db' | 'clock'>;

export type ConfirmResult = { kind: 'confirmed'; language: MailLanguage } | { kind: 'not_found' };

/** The subscription a confirmation link opens while it is valid (for the page with the button), or null. */
export async function pendingSubscription(deps: Deps, token: string): Promise<{ language: MailLanguage } | null> {
  if (!looksLikeToken(token)) return null;
  const row = await deps.db
    .selectFrom('subscribers')
    .select('language')
    .where('confirm_hash', '=', hashToken(token))
    .where('state', '=', 'pending')
    .where('confirm_expires_at', '>', deps.clock())
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Confirms a subscription: only by the POST of the page's button (mail scanners follow links, so a
 * GET confirms nothing). A conditional UPDATE: a link works once, and not after it expired.
 */
export async function confirmSubscription(deps: Deps, token: string): Promise<ConfirmResult> {
  if (!looksLikeToken(token)) return { kind: 'not_found' };
  const now = deps.clock();
  const row = await deps.db
    .updateTable('subscribers')
    .set({ state: 'confirmed', confirmed_at: now, confirm_hash: null, confirm_expires_at: null })
    .where('confirm_hash', '=', hashToken(token))
    .where('state', '=', 'pending')
    .where('confirm_expires_at', '>', now)
    .returning('language')
    .executeTakeFirst();
  return row ? { kind: 'confirmed', language: row.language } : { kind: 'not_found' };
}

/** Unconfirmed subscriptions whose link has expired are deleted: the address was never confirmed. */
export async function expireSubscriptions(deps: Deps): Promise<number> {
  const r = await deps.db.deleteFrom('subscribers').where('state', '=', 'pending').where('confirm_expires_at', '<=', deps.clock()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
