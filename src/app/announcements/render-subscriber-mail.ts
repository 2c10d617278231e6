import type { Context } from '../../context.js';
import { announcementMail, confirmationMail, type SubscriberContext } from '../../formats/mail/announcement-mail.js';
import { mailLanguageOf } from '../../formats/mail/words.js';
import { openOutboxSecret } from '../notifications/outbox.js';
import { UnsendableMailError, type OutboxRow, type RenderedMail } from '../notifications/render-outbox-mail.js';
import { hashToken } from '../tokens.js';
import { publishedAnnouncement } from './announcement-content.js';
import { unsubscribeUrl } from './subscriber-links.js';

type Deps = Pick<Context, 'db' | 'policy' | 'clock' | 'config' | 'secretKey' | 'log'>;

const cancel = (reason: string): RenderedMail => ({ kind: 'cancel', reason });

/** `"Mautic security advisories" <advisories.desk.example>` (RFC 2919): mail clients group and filter by it. */
export const listIdOf = (deps: Pick<Context, 'policy' | 'config'>): string => `"${deps.policy.project.name.replace(/["\\\r\n]/g, '')} security advisories" <advisories.${deps.config.baseUrl.hostname}>`;

/**
 * Mail to a subscriber, rendered when it goes out: the confirmation (while the subscription still
 * waits for it, with the newest link only) and the announcement (while the address is subscribed
 * and the advisory is published), the latter with the one-click unsubscribe headers of RFC 8058.
 */
export async function renderSubscriberMail(deps: Deps, row: OutboxRow): Promise<RenderedMail> {
  const subscriber = await deps.db.selectFrom('subscribers').selectAll().where('id', '=', String(row.payload.subscriberId)).executeTakeFirst();
  const c: SubscriberContext = { team: deps.policy.team.name, project: deps.policy.project.name, timeZone: deps.policy.calendar.timeZone, lang: mailLanguageOf(subscriber?.language ?? row.language) };
  const mail = (m: { subject: string; text: string }, headers: Record<string, string>): RenderedMail => ({ kind: 'send', subject: m.subject, text: m.text, replyTo: null, references: [], encryptTo: null, headers });

  if (row.kind === 'subscription-confirm') {
    if (!row.secret) throw new UnsendableMailError('the confirmation link of this mail is gone (it is erased once sent)');
    if (!subscriber || subscriber.state !== 'pending' || !subscriber.confirm_expires_at || subscriber.confirm_expires_at <= deps.clock()) return cancel('the subscription was confirmed, ended or has expired');
    const link = openOutboxSecret(deps.secretKey, row.id, row.secret);
    if (hashToken(link.split('/').at(-1) ?? '') !== subscriber.confirm_hash) return cancel('a newer confirmation link replaced this one');
    return mail(confirmationMail(c, { link, expiresAt: subscriber.confirm_expires_at }), {});
  }
  if (row.kind === 'announcement') {
    if (!subscriber || subscriber.state !== 'confirmed') return cancel('the address unsubscribed before the mail went out');
    const announcement = await publishedAnnouncement(deps, String(row.payload.ident));
    if (!announcement) return cancel('the advisory is no longer published (withdrawn)');
    const unsubscribe = unsubscribeUrl(deps, subscriber.id);
    return mail(announcementMail(c, announcement, unsubscribe), {
      'list-id': listIdOf(deps),
      'list-unsubscribe': `<${unsubscribe}>`,
      'list-unsubscribe-post': 'List-Unsubscribe=One-Click',
      precedence: 'bulk',
    });
  }
  throw new UnsendableMailError(`a subscriber mail of kind ${row.kind} is not known`);
}
