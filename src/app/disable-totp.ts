import { verifyPassword } from '../adapters/crypto/passwords.js';
import type { Context } from '../context.js';
import { appendAudit } from './audit.js';

export type DisableTotpResult = { kind: 'admin_requires_totp' } | { kind: 'wrong_password' } | { kind: 'not_enabled' } | { kind: 'disabled' };

/** Members and coordinators may turn TOTP off again (with their password); admins may not. */
export async function disableTotp(deps: Pick<Context, 'db' | 'clock'>, input: { userId: string; password: string }): Promise<DisableTotpResult> {
  const now = deps.clock();
  const user = await deps.db.selectFrom('users').select(['role', 'password_hash', 'totp_secret']).where('id', '=', input.userId).executeTakeFirstOrThrow();
  if (user.role === 'admin') return { kind: 'admin_requires_totp' };
  if (!user.totp_secret) return { kind: 'not_enabled' };
  if (!(await verifyPassword(user.password_hash, input.password.slice(0, 1024)))) return { kind: 'wrong_password' };
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', input.userId).execute();
    await appendAudit(trx, { actorKind: 'user', actorId: input.userId, action: 'account.totp_disabled' }, now);
  });
  return { kind: 'disabled' };
}
