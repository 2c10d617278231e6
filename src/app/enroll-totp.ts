import { checkTotp, newTotpSecret, totpUri } from '../adapters/crypto/totp.js';
import type { Context } from '../context.js';
import { appendAudit } from './audit.js';
import { createSession, deleteSession } from './team-sessions.js';
import { openTotpSecret, sealTotpSecret } from './totp-secret.js';

type Deps = Pick<Context, 'db' | 'clock' | 'secretKey' | 'policy' | 'config'>;

/**
 * TOTP set-up in two steps: start stores a new secret (sealed) that is not yet in force; confirm
 * checks one code from the authenticator app and only then turns the second factor on.
 */
export async function startTotpEnrolment(deps: Deps, input: { userId: string }): Promise<{ kind: 'started' } | { kind: 'already_enabled' }> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select(['totp_enabled_at']).where('id', '=', input.userId).forUpdate().executeTakeFirstOrThrow();
    if (user.totp_enabled_at) return { kind: 'already_enabled' } as const;
    await trx.updateTable('users').set({ totp_secret: sealTotpSecret(deps.secretKey, input.userId, newTotpSecret()) }).where('id', '=', input.userId).execute();
    await appendAudit(trx, { actorKind: 'user', actorId: input.userId, action: 'account.totp_enrolment_started' }, now);
    return { kind: 'started' } as const;
  });
}

/** The secret being set up, for the account page to show (base32 and otpauth:// URI); null when none. */
export async function pendingTotp(deps: Deps, input: { userId: string }): Promise<{ secret: string; uri: string } | null> {
  const user = await deps.db.selectFrom('users').select(['email', 'totp_secret', 'totp_enabled_at']).where('id', '=', input.userId).executeTakeFirst();
  if (!user?.totp_secret || user.totp_enabled_at) return null;
  const secret = openTotpSecret(deps.secretKey, input.userId, user.totp_secret);
  return { secret, uri: totpUri(secret, `${deps.policy.project.name} (${deps.config.baseUrl.host})`, user.email) };
}

export type ConfirmTotpResult = { kind: 'not_started' } | { kind: 'wrong_code' } | { kind: 'confirmed'; sessionToken: string; expiresAt: Date };

/**
 * Turns TOTP on after one right code. The current session is replaced by one that has passed the
 * second factor; the member's other sessions now have to give a code too.
 */
export async function confirmTotpEnrolment(deps: Deps, input: { userId: string; sessionId: string; code: string }): Promise<ConfirmTotpResult> {
  const now = deps.clock();
  const user = await deps.db.selectFrom('users').select(['totp_secret', 'totp_enabled_at', 'totp_last_step']).where('id', '=', input.userId).executeTakeFirstOrThrow();
  if (!user.totp_secret || user.totp_enabled_at) return { kind: 'not_started' };
  const check = await checkTotp(openTotpSecret(deps.secretKey, input.userId, user.totp_secret), input.code.slice(0, 32), now, user.totp_last_step);
  if (!check.valid) return { kind: 'wrong_code' };
  return deps.db.transaction().execute(async (trx): Promise<ConfirmTotpResult> => {
    const done = await trx
      .updateTable('users')
      .set({ totp_enabled_at: now, totp_last_step: check.step })
      .where('id', '=', input.userId)
      .where('totp_enabled_at', 'is', null)
      .where('totp_secret', '=', user.totp_secret)
      .returning('id')
      .executeTakeFirst();
    if (!done) return { kind: 'not_started' };
    await deleteSession(trx, input.sessionId);
    const s = await createSession(trx, { userId: input.userId, secondFactor: true, now });
    await appendAudit(trx, { actorKind: 'user', actorId: input.userId, action: 'account.totp_enabled' }, now);
    return { kind: 'confirmed', sessionToken: s.token, expiresAt: s.expiresAt };
  });
}
