import { z } from 'zod';
import type { Context } from '../context.js';
import { appendAudit } from './audit.js';

export type ChangeRoleResult = { kind: 'invalid' } | { kind: 'not_found' } | { kind: 'last_admin' } | { kind: 'unchanged' } | { kind: 'changed'; from: string; to: string };

const roleSchema = z.enum(['admin', 'member', 'coordinator']);

/**
 * Gives a member another role; takes effect on their next request (roles are read per request).
 * The desk always keeps one admin. A new admin without TOTP is held at the set-up page until they
 * enrol (see team-sessions.ts).
 */
export async function changeRole(deps: Pick<Context, 'db' | 'clock'>, input: { actorId: string; userId: string; role: unknown }): Promise<ChangeRoleResult> {
  const role = roleSchema.safeParse(input.role);
  if (!role.success) return { kind: 'invalid' };
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx): Promise<ChangeRoleResult> => {
    const admins = await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('removed_at', 'is', null).forUpdate().execute();
    const user = await trx.selectFrom('users').select(['id', 'email', 'role']).where('id', '=', input.userId).where('removed_at', 'is', null).forUpdate().executeTakeFirst();
    if (!user) return { kind: 'not_found' };
    if (user.role === role.data) return { kind: 'unchanged' };
    if (user.role === 'admin' && admins.length <= 1) return { kind: 'last_admin' };
    await trx.updateTable('users').set({ role: role.data }).where('id', '=', user.id).execute();
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'member.role_changed', detail: { userId: user.id, email: user.email, from: user.role, to: role.data } }, now);
    return { kind: 'changed', from: user.role, to: role.data };
  });
}
