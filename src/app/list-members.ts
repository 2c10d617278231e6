import { sql, type ExpressionBuilder } from 'kysely';
import type { Tables } from '../adapters/db/tables.js';
import type { Context } from '../context.js';
import type { Role } from './team-sessions.js';

/** The window of "reports handled recently" in the membership review. */
export const HANDLED_WINDOW_DAYS = 90;

export interface MemberRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  createdAt: Date;
  lastActiveAt: Date | null;
  totpEnabled: boolean;
  /** Distinct reports this member acted on (report events) in the last 90 days. */
  reportsHandled: number;
  /** Report events (transitions, messages, changes) by this member in the last 90 days. */
  actions: number;
  /** No activity for longer than the policy's team.membership.inactivityDays (never when unset). */
  inactive: boolean;
  /** For coordinators: the numbers of the reports they may see. */
  reports: number[];
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  reportNumber: number | null;
  invitedBy: string | null;
  expiresAt: Date;
}

const DAY = 24 * 3600_000;

/** The membership review of the admins' members page. */
export async function listMembers(deps: Pick<Context, 'db' | 'clock' | 'policy'>): Promise<{ members: MemberRow[]; invitations: PendingInvitation[]; inactivityDays: number | null }> {
  const now = deps.clock();
  const since = new Date(now.getTime() - HANDLED_WINDOW_DAYS * DAY);
  const recent = (eb: ExpressionBuilder<Tables, 'users'>) =>
    eb.selectFrom('report_events').where('report_events.actor_kind', '=', 'user').whereRef('report_events.actor_id', '=', 'users.id').where('report_events.at', '>=', since);
  const rows = await deps.db
    .selectFrom('users')
    .select((eb) => [
      'users.id',
      'users.name',
      'users.email',
      'users.role',
      'users.created_at',
      'users.last_active_at',
      'users.totp_enabled_at',
      recent(eb).select(sql<number>`count(distinct report_events.report_id)::int`.as('n')).as('handled'),
      recent(eb).select(sql<number>`count(*)::int`.as('n')).as('actions'),
    ])
    .where('users.removed_at', 'is', null)
    .orderBy('users.name')
    .execute();
  const grants = await deps.db.selectFrom('coordinator_grants').innerJoin('reports', 'reports.id', 'coordinator_grants.report_id').select(['coordinator_grants.user_id', 'reports.number']).orderBy('reports.number').execute();
  const inactivityDays = deps.policy.team.membership.inactivityDays ?? null;
  const members = rows.map(
    (r): MemberRow => ({
      id: r.id,
      name: r.name,
      email: r.email,
      role: r.role,
      createdAt: r.created_at,
      lastActiveAt: r.last_active_at,
      totpEnabled: !!r.totp_enabled_at,
      reportsHandled: r.handled ?? 0,
      actions: r.actions ?? 0,
      inactive: inactivityDays !== null && now.getTime() - (r.last_active_at ?? r.created_at).getTime() > inactivityDays * DAY,
      reports: grants.filter((g) => g.user_id === r.id).map((g) => g.number),
    }),
  );
  const invitations = await deps.db
    .selectFrom('invitations')
    .leftJoin('reports', 'reports.id', 'invitations.report_id')
    .leftJoin('users', 'users.id', 'invitations.invited_by')
    .select(['invitations.token_hash', 'invitations.email', 'invitations.role', 'invitations.expires_at', 'reports.number', 'users.name'])
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.email', 'is not', null)
    .where('invitations.expires_at', '>', now)
    .orderBy('invitations.created_at', 'desc')
    .execute();
  return {
    members,
    invitations: invitations.map((i) => ({ id: i.token_hash, email: i.email ?? '', role: i.role, reportNumber: i.number ?? null, invitedBy: i.name ?? null, expiresAt: i.expires_at })),
    inactivityDays,
  };
}
