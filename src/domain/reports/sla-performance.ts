import { STAGES, type Stage } from '../policy/schema-sla.js';
import type { StageClock } from './sla-status.js';

/**
 * How well the project kept its promises: per stage, the share of clocks met among those decided
 * (met or missed, plus those overdue now — a promise already broken), and the median time from
 * receipt to reaching the stage.
 */
export interface StagePerformance {
  stage: Stage;
  met: number;
  missed: number;
  /** Still open but already past the deadline: counted as missed. */
  overdue: number;
  /** met / (met + missed + overdue); null when nothing was decided yet. */
  shareMet: number | null;
  /** Median milliseconds from receipt to reaching the stage, over the reports that reached it. */
  medianMs: number | null;
}

export interface ReportPerformanceInput {
  receivedAt: Date;
  clocks: readonly StageClock[];
}

export function slaPerformance(reports: readonly ReportPerformanceInput[]): StagePerformance[] {
  const out: StagePerformance[] = [];
  for (const stage of STAGES) {
    let met = 0;
    let missed = 0;
    let overdue = 0;
    const durations: number[] = [];
    let seen = false;
    for (const r of reports) {
      const c = r.clocks.find((x) => x.stage === stage);
      if (!c) continue;
      seen = true;
      if (c.status === 'met') met++;
      else if (c.status === 'missed') missed++;
      else if (c.status === 'overdue') overdue++;
      if (c.reachedAt) durations.push(c.reachedAt.getTime() - r.receivedAt.getTime());
    }
    if (!seen) continue;
    const decided = met + missed + overdue;
    out.push({ stage, met, missed, overdue, shareMet: decided ? met / decided : null, medianMs: median(durations) });
  }
  return out;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
