import type { Selectable } from 'kysely';
import type { MailOutboxTable } from '../../adapters/db/tables.js';
import type { Context } from '../../context.js';
import { deadlineReminders } from '../../domain/notifications/deadline-reminders.js';
import { nextDue, reportClocks } from '../../domain/reports/sla-status.js';
import type { ReportState } from '../../domain/reports/states.js';
import { digestMail, type DigestItem, type MailText } from '../../formats/mail/build-mail.js';
import { pausesByReport } from '../reports/report-pauses.js';

type Deps = Pick<Context, 'db' | 'policy' | 'clock' | 'config'>;

const DAY_MS = 86_400_000;
const CLOSED: ReportState[] = ['rejected', 'disclosed'];

/**
 * One account's digest: the open reports it may see with the clock due next (overdue first), how
 * many came in during the day before the digest's slot, and for admins the mail that failed.
 * Nothing to say: the digest is cancelled, not sent.
 */
export async function digestFor(deps: Deps, row: Selectable<MailOutboxTable>): Promise<{ kind: 'cancel'; reason: string } | { kind: 'mail'; mail: MailText }> {
  const user = row.user_id ? await deps.db.selectFrom('users').select(['id', 'name', 'role']).where('id', '=', row.user_id).where('removed_at', 'is', null).executeTakeFirst() : undefined;
  if (!user) return { kind: 'cancel', reason: 'the account is removed' };
  const now = deps.clock();
  const slot = new Date(String(row.payload.slot ?? now.toISOString()));
  let q = deps.db
    .selectFrom('reports')
    .select(['id', 'number', 'title', 'state', 'severity', 'received_at', 'acknowledged_at', 'triaged_at', 'fixed_at', 'disclosed_at'])
    .where('state', 'not in', CLOSED);
  if (user.role === 'coordinator') q = q.where((eb) => eb.exists(eb.selectFrom('coordinator_grants').select('report_id').whereRef('coordinator_grants.report_id', '=', 'reports.id').where('coordinator_grants.user_id', '=', user.id)));
  const reports = await q.orderBy('number').execute();
  const pauses = await pausesByReport(
    deps.db,
    reports.map((r) => r.id),
  );
  const items: DigestItem[] = reports.map((r) => {
    const input = { state: r.state as ReportState, receivedAt: r.received_at, acknowledgedAt: r.acknowledged_at, triagedAt: r.triaged_at, fixedAt: r.fixed_at, disclosedAt: r.disclosed_at, severity: r.severity };
    const next = nextDue(reportClocks(deps.policy, input, pauses.get(r.id) ?? [], now));
    // "due soon" as the reminders say it (notifications.dueSoon), so the digest and the reminders agree
    const reminder = next ? deadlineReminders(deps.policy, input, pauses.get(r.id) ?? [], now).find((d) => d.stage === next.stage) : undefined;
    const status = next?.status === 'paused' ? 'paused' : next?.status === 'overdue' ? 'overdue' : reminder?.kind === 'due-soon' ? 'due_soon' : 'running';
    return { report: { number: r.number, title: r.title }, state: r.state, next: next ? { stage: next.stage, deadline: next.deadline, status } : null };
  });
  const newSinceLast = reports.filter((r) => r.received_at.getTime() > slot.getTime() - DAY_MS && r.received_at.getTime() <= slot.getTime()).length;
  const failed =
    user.role === 'admin'
      ? Number((await deps.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'failed').executeTakeFirstOrThrow()).n)
      : 0;
  if (items.length === 0 && failed === 0) return { kind: 'cancel', reason: 'nothing to report: no open report and no failed mail' };
  const url = (path: string) => new URL(path, deps.config.baseUrl).toString();
  const mail = digestMail(
    { team: deps.policy.team.name, project: deps.policy.project.name, timeZone: deps.policy.calendar.timeZone },
    { name: user.name, date: String(row.payload.date), items, newSinceLast, inboxLink: url('team'), failedMail: failed > 0 ? { count: failed, link: url('team/mail?status=failed') } : null },
  );
  return { kind: 'mail', mail };
}
