import { sql } from 'kysely';
import type { Db } from '../../adapters/db/open-database.js';
import type { Context } from '../../context.js';
import type { ReleaseWindow } from '../../domain/calendar/index.js';
import { localDate } from '../../domain/releases/release-plan.js';
import { windowToRemindOf } from '../../domain/releases/reminders.js';
import { calendarOf } from '../../domain/reports/sla-plan.js';
import type { Policy } from '../../domain/policy/schema.js';
import { appendAudit } from '../audit.js';
import { listReleasePlan } from './list-release-plan.js';

export interface ReminderReport {
  id: string;
  number: number;
  title: string;
  severity: string | null;
}

export type ReminderOutcome =
  | { kind: 'not_due' }
  | { kind: 'nothing_planned'; window: ReleaseWindow }
  | { kind: 'already_sent'; window: ReleaseWindow }
  | { kind: 'sent'; window: ReleaseWindow; reports: ReminderReport[] };

type Deps = Pick<Context, 'db' | 'policy' | 'clock' | 'log'>;

/**
 * Reminds the team of the next security window (releases.remindBeforeWindow before it) with the
 * reports planned for it. The reminder is a row keyed by the window's start: whichever desk process
 * inserts it first sends it, every other finds it there, so it goes out once per window. Until mail
 * arrives (issue #6) the team reads it on the inbox. A window with nothing planned gets no reminder
 * (yet: a report fixed later in the lead time still brings one).
 */
export async function remindBeforeWindow(deps: Deps): Promise<ReminderOutcome> {
  const now = deps.clock();
  const window = windowToRemindOf(deps.policy, now);
  if (!window) return { kind: 'not_due' };
  const sent = await deps.db.selectFrom('release_reminders').select('window_start').where('window_start', '=', window.start).executeTakeFirst();
  if (sent) return { kind: 'already_sent', window };
  const plan = await listReleasePlan(deps);
  const group = plan.groups.find((g) => g.kind === 'window' && g.window?.start.getTime() === window.start.getTime());
  const reports = (group?.items ?? []).map(({ item }) => ({ id: item.id, number: item.number, title: item.title, severity: item.severity }));
  if (reports.length === 0) return { kind: 'nothing_planned', window };
  return deps.db.transaction().execute(async (trx) => {
    const won = await trx
      .insertInto('release_reminders')
      // As JSON text: the pg driver would send a bare array as a PostgreSQL array.
      .values({ window_start: window.start, window_date: window.date, sent_at: now, reports: sql<ReminderReport[]>`cast(${JSON.stringify(reports)} as jsonb)` })
      .onConflict((oc) => oc.column('window_start').doNothing())
      .returning('window_start')
      .executeTakeFirst();
    if (!won) return { kind: 'already_sent' as const, window };
    await appendAudit(trx, { actorKind: 'system', action: 'release.reminder', detail: { window: window.date, reports: reports.map((r) => r.number) } }, now);
    deps.log.info({ window: window.date, reports: reports.length }, 'reminded the team of the next security window');
    return { kind: 'sent' as const, window, reports };
  });
}

export interface ReleaseReminder {
  windowDate: string;
  windowStart: Date;
  sentAt: Date;
  reports: ReminderReport[];
}

/** Reminders of windows whose day has not passed, for the inbox, soonest first. */
export async function listReleaseReminders(db: Db, policy: Policy, now: Date): Promise<ReleaseReminder[]> {
  const rows = await db.selectFrom('release_reminders').selectAll().where('window_date', '>=', localDate(now, calendarOf(policy))).orderBy('window_start').execute();
  return rows.map((r) => ({ windowDate: r.window_date, windowStart: r.window_start, sentAt: r.sent_at, reports: r.reports }));
}
