/**
 * Report states and the transitions between them (DESIGN.md): received → acknowledged → triaged
 * (accepted | rejected) → fixing → fixed → disclosed; waiting on the reporter pauses triage.
 * Pure: the caller passes "now" and the actor, and stores what this returns.
 */
export const REPORT_STATES = ['received', 'acknowledged', 'waiting_on_reporter', 'accepted', 'rejected', 'fixing', 'fixed', 'disclosed'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

export const REJECTION_REASONS = ['invalid', 'duplicate', 'out_of_scope', 'upstream'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export type ReportAction =
  | { type: 'acknowledge' }
  | { type: 'request_info' }
  | { type: 'reporter_replied' }
  | { type: 'accept' }
  | { type: 'reject'; reason: RejectionReason; duplicateOf?: string; upstream?: { name: string; contact: string } }
  | { type: 'start_fix' }
  | { type: 'mark_fixed' }
  | { type: 'disclose' }
  | { type: 'reopen' };

export interface ReportClockFields {
  state: ReportState;
  acknowledgedAt: Date | null;
  triagedAt: Date | null;
  fixedAt: Date | null;
  disclosedAt: Date | null;
}

const FROM: Record<ReportAction['type'], readonly ReportState[]> = {
  acknowledge: ['received'],
  request_info: ['received', 'acknowledged'],
  reporter_replied: ['waiting_on_reporter'],
  accept: ['received', 'acknowledged', 'waiting_on_reporter'],
  reject: ['received', 'acknowledged', 'waiting_on_reporter', 'accepted'],
  start_fix: ['accepted'],
  mark_fixed: ['accepted', 'fixing'],
  disclose: ['fixed'],
  reopen: ['rejected'],
};

const TO: Record<ReportAction['type'], ReportState> = {
  acknowledge: 'acknowledged',
  request_info: 'waiting_on_reporter',
  reporter_replied: 'acknowledged',
  accept: 'accepted',
  reject: 'rejected',
  start_fix: 'fixing',
  mark_fixed: 'fixed',
  disclose: 'disclosed',
  reopen: 'acknowledged',
};

export type TransitionResult =
  | { ok: true; from: ReportState; to: ReportState; changes: Partial<ReportClockFields>; pause: 'start' | 'end' | null }
  | { ok: false; reason: string };

/** Decides a transition: the new state, the clock fields it stamps, and whether the triage pause starts or ends. */
export function decideTransition(report: ReportClockFields, action: ReportAction, now: Date): TransitionResult {
  const from = report.state;
  if (!FROM[action.type].includes(from)) {
    return { ok: false, reason: `a report that is ${from.replace(/_/g, ' ')} cannot be ${describeAction(action)}` };
  }
  if (action.type === 'reject' && action.reason === 'duplicate' && !action.duplicateOf) {
    return { ok: false, reason: 'a duplicate must name the report it duplicates' };
  }
  const to = TO[action.type];
  const changes: Partial<ReportClockFields> = { state: to };
  // Reaching a later stage also meets the earlier clocks that were still running.
  const stamp = (k: 'acknowledgedAt' | 'triagedAt' | 'fixedAt' | 'disclosedAt') => {
    if (report[k] === null) changes[k] = now;
  };
  if (to !== 'received') stamp('acknowledgedAt');
  if (to === 'accepted' || to === 'rejected' || to === 'fixing' || to === 'fixed' || to === 'disclosed') stamp('triagedAt');
  if (to === 'fixed' || to === 'disclosed') stamp('fixedAt');
  if (to === 'disclosed') stamp('disclosedAt');
  if (action.type === 'reopen') changes.triagedAt = null;
  const pause = to === 'waiting_on_reporter' ? 'start' : from === 'waiting_on_reporter' ? 'end' : null;
  return { ok: true, from, to, changes, pause };
}

export function describeAction(a: ReportAction): string {
  switch (a.type) {
    case 'acknowledge':
      return 'acknowledged';
    case 'request_info':
      return 'put on hold for the reporter';
    case 'reporter_replied':
      return 'resumed by a reply';
    case 'accept':
      return 'accepted';
    case 'reject':
      return 'rejected';
    case 'start_fix':
      return 'moved to fixing';
    case 'mark_fixed':
      return 'marked fixed';
    case 'disclose':
      return 'disclosed';
    case 'reopen':
      return 'reopened';
  }
}

/** Which actions a team member may take from a state, for the report page's buttons. */
export const actionsFrom = (state: ReportState): Array<ReportAction['type']> =>
  (Object.keys(FROM) as Array<ReportAction['type']>).filter((t) => t !== 'reporter_replied' && t !== 'disclose' && FROM[t].includes(state));
