import { addDuration, pausedDeadline, windowFor, type BusinessCalendar, type Pause } from '../calendar/index.js';
import type { Policy } from '../policy/schema.js';
import { NEXT_WINDOW, STAGES, type Anchor, type Severity, type SlaStage, type Stage } from '../policy/schema-sla.js';

/** When each stage was actually reached; a stage not reached yet is planned at its own deadline. */
export interface StageTimes {
  received: Date;
  acknowledged?: Date;
  triaged?: Date;
  fixed?: Date;
}

export const calendarOf = (p: Policy): BusinessCalendar => ({
  timeZone: p.calendar.timeZone,
  holidayRegion: p.calendar.holidayRegion,
  workdays: p.calendar.workdays,
  extraHolidays: p.calendar.extraHolidays,
});

const ANCHOR_STAGE: Record<Exclude<Anchor, 'received'>, Stage> = { acknowledged: 'acknowledge', triaged: 'triage', fixed: 'fix' };

/** The time a stage's target applies to a report of this severity (severity overrides win). */
export const stageTarget = (s: SlaStage, severity?: Severity) => (severity && s.bySeverity[severity]) || s.target;

/**
 * The deadline of every stage the policy has. A stage counts from its anchor: the time the anchor
 * stage was reached, or, while it has not been, that stage's own deadline (the latest it may be).
 * A "next-security-window" stage ends at the first release window at or after its anchor.
 * With triagePauses, the triage deadline moves by the time spent waiting on the reporter.
 */
export function stageDeadlines(p: Policy, times: StageTimes, severity?: Severity, triagePauses?: { pauses: readonly Pause[]; now: Date }): Partial<Record<Stage, Date>> {
  const cal = calendarOf(p);
  const out: Partial<Record<Stage, Date>> = {};
  const anchorTime = (a: Anchor): Date | undefined => (a === 'received' ? times.received : (times[a] ?? out[ANCHOR_STAGE[a]]));
  for (const stage of STAGES) {
    const s = p.sla[stage];
    if (!s) continue;
    const from = anchorTime(s.from);
    if (!from) continue;
    const target = stageTarget(s, severity);
    if (target === NEXT_WINDOW) {
      const w = windowFor(from, p.releases.securityWindows, cal);
      if (w) out[stage] = w.start;
    } else if (stage === 'triage' && triagePauses && p.sla.pauseTriageWhileWaitingOnReporter) {
      // Waiting on the reporter stops the triage clock: the deadline moves by the paused (business) time.
      out[stage] = pausedDeadline(from, target, cal, triagePauses.pauses, triagePauses.now);
    } else out[stage] = addDuration(from, target, cal);
  }
  return out;
}
