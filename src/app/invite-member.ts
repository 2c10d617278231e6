import { z } from 'zod';
import type { Context } from '../context.js';
import { emailSchema, problemsOf, type FieldProblem } from './accounts.js';
import { appendAudit } from './audit.js';
import { queueInvitation } from './notifications/queue-invitation.js';
import { newToken } from './tokens.js';

export const INVITATION_DAYS = 7;

type Deps = Pick<Context, 'db' | 'clock' | 'config' | 'secretKey' | 'newId'>;

export type InviteMemberResult =
  | { kind: 'invalid'; problems: FieldProblem[] }
  /** The link to hand to the invitee, shown once: only its hash is stored. */
  | { kind: 'invited'; url: string; expiresAt: Date; /** An e-mail with the link is on its way (mail is configured). */ mailed: boolean }
  /** An existing coordinator was simply given the report: no new account needed. */
  | { kind: 'granted'; userId: string };

const inputSchema = z.object({
  email: emailSchema,
  role: z.enum(['admin', 'member', 'coordinator'], 'Choose a role.'),
});

/**
 * Invites someone by a one-time link with a role. A coordinator invitation names the report the
 * coordinator may see. `invitedBy` is the admin (null only for the desk itself, e.g. a CLI).
 */
export async function inviteMember(
  deps: Deps,
  input: { invitedBy: string | null; email: unknown; role: unknown; /** the report by id (from a report page) or by its number (from the members form) */ reportId?: string | null; reportNumber?: string | null },
): Promise<InviteMemberResult> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) return { kind: 'invalid', problems: problemsOf(parsed.error) };
  const { email, role } = parsed.data;
  const number = input.reportNumber?.trim().replace(/^#/, '') ?? '';
  if (role === 'coordinator' && !input.reportId && !number) return { kind: 'invalid', problems: [{ field: 'report', message: 'A coordinator is invited to one report: give its number.' }] };
  if (role === 'coordinator' && !input.reportId && !/^\d{1,9}$/.test(number)) return { kind: 'invalid', problems: [{ field: 'report', message: 'A report number is a whole number, like 12.' }] };
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx): Promise<InviteMemberResult> => {
    let reportId: string | null = null;
    if (role === 'coordinator') {
      const report = await trx
        .selectFrom('reports')
        .select('id')
        .where(input.reportId ? 'id' : 'number', '=', input.reportId ?? Number(number))
        .executeTakeFirst();
      if (!report) return { kind: 'invalid', problems: [{ field: 'report', message: 'There is no such report.' }] };
      reportId = report.id;
    }
    const existing = await trx
      .selectFrom('users')
      .select(['id', 'role'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (existing && role === 'coordinator' && existing.role === 'coordinator' && reportId) {
      await trx.insertInto('coordinator_grants').values({ user_id: existing.id, report_id: reportId, granted_by: input.invitedBy, created_at: now }).onConflict((oc) => oc.doNothing()).execute();
      await appendAudit(trx, { actorKind: input.invitedBy ? 'user' : 'system', actorId: input.invitedBy, action: 'member.grant_report', reportId, detail: { userId: existing.id, email } }, now);
      return { kind: 'granted', userId: existing.id };
    }
    if (existing) return { kind: 'invalid', problems: [{ field: 'email', message: 'This person already has an account; change their role in the list instead.' }] };
    const { token, hash } = newToken();
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 3600_000);
    await trx.insertInto('invitations').values({ token_hash: hash, email, role, report_id: reportId, invited_by: input.invitedBy, created_at: now, expires_at: expiresAt }).execute();
    await appendAudit(trx, { actorKind: input.invitedBy ? 'user' : 'system', actorId: input.invitedBy, action: 'member.invite', reportId, detail: { email, role } }, now);
    const url = new URL(`team/invite/${token}`, deps.config.baseUrl).toString();
    const mailed = await queueInvitation(trx, deps, { email, url, tokenHash: hash, role, reportId, invitedBy: input.invitedBy, expiresAt }, now);
    return { kind: 'invited', url, expiresAt, mailed };
  });
}
