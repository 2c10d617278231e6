import type { Context } from '../context.js';
import type { Role } from './team-sessions.js';
import { claimInvitation, insertAccount, prepareAccount, type FieldProblem } from './accounts.js';
import { appendAudit } from './audit.js';
import { rollbackWith, transactionWithOutcomes } from './rollback.js';
import { createSession } from './team-sessions.js';
import { hashToken } from './tokens.js';

type Deps = Pick<Context, 'db' | 'clock' | 'newId'>;

export interface OpenInvitation {
  email: string;
  role: Role;
  reportNumber: number | null;
  expiresAt: Date;
}

/** An invitation that can still be accepted: not used, not revoked, not older than its 7 days. */
export async function findInvitation(deps: Deps, token: string): Promise<OpenInvitation | null> {
  const row = await deps.db
    .selectFrom('invitations')
    .leftJoin('reports', 'reports.id', 'invitations.report_id')
    .select(['invitations.email', 'invitations.role', 'invitations.expires_at', 'reports.number'])
    .where('invitations.token_hash', '=', hashToken(token))
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.email', 'is not', null)
    .where('invitations.expires_at', '>', deps.clock())
    .executeTakeFirst();
  return row?.email ? { email: row.email, role: row.role, reportNumber: row.number ?? null, expiresAt: row.expires_at } : null;
}

export type AcceptInvitationResult =
  | { kind: 'invalid_link' }
  | { kind: 'invalid'; problems: FieldProblem[] }
  | { kind: 'created'; userId: string; role: Role; sessionToken: string; expiresAt: Date };

/** Makes the invitee's account (with the invitation's e-mail and role) and signs them in. */
export async function acceptInvitation(deps: Deps, input: { token: string; name: unknown; password: unknown }): Promise<AcceptInvitationResult> {
  const invitation = await findInvitation(deps, input.token);
  if (!invitation) return { kind: 'invalid_link' };
  const account = await prepareAccount({ name: input.name, email: invitation.email, password: input.password });
  if (!account.ok) return { kind: 'invalid', problems: account.problems };
  const now = deps.clock();
  return transactionWithOutcomes(deps.db, async (trx): Promise<AcceptInvitationResult> => {
    const claimed = await claimInvitation(trx, input.token, now);
    if (!claimed) return { kind: 'invalid_link' };
    const created = await insertAccount(trx, { id: deps.newId(), email: account.email, name: account.name, role: claimed.role, passwordHash: account.passwordHash }, now);
    if (!created) return rollbackWith<AcceptInvitationResult>({ kind: 'invalid', problems: [{ field: 'email', message: 'An account with this e-mail address exists already; sign in instead.' }] });
    if (claimed.role === 'coordinator' && claimed.report_id) {
      await trx.insertInto('coordinator_grants').values({ user_id: created.id, report_id: claimed.report_id, granted_by: claimed.invited_by, created_at: now }).onConflict((oc) => oc.doNothing()).execute();
    }
    await appendAudit(
      trx,
      { actorKind: 'user', actorId: created.id, action: 'member.join', reportId: claimed.report_id, detail: { email: account.email, name: account.name, role: claimed.role, reactivated: created.reactivated } },
      now,
    );
    const session = await createSession(trx, { userId: created.id, secondFactor: false, now });
    return { kind: 'created', userId: created.id, role: claimed.role, sessionToken: session.token, expiresAt: session.expiresAt };
  });
}
