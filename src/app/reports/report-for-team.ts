import type { Context } from '../../context.js';
import type { Attachment, Message, Report, ReportEvent } from '../../adapters/db/tables.js';
import { reportClocks, type StageClock } from '../../domain/reports/sla-status.js';
import type { ReportState } from '../../domain/reports/states.js';
import { auditRead } from '../audit.js';
import { AppError } from '../errors.js';
import { pausesByReport } from './report-pauses.js';

export interface TeamReportView {
  report: Omit<Report, 'token_hash'>;
  clocks: StageClock[];
  messages: Array<Message & { authorName: string | null }>;
  events: Array<ReportEvent & { actorName: string | null }>;
  attachments: Array<Omit<Attachment, 'data'>>;
  assignee: { id: string; name: string } | null;
  duplicateOf: { id: string; number: number; title: string } | null;
}

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

/** Everything the team sees of one report (internal notes included); the read is audited. */
export async function reportForTeam(deps: Deps, reportId: string, readerId: string): Promise<TeamReportView> {
  const db = deps.db;
  const now = deps.clock();
  const row = await db.selectFrom('reports').selectAll().where('id', '=', reportId).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'There is no such report.');
  const { token_hash: _secret, ...report } = row;
  const [messages, events, attachments, pauses, assignee, duplicateOf] = await Promise.all([
    db
      .selectFrom('messages')
      .leftJoin('users', 'users.id', 'messages.author_id')
      .selectAll('messages')
      .select('users.name as authorName')
      .where('report_id', '=', reportId)
      .orderBy('at')
      .orderBy('messages.id')
      .execute(),
    db
      .selectFrom('report_events')
      .leftJoin('users', 'users.id', 'report_events.actor_id')
      .selectAll('report_events')
      .select('users.name as actorName')
      .where('report_id', '=', reportId)
      .orderBy('report_events.id')
      .execute(),
    db.selectFrom('attachments').select(['id', 'report_id', 'message_id', 'filename', 'content_type', 'size', 'sha256', 'created_at']).where('report_id', '=', reportId).orderBy('created_at').execute(),
    pausesByReport(db, [reportId]),
    row.assignee_id ? db.selectFrom('users').select(['id', 'name']).where('id', '=', row.assignee_id).executeTakeFirst() : undefined,
    row.duplicate_of ? db.selectFrom('reports').select(['id', 'number', 'title']).where('id', '=', row.duplicate_of).executeTakeFirst() : undefined,
  ]);
  await auditRead(db, { actorKind: 'user', actorId: readerId, action: 'report.read', reportId }, now);
  return {
    report,
    clocks: reportClocks(deps.policy, clockInput(row), pauses.get(reportId) ?? [], now),
    messages,
    events,
    attachments,
    assignee: assignee ?? null,
    duplicateOf: duplicateOf ?? null,
  };
}

export const clockInput = (r: Pick<Report, 'state' | 'received_at' | 'acknowledged_at' | 'triaged_at' | 'fixed_at' | 'disclosed_at' | 'severity'>) => ({
  state: r.state as ReportState,
  receivedAt: r.received_at,
  acknowledgedAt: r.acknowledged_at,
  triagedAt: r.triaged_at,
  fixedAt: r.fixed_at,
  disclosedAt: r.disclosed_at,
  severity: r.severity,
});
