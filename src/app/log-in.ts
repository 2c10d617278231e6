import { verifyAgainstDummy, verifyPassword } from '../adapters/crypto/passwords.js';
import type { Context } from '../context.js';
import { appendAudit } from './audit.js';
import { clearFailures, isThrottled, recordFailure } from './login-throttle.js';
import { createSession } from './team-sessions.js';

type Deps = Pick<Context, 'db' | 'clock'>;

export type LogInResult =
  | { kind: 'throttled' }
  /** Wrong password, unknown or removed account: one answer, so that nobody learns which. */
  | { kind: 'failed' }
  | { kind: 'signed_in'; userId: string; sessionToken: string; expiresAt: Date }
  /** The password was right and the account has TOTP: a short session waits for the code. */
  | { kind: 'code_needed'; userId: string; sessionToken: string; expiresAt: Date };

const MAX_INPUT = 1024;
/** No account's address holds one, and the database refuses a NUL: made visible instead (U+FFFD). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** The password step of signing in. */
export async function logIn(deps: Deps, input: { email: string; password: string; ip: string }): Promise<LogInResult> {
  const now = deps.clock();
  const email = input.email.trim().toLowerCase().slice(0, MAX_INPUT).replace(CONTROL, '\uFFFD');
  if (await isThrottled(deps.db, { email, ip: input.ip }, now)) return { kind: 'throttled' };
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'password_hash', 'totp_enabled_at'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  const password = input.password.slice(0, MAX_INPUT);
  const ok = user ? await verifyPassword(user.password_hash, password) : await verifyAgainstDummy(password);
  return deps.db.transaction().execute(async (trx): Promise<LogInResult> => {
    if (!user || !ok) {
      await recordFailure(trx, { email, ip: input.ip }, now);
      await appendAudit(trx, { actorKind: 'anonymous', action: 'session.login_failed', detail: { email, ip: input.ip, step: 'password' } }, now);
      return { kind: 'failed' };
    }
    if (user.totp_enabled_at) {
      const s = await createSession(trx, { userId: user.id, secondFactor: false, codePending: true, now });
      return { kind: 'code_needed', userId: user.id, sessionToken: s.token, expiresAt: s.expiresAt };
    }
    await clearFailures(trx, email);
    const s = await createSession(trx, { userId: user.id, secondFactor: false, now });
    await appendAudit(trx, { actorKind: 'user', actorId: user.id, action: 'session.login', detail: { ip: input.ip, secondFactor: false } }, now);
    return { kind: 'signed_in', userId: user.id, sessionToken: s.token, expiresAt: s.expiresAt };
  });
}
