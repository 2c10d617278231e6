import { checkTotp } from '../adapters/crypto/totp.js';
import type { Context } from '../context.js';
import { appendAudit } from './audit.js';
import { clearFailures, isThrottled, recordFailure } from './login-throttle.js';
import { createSession, deleteSession, resolveSession } from './team-sessions.js';
import { openTotpSecret } from './totp-secret.js';

type Deps = Pick<Context, 'db' | 'clock' | 'secretKey'>;

export type VerifyLoginCodeResult =
  | { kind: 'no_pending_sign_in' }
  | { kind: 'throttled' }
  | { kind: 'failed' }
  | { kind: 'signed_in'; userId: string; sessionToken: string; expiresAt: Date };

/**
 * The TOTP step of signing in. Wrong codes count against the same limits as wrong passwords; a
 * right code replaces the waiting session with a new one (a new token: nothing learnt about the
 * half-finished session is of any use afterwards).
 */
export async function verifyLoginCode(deps: Deps, input: { sessionToken: string; code: string; ip: string }): Promise<VerifyLoginCodeResult> {
  const now = deps.clock();
  const pending = await resolveSession(deps.db, input.sessionToken, now);
  if (!pending || pending.stage !== 'code_needed') return { kind: 'no_pending_sign_in' };
  const who = { email: pending.user.email, ip: input.ip };
  if (await isThrottled(deps.db, who, now)) return { kind: 'throttled' };
  const user = await deps.db.selectFrom('users').select(['totp_secret', 'totp_last_step']).where('id', '=', pending.user.id).executeTakeFirstOrThrow();
  const check = user.totp_secret ? await checkTotp(openTotpSecret(deps.secretKey, pending.user.id, user.totp_secret), input.code.slice(0, 32), now, user.totp_last_step) : { valid: false as const };
  return deps.db.transaction().execute(async (trx): Promise<VerifyLoginCodeResult> => {
    // The step is claimed with a conditional write, so two requests with one code cannot both win.
    const claimed =
      check.valid &&
      (await trx
        .updateTable('users')
        .set({ totp_last_step: check.step })
        .where('id', '=', pending.user.id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', check.step)]))
        .returning('id')
        .executeTakeFirst());
    if (!claimed) {
      await recordFailure(trx, who, now);
      await appendAudit(trx, { actorKind: 'anonymous', action: 'session.login_failed', detail: { email: pending.user.email, ip: input.ip, step: 'code' } }, now);
      return { kind: 'failed' };
    }
    await deleteSession(trx, pending.sessionId);
    await clearFailures(trx, pending.user.email);
    const s = await createSession(trx, { userId: pending.user.id, secondFactor: true, now });
    await appendAudit(trx, { actorKind: 'user', actorId: pending.user.id, action: 'session.login', detail: { ip: input.ip, secondFactor: true } }, now);
    return { kind: 'signed_in', userId: pending.user.id, sessionToken: s.token, expiresAt: s.expiresAt };
  });
}
