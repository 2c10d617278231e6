import type { ClockStatus } from '../../domain/reports/sla-status.js';

/** Team-side words for states, stages and clock statuses (the reporter's view has its own, translated). */
export const STATE_WORDS: Record<string, string> = {
  received: 'Received',
  acknowledged: 'Acknowledged',
  waiting_on_reporter: 'Waiting on reporter',
  accepted: 'Accepted',
  rejected: 'Rejected',
  fixing: 'Fixing',
  fixed: 'Fixed',
  disclosed: 'Disclosed',
};

/** Where a report came in: the desk's form, API and mailbox, or a forge it was imported from. */
export const CHANNEL_WORDS: Record<string, string> = { web: 'web form', api: 'API', email: 'e-mail', github: 'GitHub', gitlab: 'GitLab' };

export const STAGE_WORDS: Record<string, string> = { acknowledge: 'Acknowledge', triage: 'Triage', fix: 'Fix', patch: 'Release' };

export const CLOCK_WORDS: Record<ClockStatus, { label: string; tone: 'ok' | 'warn' | 'bad' | 'info' | '' }> = {
  met: { label: 'met', tone: 'ok' },
  missed: { label: 'missed', tone: 'bad' },
  running: { label: 'running', tone: 'info' },
  due_soon: { label: 'due soon', tone: 'warn' },
  overdue: { label: 'overdue', tone: 'bad' },
  paused: { label: 'paused', tone: '' },
  not_applicable: { label: 'not needed', tone: '' },
};

export const REASON_WORDS: Record<string, string> = { invalid: 'Invalid', duplicate: 'Duplicate', out_of_scope: 'Out of scope', upstream: 'Redirected upstream' };

export const ACTION_WORDS: Record<string, string> = {
  acknowledge: 'Acknowledge',
  request_info: 'Ask the reporter (pause triage)',
  accept: 'Accept',
  reject: 'Reject',
  start_fix: 'Start fixing',
  mark_fixed: 'Mark fixed',
  reopen: 'Reopen',
};
