import type { Context } from '../../context.js';
import { deadlineReminders } from '../../domain/notifications/deadline-reminders.js';
import type { ReportState } from '../../domain/reports/states.js';
import { pausesByReport } from '../reports/report-pauses.js';
import { enqueueMail, type MailIntent } from './outbox.js';
import { recipientsByReport } from './team-recipients.js';

type Deps = Pick<Context, 'db' | 'clock' | 'newId' | 'secretKey' | 'config' | 'policy'>;

const CLOSED: ReportState[] = ['rejected', 'disclosed'];

/**
 * "Due soon" and "overdue" mail for every open report's SLA clocks, at the policy's thresholds
 * (notifications.dueSoon). Each goes out once per report, stage, deadline and recipient: the key
 * names the deadline, so a deadline that moves (a pause, a reopened report) is reminded of again.
 */
export async function remindDeadlines(deps: Deps): Promise<{ queued: number }> {
  const now = deps.clock();
  const reports = await deps.db
    .selectFrom('reports')
    .select(['id', 'state', 'severity', 'received_at', 'acknowledged_at', 'triaged_at', 'fixed_at', 'disclosed_at'])
    .where('state', 'not in', CLOSED)
    .execute();
  const pauses = await pausesByReport(
    deps.db,
    reports.map((r) => r.id),
  );
  const due = reports.flatMap((r) =>
    deadlineReminders(
      deps.policy,
      { state: r.state as ReportState, receivedAt: r.received_at, acknowledgedAt: r.acknowledged_at, triagedAt: r.triaged_at, fixedAt: r.fixed_at, disclosedAt: r.disclosed_at, severity: r.severity },
      pauses.get(r.id) ?? [],
      now,
    ).map((d) => ({ reportId: r.id, ...d })),
  );
  const team = await recipientsByReport(
    deps.db,
    due.map((d) => d.reportId),
  );
  const intents: MailIntent[] = due.flatMap((d) =>
    (team.get(d.reportId) ?? []).map((u) => ({
      dedupeKey: `${d.kind}:${d.reportId}:${d.stage}:${d.deadline.getTime()}:${u.id}`,
      kind: d.kind,
      audience: 'team' as const,
      reportId: d.reportId,
      userId: u.id,
      recipient: u.email,
      language: 'en',
      payload: { stage: d.stage, deadline: d.deadline.toISOString() },
    })),
  );
  return { queued: await enqueueMail(deps.db, deps, intents, now) };
}
