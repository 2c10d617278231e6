import { DateTime } from 'luxon';
import type { Stage } from '../../domain/policy/schema-sla.js';
import type { RejectionReason, ReportState } from '../../domain/reports/states.js';

/** The languages mail to reporters is written in; the team's mail is English, like its pages. */
export const MAIL_LANGUAGES = ['en', 'de'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

/** A report's language as a mail language: German for "de", "de-AT", ...; English otherwise. */
export const mailLanguageOf = (tag: string | null | undefined): MailLanguage => ((tag ?? '').toLowerCase().split('-')[0] === 'de' ? 'de' : 'en');

/** Who writes: the policy's team and project, in the policy's time zone. */
export interface MailSender {
  team: string;
  project: string;
  timeZone: string;
}

export interface ReportRef {
  number: number;
  title: string;
}

/**
 * Every sentence of mail to a reporter, as functions of plain data. Whole sentences, not fragments,
 * because word order differs between languages.
 */
export interface ReporterMailWords {
  greeting(name: string | null): string;
  signature(team: string): string;
  instant(d: Date, timeZone: string): string;

  ackSubject(number: number): string;
  ackThanks(team: string, project: string, report: ReportRef, received: string): string;
  ackLink: string;
  ackKeepSecret: string;
  ackAutomatic: string;
  ackPromises: string;
  replyByMail: string;
  replyOnPage: string;

  stateSubject(number: number, state: ReportState): string;
  stateNow(report: ReportRef, state: ReportState): string;
  stateExplained(state: ReportState): string;
  rejectedBecause(reason: RejectionReason): string;

  messageSubject(number: number): string;
  messageFromTeam(report: ReportRef): string;
  messageFromDesk(report: ReportRef): string;

  updateSubject(number: number): string;
  forwarded(report: ReportRef, upstream: string): string;
  updated(report: ReportRef): string;
}

/** The team's mail (English). Only a report's number, title and link: team mail is not encrypted. */
export interface TeamMailWords {
  instant(d: Date, timeZone: string): string;
  stage(stage: Stage): string;
  state(state: string): string;
  footer(project: string): string;

  newReportSubject(project: string, report: ReportRef): string;
  newReport(report: ReportRef, channel: string, received: string): string;
  firstDeadline(stage: Stage, deadline: string): string;

  dueSoonSubject(project: string, report: ReportRef, stage: Stage): string;
  dueSoon(report: ReportRef, stage: Stage, deadline: string, bestEffort: boolean): string;
  overdueSubject(project: string, report: ReportRef, stage: Stage): string;
  overdue(report: ReportRef, stage: Stage, deadline: string, bestEffort: boolean): string;
  open: string;

  digestSubject(project: string, date: string, open: number, overdue: number): string;
  digestIntro(name: string, date: string): string;
  digestNew(count: number): string;
  digestOverdue: string;
  digestDueSoon: string;
  digestOther: string;
  digestLine(report: ReportRef, state: string, next: string | null): string;
  digestNext(stage: Stage, deadline: string, status: 'overdue' | 'due_soon' | 'running' | 'paused'): string;
  digestNothingOpen: string;
  digestFailedMail(count: number, link: string): string;
  digestInbox(link: string): string;

  invitationSubject(project: string): string;
  invitation(project: string, role: string, invitedBy: string | null, reportNumber: number | null): string;
  invitationLink(expires: string): string;
  invitationIgnore: string;
}

/** "Monday 23 November 2026, 11:00 CET" / "Montag, 23. November 2026, 11:00 Uhr MEZ", in the policy's zone. */
export const formatMailInstant = (d: Date, timeZone: string, lang: MailLanguage): string =>
  DateTime.fromJSDate(d, { zone: timeZone })
    .setLocale(lang === 'de' ? 'de-DE' : 'en-GB')
    .toFormat(lang === 'de' ? "cccc, d. LLLL yyyy, HH:mm 'Uhr' ZZZZ" : 'cccc d LLLL yyyy, HH:mm ZZZZ');
