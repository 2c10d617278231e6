import type { Db } from '../../adapters/db/open-database.js';
import { enqueueMail, type OutboxDeps } from './outbox.js';

/**
 * Mails an invitation link, in the invitation's own transaction (the link exists nowhere else; it is
 * sealed in the outbox row until sent). Only when mail is configured: otherwise the admin hands the
 * link over, as the members page says. Returns whether a mail was queued.
 */
export async function queueInvitation(
  trx: Db,
  deps: OutboxDeps,
  invitation: { email: string; url: string; tokenHash: string; role: string; reportId: string | null; invitedBy: string | null; expiresAt: Date },
  now: Date,
): Promise<boolean> {
  if (!deps.config.mail.url) return false;
  const created = await enqueueMail(
    trx,
    deps,
    [
      {
        dedupeKey: `invitation:${invitation.tokenHash}`,
        kind: 'invitation',
        audience: 'invitee',
        reportId: invitation.reportId,
        userId: null,
        recipient: invitation.email,
        language: 'en',
        payload: { role: invitation.role, invitedBy: invitation.invitedBy, expiresAt: invitation.expiresAt.toISOString(), tokenHash: invitation.tokenHash },
        secret: invitation.url,
      },
    ],
    now,
  );
  return created > 0;
}
