import type { Pause } from '../calendar/index.js';
import type { Policy } from '../policy/schema.js';
import { SEVERITIES, STAGES, type Severity, type Stage } from '../policy/schema-sla.js';
import { stageDeadlines, type StageTimes } from './sla-plan.js';
import type { ReportState } from './states.js';

/**
 * Where each of a report's SLA clocks stands: the policy's promise made concrete for one report.
 * Pure: the caller passes the report's stamps, its waiting-on-reporter pauses and "now".
 */
export type ClockStatus = 'met' | 'missed' | 'running' | 'due_soon' | 'overdue' | 'paused' | 'not_applicable';

export interface StageClock {
  stage: Stage;
  /** null when the stage cannot be planned (e.g. no release window in the policy). */
  deadline: Date | null;
  reachedAt: Date | null;
  status: ClockStatus;
  commitment: 'promise' | 'best-effort';
}

export interface ReportClockInput {
  state: ReportState;
  receivedAt: Date;
  acknowledgedAt: Date | null;
  triagedAt: Date | null;
  fixedAt: Date | null;
  disclosedAt: Date | null;
  /** The report's severity; "none" or unknown uses the policy's default targets. */
  severity: string | null;
}

const asSeverity = (s: string | null): Severity | undefined => (SEVERITIES as readonly string[]).includes(s ?? '') ? (s as Severity) : undefined;

const DAY = 86_400_000;

export function reportClocks(p: Policy, r: ReportClockInput, pauses: readonly Pause[], now: Date): StageClock[] {
  // An automatic acknowledgement (the receipt the desk gives on submission) meets that stage at once.
  const acknowledgedAt = r.acknowledgedAt ?? (p.sla.acknowledge?.automatic ? r.receivedAt : null);
  const reached: Record<Stage, Date | null> = {
    acknowledge: acknowledgedAt,
    triage: r.triagedAt,
    fix: r.fixedAt,
    patch: r.disclosedAt,
  };
  const deadlines = plannedDeadlines(
    p,
    { received: r.receivedAt, acknowledged: acknowledgedAt ?? undefined, triaged: r.triagedAt ?? undefined, fixed: r.fixedAt ?? undefined },
    asSeverity(r.severity),
    pauses,
    now,
  );
  const soon = p.sla.dueSoonBefore;
  const soonMs = soon.amount * (soon.unit === 'hours' ? 3_600_000 : DAY);
  const out: StageClock[] = [];
  for (const stage of STAGES) {
    if (!p.sla[stage]) continue;
    const deadline = deadlines[stage] ?? null;
    const reachedAt = reached[stage];
    out.push({ stage, deadline, reachedAt, status: statusOf(stage, r.state, deadline, reachedAt, now, soonMs), commitment: p.sla.commitment });
  }
  return out;
}

type Deadlines = Readonly<Partial<Record<Stage, Date>>>;

/** Planned deadlines per policy object, by the stamps, severity and closed pauses they follow from. */
const planned = new WeakMap<Policy, Map<string, Deadlines>>();
const PLANNED_MAX = 200_000;

/**
 * stageDeadlines, remembered: an inbox asks for the clocks of every open report on each request,
 * and a report's deadlines change only with its stamps, severity and pauses (and the policy, a new
 * object when it changes). An open pause moves the triage deadline with "now", so it is not kept.
 */
function plannedDeadlines(p: Policy, times: StageTimes, severity: Severity | undefined, pauses: readonly Pause[], now: Date): Deadlines {
  if (pauses.some((x) => x.to === null)) return stageDeadlines(p, times, severity, { pauses, now });
  const at = (d: Date | undefined) => (d ? d.getTime() : '');
  const key = [at(times.received), at(times.acknowledged), at(times.triaged), at(times.fixed), severity ?? '', ...pauses.flatMap((x) => [x.from.getTime(), at(x.to ?? undefined)])].join(' ');
  let memo = planned.get(p);
  if (!memo) planned.set(p, (memo = new Map()));
  let deadlines = memo.get(key);
  if (!deadlines) {
    if (memo.size >= PLANNED_MAX) memo.clear();
    deadlines = Object.freeze(stageDeadlines(p, times, severity, { pauses, now }));
    memo.set(key, deadlines);
  }
  return deadlines;
}

function statusOf(stage: Stage, state: ReportState, deadline: Date | null, reachedAt: Date | null, now: Date, soonMs: number): ClockStatus {
  if (reachedAt) return deadline && reachedAt > deadline ? 'missed' : 'met';
  // A rejected report needs no fix and no release.
  if (state === 'rejected' && (stage === 'fix' || stage === 'patch')) return 'not_applicable';
  if (stage === 'triage' && state === 'waiting_on_reporter') return 'paused';
  if (!deadline) return 'running';
  if (now > deadline) return 'overdue';
  return deadline.getTime() - now.getTime() <= soonMs ? 'due_soon' : 'running';
}

/** The clock that matters next: overdue first, then the earliest open deadline. */
export function nextDue(clocks: readonly StageClock[]): StageClock | null {
  const open = clocks.filter((c) => c.status === 'overdue' || c.status === 'due_soon' || c.status === 'running' || c.status === 'paused');
  const rank = (c: StageClock) => (c.status === 'paused' ? 1 : 0);
  return open.sort((a, b) => rank(a) - rank(b) || (a.deadline?.getTime() ?? Infinity) - (b.deadline?.getTime() ?? Infinity))[0] ?? null;
}
