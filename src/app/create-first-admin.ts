import type { Context } from '../context.js';
import { claimInvitation, insertAccount, prepareAccount, type FieldProblem } from './accounts.js';
import { appendAudit } from './audit.js';
import { rollbackWith, transactionWithOutcomes } from './rollback.js';
import { createSession } from './team-sessions.js';
import { hashToken } from './tokens.js';

type Deps = Pick<Context, 'db' | 'clock' | 'newId'>;

export type CreateFirstAdminResult =
  | { kind: 'invalid_link' }
  | { kind: 'invalid'; problems: FieldProblem[] }
  | { kind: 'created'; userId: string; sessionToken: string; expiresAt: Date };

/** The first-admin link (from firstAdminLink) is the invitation row with role admin, no inviter and no e-mail. */
async function findSetupLink(db: Deps['db'], token: string, now: Date) {
  return db
    .selectFrom('invitations')
    .select('token_hash')
    .where('token_hash', '=', hashToken(token))
    .where('role', '=', 'admin')
    .where('invited_by', 'is', null)
    .where('email', 'is', null)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Whether a setup link still works: unused, not expired, and the desk still has no account. */
export async function setupLinkIsValid(deps: Deps, token: string): Promise<boolean> {
  if (!(await findSetupLink(deps.db, token, deps.clock()))) return false;
  return !(await deps.db.selectFrom('users').select('id').limit(1).executeTakeFirst());
}

/**
 * Creates the desk's first account (an admin) from the one-time setup link, and signs it in. The
 * new admin's session can reach only the account page until TOTP is set up.
 */
export async function createFirstAdmin(deps: Deps, input: { token: string; name: unknown; email: unknown; password: unknown }): Promise<CreateFirstAdminResult> {
  if (!(await setupLinkIsValid(deps, input.token))) return { kind: 'invalid_link' };
  const account = await prepareAccount(input);
  if (!account.ok) return { kind: 'invalid', problems: account.problems };
  const now = deps.clock();
  return transactionWithOutcomes(deps.db, async (trx): Promise<CreateFirstAdminResult> => {
    // Claiming the link first makes two simultaneous set-ups race on one row: only one wins.
    const claimed = await claimInvitation(trx, input.token, now);
    const anyUser = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (!claimed || anyUser) return rollbackWith<CreateFirstAdminResult>({ kind: 'invalid_link' });
    const created = await insertAccount(trx, { id: deps.newId(), email: account.email, name: account.name, role: 'admin', passwordHash: account.passwordHash }, now);
    if (!created) return rollbackWith<CreateFirstAdminResult>({ kind: 'invalid_link' });
    await appendAudit(trx, { actorKind: 'user', actorId: created.id, action: 'member.create_first_admin', detail: { email: account.email, name: account.name } }, now);
    const session = await createSession(trx, { userId: created.id, secondFactor: false, now });
    return { kind: 'created', userId: created.id, sessionToken: session.token, expiresAt: session.expiresAt };
  });
}
