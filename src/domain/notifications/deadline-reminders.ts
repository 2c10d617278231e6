import { addDuration, type Pause } from '../calendar/index.js';
import type { Policy } from '../policy/schema.js';
import { dueSoonOf } from '../policy/schema-notifications.js';
import type { Stage } from '../policy/schema-sla.js';
import { calendarOf } from '../reports/sla-plan.js';
import { reportClocks, type ReportClockInput, type StageClock } from '../reports/sla-status.js';

/**
 * Which of a report's SLA clocks the team should be reminded of now: "due soon" once the deadline
 * is within the policy's threshold (notifications.dueSoon, per stage), "overdue" once it has
 * passed. A clock that is met, paused or not needed is never reminded of. Pure: the caller passes
 * the report's stamps, pauses and "now", and sends each reminder once (per stage and deadline).
 */
export interface DeadlineReminder {
  stage: Stage;
  kind: 'due-soon' | 'overdue';
  deadline: Date;
}

/**
 * When the stage's clock started: receipt, or when its anchor stage was reached. Null while the
 * anchor is not reached: the stage's deadline is only planned then (the team is reminded of the
 * earlier stage instead).
 */
function stageStart(p: Policy, stage: Stage, r: ReportClockInput, clocks: readonly StageClock[]): Date | null {
  const from = p.sla[stage]?.from ?? 'received';
  if (from === 'received') return r.receivedAt;
  const anchor: Stage = from === 'acknowledged' ? 'acknowledge' : from === 'triaged' ? 'triage' : 'fix';
  return clocks.find((x) => x.stage === anchor)?.reachedAt ?? null;
}

/** Whether `now` is within the threshold before `deadline` for a stage that started at `start`. */
export function isDueSoon(p: Policy, stage: Stage, start: Date, deadline: Date, now: Date): boolean {
  if (now.getTime() > deadline.getTime()) return false;
  const t = dueSoonOf(p.notifications, stage);
  if ('before' in t) return addDuration(now, t.before, calendarOf(p)).getTime() >= deadline.getTime();
  if (start.getTime() >= deadline.getTime()) return true;
  const soonAt = deadline.getTime() - t.share * (deadline.getTime() - start.getTime());
  return now.getTime() >= soonAt;
}

export function deadlineReminders(p: Policy, r: ReportClockInput, pauses: readonly Pause[], now: Date): DeadlineReminder[] {
  if (r.state === 'rejected' || r.state === 'disclosed') return [];
  const clocks = reportClocks(p, r, pauses, now);
  const out: DeadlineReminder[] = [];
  for (const c of clocks) {
    const start = stageStart(p, c.stage, r, clocks);
    if (!c.deadline || !start) continue;
    if (c.status === 'overdue') out.push({ stage: c.stage, kind: 'overdue', deadline: c.deadline });
    else if ((c.status === 'running' || c.status === 'due_soon') && isDueSoon(p, c.stage, start, c.deadline, now)) out.push({ stage: c.stage, kind: 'due-soon', deadline: c.deadline });
  }
  return out;
}
