import type { Context } from '../../context.js';
import { MAIL_LANGUAGES, type MailLanguage } from '../../formats/mail/words.js';
import { emailSchema } from '../accounts.js';
import { enqueueMail } from '../notifications/outbox.js';
import { newToken } from '../tokens.js';
import { CONFIRM_RESEND_MS, CONFIRM_VALID_MS, confirmUrl, unsubscribeHash } from './subscriber-links.js';

type Deps = Pick<Context, 'db' | 'clock' | 'newId' | 'secretKey' | 'config'>;

export type SubscribeResult = { kind: 'accepted' } | { kind: 'invalid'; field: 'email' | 'language' };

/**
 * Someone asks for advisories by mail (double opt-in). The answer is the same whether the address
 * is new, waiting for its confirmation, subscribed or unsubscribed, so the form tells nobody who
 * subscribes. A new or unsubscribed address gets a confirmation mail with a fresh link (the old
 * one stops working); a waiting one gets another at most every CONFIRM_RESEND_MS, so the form
 * cannot be used to flood an address; a subscribed one gets nothing (and keeps its language).
 */
export async function subscribe(deps: Deps, input: { email: unknown; language: unknown }): Promise<SubscribeResult> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success) return { kind: 'invalid', field: 'email' };
  if (typeof input.language !== 'string' || !(MAIL_LANGUAGES as readonly string[]).includes(input.language)) return { kind: 'invalid', field: 'language' };
  const language = input.language as MailLanguage;
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + CONFIRM_VALID_MS);
  const { token, hash } = newToken();
  await deps.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('subscribers').selectAll().where('email', '=', email.data).forUpdate().executeTakeFirst();
    if (existing?.state === 'confirmed') return;
    if (existing?.state === 'pending' && existing.confirm_sent_at && now.getTime() - existing.confirm_sent_at.getTime() < CONFIRM_RESEND_MS) return;
    const pending = { state: 'pending' as const, language, confirm_hash: hash, confirm_expires_at: expiresAt, confirm_sent_at: now, confirmed_at: null, unsubscribed_at: null };
    let id: string;
    if (existing) {
      id = existing.id;
      await trx.updateTable('subscribers').set(pending).where('id', '=', id).execute();
    } else {
      id = deps.newId();
      const made = await trx
        .insertInto('subscribers')
        .values({ id, email: email.data, unsubscribe_hash: unsubscribeHash(deps.secretKey, id), created_at: now, ...pending })
        .onConflict((oc) => oc.column('email').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!made) return; // the same address, asked for at the same moment elsewhere: that request mails it
    }
    await enqueueMail(
      trx,
      deps,
      [
        {
          dedupeKey: `subscription-confirm:${hash}`,
          kind: 'subscription-confirm',
          audience: 'subscriber',
          reportId: null,
          userId: null,
          recipient: email.data,
          language,
          payload: { subscriberId: id, expiresAt: expiresAt.toISOString() },
          secret: confirmUrl(deps, token),
        },
      ],
      now,
    );
  });
  return { kind: 'accepted' };
}
