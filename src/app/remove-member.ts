import type { Context } from '../context.js';
import { appendAudit } from './audit.js';

export type RemoveMemberResult = { kind: 'not_found' } | { kind: 'self' } | { kind: 'last_admin' } | { kind: 'removed'; endedSessions: number };

/**
 * Removes a member: they can no longer sign in, every session of theirs ends at once (the next
 * request of an open browser is anonymous), and a coordinator loses their reports. The row stays,
 * so that the timeline and audit log still name who did what.
 */
export async function removeMember(deps: Pick<Context, 'db' | 'clock'>, input: { actorId: string; userId: string }): Promise<RemoveMemberResult> {
  if (input.actorId === input.userId) return { kind: 'self' };
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx): Promise<RemoveMemberResult> => {
    // Locking the admins orders concurrent removals, so two admins cannot remove each other.
    const admins = await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('removed_at', 'is', null).forUpdate().execute();
    const user = await trx.selectFrom('users').select(['id', 'email', 'role']).where('id', '=', input.userId).where('removed_at', 'is', null).forUpdate().executeTakeFirst();
    if (!user) return { kind: 'not_found' };
    if (user.role === 'admin' && admins.length <= 1) return { kind: 'last_admin' };
    await trx.updateTable('users').set({ removed_at: now }).where('id', '=', user.id).execute();
    const ended = await trx.deleteFrom('sessions').where('user_id', '=', user.id).executeTakeFirst();
    await trx.deleteFrom('coordinator_grants').where('user_id', '=', user.id).execute();
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'member.remove', detail: { userId: user.id, email: user.email, role: user.role, endedSessions: Number(ended.numDeletedRows) } }, now);
    return { kind: 'removed', endedSessions: Number(ended.numDeletedRows) };
  });
}
