import { hashPassword, verifyPassword } from '../adapters/crypto/passwords.js';
import type { Context } from '../context.js';
import { checkPassword, PASSWORD_MESSAGES } from '../domain/accounts/password-rules.js';
import type { FieldProblem } from './accounts.js';
import { appendAudit } from './audit.js';

export type ChangePasswordResult = { kind: 'invalid'; problems: FieldProblem[] } | { kind: 'changed'; endedSessions: number };

/** A new password ends every other session of the member: whoever knew the old one is signed out. */
export async function changePassword(deps: Pick<Context, 'db' | 'clock'>, input: { userId: string; sessionId: string; current: string; next: string }): Promise<ChangePasswordResult> {
  const now = deps.clock();
  const user = await deps.db.selectFrom('users').select(['email', 'name', 'password_hash']).where('id', '=', input.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.current.slice(0, 1024)))) return { kind: 'invalid', problems: [{ field: 'current', message: 'This is not your current password.' }] };
  const problem = checkPassword(input.next, user);
  if (problem) return { kind: 'invalid', problems: [{ field: 'next', message: PASSWORD_MESSAGES[problem] }] };
  const passwordHash = await hashPassword(input.next);
  return deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', input.userId).execute();
    const ended = await trx.deleteFrom('sessions').where('user_id', '=', input.userId).where('id_hash', '!=', input.sessionId).executeTakeFirst();
    await appendAudit(trx, { actorKind: 'user', actorId: input.userId, action: 'account.password_changed', detail: { endedSessions: Number(ended.numDeletedRows) } }, now);
    return { kind: 'changed', endedSessions: Number(ended.numDeletedRows) } as const;
  });
}
