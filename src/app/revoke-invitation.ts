import type { Context } from '../context.js';
import { appendAudit } from './audit.js';

/** Withdraws a pending invitation; its link stops working at once. `id` is the stored hash, never the link's secret. */
export async function revokeInvitation(deps: Pick<Context, 'db' | 'clock'>, input: { actorId: string; id: string }): Promise<{ kind: 'revoked' } | { kind: 'not_found' }> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const gone = await trx
      .deleteFrom('invitations')
      .where('token_hash', '=', input.id)
      .where('accepted_at', 'is', null)
      .where('email', 'is not', null) // the first-admin link is not an invitation to revoke here
      .returning(['email', 'role', 'report_id'])
      .executeTakeFirst();
    if (!gone) return { kind: 'not_found' } as const;
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'member.invitation_revoked', reportId: gone.report_id, detail: { email: gone.email, role: gone.role } }, now);
    return { kind: 'revoked' } as const;
  });
}
