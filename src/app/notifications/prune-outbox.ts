import type { Context } from '../../context.js';

/** How long sent and cancelled mail stays on /team/mail; failed mail stays until someone sends it again. */
export const KEEP_SENT_MAIL_DAYS = 90;

/** Keeps the outbox from growing without bound. Sent rows no longer hold a secret; this removes the rest of them. */
export async function pruneOutbox(deps: Pick<Context, 'db' | 'clock'>): Promise<{ removed: number }> {
  const before = new Date(deps.clock().getTime() - KEEP_SENT_MAIL_DAYS * 86_400_000);
  const r = await deps.db.deleteFrom('mail_outbox').where('status', 'in', ['sent', 'cancelled']).where('created_at', '<', before).executeTakeFirst();
  return { removed: Number(r.numDeletedRows) };
}
