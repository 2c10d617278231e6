import type { Stage } from '../../domain/policy/schema-sla.js';
import type { RejectionReason, ReportState } from '../../domain/reports/states.js';
import { reporterWordsDe } from './words-de.js';
import { reporterWordsEn, teamWordsEn } from './words-en.js';
import type { MailLanguage, MailSender, ReportRef, ReporterMailWords } from './words.js';

export { mailLanguageOf, MAIL_LANGUAGES, type MailLanguage, type MailSender, type ReportRef } from './words.js';

/**
 * The desk's mail as plain text, built from plain data: one function per kind. The reporter's mail
 * is in their language; the team's mail is English and carries no report content beyond the number,
 * the title and a link, because it is not encrypted.
 */
export interface MailText {
  subject: string;
  text: string;
}

const REPORTER: Record<MailLanguage, ReporterMailWords> = { en: reporterWordsEn, de: reporterWordsDe };
const t = teamWordsEn;

const lines = (...parts: Array<string | null | false | undefined | Array<string | null | false | undefined>>): string =>
  parts
    .flat()
    .filter((p): p is string => typeof p === 'string')
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');

export interface ReporterContext extends MailSender {
  lang: MailLanguage;
  reporterName: string | null;
  report: ReportRef;
  /** A Reply-To that threads answers into the report exists. */
  replyByMail: boolean;
}

function reporterMail(c: ReporterContext, subject: string, body: Array<string | null | false>, replyHint: 'page' | 'none' = 'page'): MailText {
  const w = REPORTER[c.lang];
  const hints = [replyHint === 'page' ? w.replyOnPage : null, c.replyByMail ? w.replyByMail : null].filter((h): h is string => h !== null);
  return { subject, text: lines(w.greeting(c.reporterName), '', body, '', hints.length ? [hints.join(' '), ''] : null, w.signature(c.team), '') };
}

export interface AckInput {
  receivedAt: Date;
  trackingUrl: string;
  /** The policy's promises in the reporter's language (SECURITY.md's sentences). */
  promises: string[];
  businessDays: string | null;
  /** The policy counts this mail as the acknowledgement. */
  automatic: boolean;
}

export function ackMail(c: ReporterContext, a: AckInput): MailText {
  const w = REPORTER[c.lang];
  return reporterMail(
    c,
    w.ackSubject(c.report.number),
    [
      w.ackThanks(c.team, c.project, c.report, w.instant(a.receivedAt, c.timeZone)),
      a.automatic ? w.ackAutomatic : null,
      '',
      w.ackLink,
      a.trackingUrl,
      '',
      w.ackKeepSecret,
      '',
      a.promises.length ? w.ackPromises : null,
      ...a.promises.map((p) => `- ${p}`),
      a.businessDays,
    ],
    'none',
  );
}

export function stateMail(c: ReporterContext, s: { to: ReportState; reason: RejectionReason | null }): MailText {
  const w = REPORTER[c.lang];
  return reporterMail(c, w.stateSubject(c.report.number, s.to), [w.stateNow(c.report, s.to), w.stateExplained(s.to), s.to === 'rejected' && s.reason ? w.rejectedBecause(s.reason) : null]);
}

export function messageMail(c: ReporterContext, m: { body: string; fromDesk: boolean }): MailText {
  const w = REPORTER[c.lang];
  const rule = '-'.repeat(40);
  return reporterMail(c, w.messageSubject(c.report.number), [m.fromDesk ? w.messageFromDesk(c.report) : w.messageFromTeam(c.report), '', rule, m.body.replace(/\r\n?/g, '\n').trim(), rule]);
}

export function updateMail(c: ReporterContext, u: { upstream: string | null }): MailText {
  const w = REPORTER[c.lang];
  return reporterMail(c, w.updateSubject(c.report.number), [u.upstream ? w.forwarded(c.report, u.upstream) : w.updated(c.report)]);
}

export interface TeamContext extends MailSender {
  /** The report's page on the desk (team side). */
  link: string;
  report: ReportRef;
}

const teamMail = (c: MailSender, subject: string, body: Array<string | null | false>, footer = true): MailText => ({ subject, text: lines(body, '', footer ? ['--', t.footer(c.project)] : null, '') });

export function newReportMail(c: TeamContext, n: { channel: string; receivedAt: Date; first: { stage: Stage; deadline: Date } | null }): MailText {
  return teamMail(c, t.newReportSubject(c.project, c.report), [
    t.newReport(c.report, n.channel, t.instant(n.receivedAt, c.timeZone)),
    n.first ? t.firstDeadline(n.first.stage, t.instant(n.first.deadline, c.timeZone)) : null,
    '',
    t.open,
    c.link,
  ]);
}

export function deadlineMail(c: TeamContext, d: { kind: 'due-soon' | 'overdue'; stage: Stage; deadline: Date; bestEffort: boolean }): MailText {
  const at = t.instant(d.deadline, c.timeZone);
  return d.kind === 'due-soon'
    ? teamMail(c, t.dueSoonSubject(c.project, c.report, d.stage), [t.dueSoon(c.report, d.stage, at, d.bestEffort), '', t.open, c.link])
    : teamMail(c, t.overdueSubject(c.project, c.report, d.stage), [t.overdue(c.report, d.stage, at, d.bestEffort), '', t.open, c.link]);
}

export interface DigestItem {
  report: ReportRef;
  state: string;
  next: { stage: Stage; deadline: Date | null; status: 'overdue' | 'due_soon' | 'running' | 'paused' } | null;
}

export interface DigestInput {
  name: string;
  /** The digest's day in the policy's time zone, YYYY-MM-DD. */
  date: string;
  items: DigestItem[];
  newSinceLast: number;
  inboxLink: string;
  /** For admins: mail that could not be sent, with the outbox page's link. */
  failedMail: { count: number; link: string } | null;
}

export function digestMail(c: MailSender, d: DigestInput): MailText {
  const line = (i: DigestItem) =>
    t.digestLine(i.report, t.state(i.state), i.next ? t.digestNext(i.next.stage, i.next.deadline ? t.instant(i.next.deadline, c.timeZone) : '—', i.next.status) : null);
  const overdue = d.items.filter((i) => i.next?.status === 'overdue');
  const soon = d.items.filter((i) => i.next?.status === 'due_soon');
  const other = d.items.filter((i) => i.next?.status !== 'overdue' && i.next?.status !== 'due_soon');
  const section = (title: string, items: DigestItem[]) => (items.length ? ['', `${title} (${items.length}):`, ...items.map(line)] : []);
  return teamMail(c, t.digestSubject(c.project, d.date, d.items.length, overdue.length), [
    t.digestIntro(d.name, d.date),
    d.newSinceLast > 0 ? t.digestNew(d.newSinceLast) : null,
    d.items.length === 0 ? t.digestNothingOpen : null,
    ...section(t.digestOverdue, overdue),
    ...section(t.digestDueSoon, soon),
    ...section(t.digestOther, other),
    '',
    d.failedMail && d.failedMail.count > 0 ? t.digestFailedMail(d.failedMail.count, d.failedMail.link) : null,
    t.digestInbox(d.inboxLink),
  ]);
}

export function invitationMail(c: MailSender, i: { role: string; invitedBy: string | null; reportNumber: number | null; link: string; expiresAt: Date }): MailText {
  return teamMail(c, t.invitationSubject(c.project), [t.invitation(c.project, i.role, i.invitedBy, i.reportNumber), '', t.invitationLink(t.instant(i.expiresAt, c.timeZone)), i.link, '', t.invitationIgnore], false);
}
