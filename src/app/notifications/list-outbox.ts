import type { ExpressionBuilder } from 'kysely';
import type { Tables } from '../../adapters/db/tables.js';
import type { Context } from '../../context.js';
import type { Role } from '../team-sessions.js';
import type { OutboxAudience, OutboxKind, OutboxStatus } from './outbox.js';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed', 'cancelled'] as const;

export interface OutboxViewRow {
  id: string;
  kind: OutboxKind;
  audience: OutboxAudience;
  reportNumber: number | null;
  recipient: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface OutboxView {
  rows: OutboxViewRow[];
  counts: Record<OutboxStatus, number>;
  /** "smtp://host:port" (never credentials), or null when mail is not configured. */
  server: string | null;
}

export interface Viewer {
  id: string;
  role: Role;
}

/**
 * What of the outbox a team account may see: admins everything; members mail about reports and
 * their own; coordinators their own and the mail to the reporter of a report they were invited to
 * (not the team's addresses). Invitations are the admins' only.
 */
export function visibleTo(viewer: Viewer) {
  return (eb: ExpressionBuilder<Tables, 'mail_outbox'>) => {
    if (viewer.role === 'admin') return eb.val(true);
    const own = eb('mail_outbox.user_id', '=', viewer.id);
    if (viewer.role === 'member') return eb.or([own, eb.and([eb('mail_outbox.report_id', 'is not', null), eb('mail_outbox.audience', '!=', 'invitee')])]);
    return eb.or([
      own,
      eb.and([
        eb('mail_outbox.audience', '=', 'reporter'),
        eb.exists(eb.selectFrom('coordinator_grants').select('coordinator_grants.report_id').whereRef('coordinator_grants.report_id', '=', 'mail_outbox.report_id').where('coordinator_grants.user_id', '=', viewer.id)),
      ]),
    ]);
  };
}

/** The team's view of outgoing mail, newest first, optionally of one status. */
export async function listOutbox(deps: Pick<Context, 'db' | 'mailer'>, viewer: Viewer, filter: { status?: OutboxStatus; limit?: number } = {}): Promise<OutboxView> {
  let q = deps.db
    .selectFrom('mail_outbox')
    .leftJoin('reports', 'reports.id', 'mail_outbox.report_id')
    .select([
      'mail_outbox.id',
      'mail_outbox.kind',
      'mail_outbox.audience',
      'reports.number',
      'mail_outbox.recipient',
      'mail_outbox.status',
      'mail_outbox.attempts',
      'mail_outbox.next_attempt_at',
      'mail_outbox.last_error',
      'mail_outbox.created_at',
      'mail_outbox.sent_at',
    ])
    .where(visibleTo(viewer));
  if (filter.status) q = q.where('mail_outbox.status', '=', filter.status);
  const [rows, counted] = await Promise.all([
    q.orderBy('mail_outbox.created_at', 'desc').orderBy('mail_outbox.id').limit(filter.limit ?? 200).execute(),
    deps.db
      .selectFrom('mail_outbox')
      .select(['mail_outbox.status', (eb) => eb.fn.countAll<string>().as('n')])
      .where(visibleTo(viewer))
      .groupBy('mail_outbox.status')
      .execute(),
  ]);
  const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0, cancelled: 0 };
  for (const c of counted) counts[c.status] = Number(c.n);
  return {
    rows: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      audience: r.audience,
      reportNumber: r.number,
      recipient: r.recipient,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      lastError: r.last_error,
      createdAt: r.created_at,
      sentAt: r.sent_at,
    })),
    counts,
    server: deps.mailer?.server ?? null,
  };
}
