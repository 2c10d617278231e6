import { REPORT_LIMITS } from '../reports/report-input.js';

/**
 * What one received mail becomes. Threading is by reply address only: the desk's reply addresses
 * carry a MAC of the report id, so only someone who got mail about a report can add to it. From,
 * In-Reply-To and References are written by the sender and prove nothing; a known reporter writing
 * to the plain address about a new matter gets a new report.
 */
export interface IntakeFacts {
  /** Reports whose valid reply address the mail was sent to (envelope first, then To and Cc). */
  replyReports: readonly string[];
  /** RFC 3834 Auto-Submitted other than "no", or a Precedence of bulk, junk or list. */
  automatic: boolean;
  /** The envelope sender is empty: a delivery status notification (bounce). */
  bounce: boolean;
}

export type IntakeDecision = { kind: 'thread'; reportId: string } | { kind: 'new-report' } | { kind: 'ignore'; reason: string };

export function decideIntake(f: IntakeFacts): IntakeDecision {
  // Answering machines and bounces are filed nowhere: one answering the desk's acknowledgement
  // would otherwise open a report that is acknowledged again, and so on.
  if (f.bounce) return { kind: 'ignore', reason: 'a delivery status notification (empty envelope sender)' };
  if (f.automatic) return { kind: 'ignore', reason: 'an automatic reply (Auto-Submitted or Precedence)' };
  const first = f.replyReports[0];
  return first ? { kind: 'thread', reportId: first } : { kind: 'new-report' };
}

/** Whether headers mark a mail as automatic (RFC 3834, and the older Precedence convention). */
export function isAutomatic(autoSubmitted: string | null, precedence: string | null): boolean {
  const auto = autoSubmitted?.trim().toLowerCase().split(/[;\s]/)[0];
  if (auto && auto !== 'no') return true;
  return ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence?.trim().toLowerCase() ?? '');
}

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Mail text as the desk stores text: CRLF as LF, no control characters or broken surrogates, no trailing blanks. */
export function cleanMailText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(LONE_SURROGATE, '\ufffd')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .trim();
}

/** One line of text (a subject, a name): whitespace runs as one space, at most `max` characters. */
export function cleanMailLine(s: string, max: number): string {
  const line = cleanMailText(s).replace(/[\s\u2028\u2029]+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/**
 * A report title from a Subject: reply and forward prefixes dropped; a placeholder when too short or
 * when it is the "..." that mail programs put outside an encrypted (protected) subject.
 */
export function titleFromSubject(subject: string | null | undefined): string {
  const title = cleanMailLine((subject ?? '').replace(/^\s*((re|aw|fwd?|wg)\s*:\s*)+/i, ''), REPORT_LIMITS.title);
  if (/^[.…\s]*$/.test(title)) return title ? 'Report by e-mail (encrypted subject)' : 'Report by e-mail (no subject)';
  return title.length >= 3 ? title : 'Report by e-mail (no subject)';
}
