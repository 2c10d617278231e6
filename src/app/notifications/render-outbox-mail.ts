import type { MailOutboxTable } from '../../adapters/db/tables.js';
import type { Selectable } from 'kysely';
import { encryptionKeyOf, UnusableKeyError } from '../../adapters/pgp/encrypt.js';
import type { Context } from '../../context.js';
import { STAGES, type Stage } from '../../domain/policy/schema-sla.js';
import { nextDue, reportClocks } from '../../domain/reports/sla-status.js';
import { REJECTION_REASONS, REPORT_STATES, type RejectionReason, type ReportState } from '../../domain/reports/states.js';
import { ackMail, deadlineMail, invitationMail, mailLanguageOf, messageMail, newReportMail, stateMail, updateMail, type MailSender, type MailText, type ReporterContext } from '../../formats/mail/build-mail.js';
import { businessDayNote, promiseLines } from '../../formats/security-md/render-security-md.js';
import { renderSubscriberMail } from '../announcements/render-subscriber-mail.js';
import { replyAddressFor } from '../mail/reply-token.js';
import { pausesByReport } from '../reports/report-pauses.js';
import { hashToken } from '../tokens.js';
import { openOutboxSecret, reportThreadId } from './outbox.js';
import { digestFor } from './digest-content.js';

export type OutboxRow = Selectable<MailOutboxTable>;

/** What to send for a row, or why it is no longer needed. */
export type RenderedMail =
  | { kind: 'send'; subject: string; text: string; replyTo: string | null; references: string[]; encryptTo: string | null; headers?: Record<string, string> }
  | { kind: 'cancel'; reason: string };

/** A mail that cannot be sent as it stands (no retry helps): the row fails at once with this message. */
export class UnsendableMailError extends Error {}

type Deps = Pick<Context, 'db' | 'policy' | 'clock' | 'config' | 'secretKey' | 'log'>;

const cancel = (reason: string): RenderedMail => ({ kind: 'cancel', reason });

/**
 * Renders an outbox row into the mail to send, from the report as it is now: the row holds no
 * report content, only what the mail is about. Team mail goes only to accounts that may still see
 * the report; mail to a reporter is encrypted to their key when the desk has one.
 */
export async function renderOutboxMail(deps: Deps, row: OutboxRow): Promise<RenderedMail> {
  const sender: MailSender = { team: deps.policy.team.name, project: deps.policy.project.name, timeZone: deps.policy.calendar.timeZone };
  const url = (path: string) => new URL(path, deps.config.baseUrl).toString();
  if (row.kind === 'digest') {
    const d = await digestFor(deps, row);
    return d.kind === 'cancel' ? d : team(d.mail, []);
  }
  if (row.kind === 'invitation') return invitation(deps, row, sender);
  if (row.audience === 'subscriber') return renderSubscriberMail(deps, row);

  const report = row.report_id ? await deps.db.selectFrom('reports').selectAll().where('id', '=', row.report_id).executeTakeFirst() : undefined;
  if (!report) return cancel('the report no longer exists');
  const thread = [reportThreadId(deps, report.id)];

  if (row.audience === 'team') {
    const reader = row.user_id ? await mayRead(deps, row.user_id, report.id) : false;
    if (!reader) return cancel('the recipient may no longer see this report');
    const c = { ...sender, report: { number: report.number, title: report.title }, link: url(`team/reports/${report.number}`) };
    if (row.kind === 'new-report') {
      const clocks = await clocksOf(deps, report);
      const next = nextDue(clocks);
      return team(newReportMail(c, { channel: report.channel, receivedAt: report.received_at, first: next?.deadline ? { stage: next.stage, deadline: next.deadline } : null }), thread);
    }
    if (row.kind === 'due-soon' || row.kind === 'overdue') {
      const stage = String(row.payload.stage) as Stage;
      const deadline = new Date(String(row.payload.deadline));
      const clock = (await clocksOf(deps, report)).find((k) => k.stage === stage);
      if (!STAGES.includes(stage) || !clock) return cancel('the policy no longer has this stage');
      if (clock.reachedAt || clock.status === 'not_applicable') return cancel(`the ${stage} stage was reached before the mail went out`);
      if (clock.deadline?.getTime() !== deadline.getTime()) return cancel(`the ${stage} deadline has moved`);
      return team(deadlineMail(c, { kind: row.kind, stage, deadline, bestEffort: deps.policy.sla.commitment === 'best-effort' }), thread);
    }
    throw new UnsendableMailError(`a team mail of kind ${row.kind} is not known`);
  }

  // To the reporter: their language, their key, a reply address that threads answers into the report.
  const lang = mailLanguageOf(report.language);
  const replyTo = replyAddressFor(deps, report);
  const c: ReporterContext = { ...sender, lang, reporterName: report.reporter_name, report: { number: report.number, title: report.title }, replyByMail: replyTo !== null };
  let mail: MailText;
  if (row.kind === 'ack') {
    if (!row.secret) throw new UnsendableMailError('the tracking link of this acknowledgement is gone (it is erased once sent)');
    const trackingUrl = openOutboxSecret(deps.secretKey, row.id, row.secret);
    const o = { lang, baseUrl: deps.config.baseUrl.toString() };
    mail = ackMail(c, { receivedAt: report.received_at, trackingUrl, promises: promiseLines(deps.policy, o), businessDays: businessDayNote(deps.policy, o), automatic: deps.policy.sla.acknowledge?.automatic === true });
  } else if (row.kind === 'event') {
    const event = await deps.db.selectFrom('report_events').selectAll().where('id', '=', Number(row.payload.eventId)).where('report_id', '=', report.id).executeTakeFirst();
    if (!event || !event.visible) return cancel('the timeline entry is gone or no longer visible to the reporter');
    const to = String(event.data.to);
    const reason = String(event.data.reason ?? '');
    if (event.kind === 'state' && (REPORT_STATES as readonly string[]).includes(to)) {
      mail = stateMail(c, { to: to as ReportState, reason: (REJECTION_REASONS as readonly string[]).includes(reason) ? (reason as RejectionReason) : null });
    } else mail = updateMail(c, { upstream: event.kind === 'forwarded_upstream' && typeof event.data.upstream === 'string' ? event.data.upstream : null });
  } else if (row.kind === 'message') {
    const m = await deps.db.selectFrom('messages').selectAll().where('id', '=', String(row.payload.messageId)).where('report_id', '=', report.id).executeTakeFirst();
    if (!m || m.internal) return cancel('the message is gone or is a private note');
    mail = messageMail(c, { body: m.body, fromDesk: m.author_kind === 'system' });
  } else throw new UnsendableMailError(`a reporter mail of kind ${row.kind} is not known`);

  let encryptTo: string | null = null;
  if (report.reporter_key) {
    try {
      await encryptionKeyOf(report.reporter_key);
    } catch (e) {
      if (e instanceof UnusableKeyError) throw new UnsendableMailError(`the reporter's OpenPGP key cannot be used: ${e.message}`);
      throw e;
    }
    encryptTo = report.reporter_key;
  }
  return { kind: 'send', subject: mail.subject, text: mail.text, replyTo, references: thread, encryptTo };
}

const team = (m: MailText, references: string[]): RenderedMail => ({ kind: 'send', subject: m.subject, text: m.text, replyTo: null, references, encryptTo: null });

/** The account is active and may see the report (members and admins all; coordinators their own). */
async function mayRead(deps: Deps, userId: string, reportId: string): Promise<boolean> {
  const user = await deps.db.selectFrom('users').select(['role']).where('id', '=', userId).where('removed_at', 'is', null).executeTakeFirst();
  if (!user) return false;
  if (user.role !== 'coordinator') return true;
  const grant = await deps.db.selectFrom('coordinator_grants').select('user_id').where('user_id', '=', userId).where('report_id', '=', reportId).executeTakeFirst();
  return grant !== undefined;
}

async function clocksOf(deps: Deps, r: { id: string; state: string; received_at: Date; acknowledged_at: Date | null; triaged_at: Date | null; fixed_at: Date | null; disclosed_at: Date | null; severity: string | null }) {
  const pauses = (await pausesByReport(deps.db, [r.id])).get(r.id) ?? [];
  return reportClocks(
    deps.policy,
    { state: r.state as ReportState, receivedAt: r.received_at, acknowledgedAt: r.acknowledged_at, triagedAt: r.triaged_at, fixedAt: r.fixed_at, disclosedAt: r.disclosed_at, severity: r.severity },
    pauses,
    deps.clock(),
  );
}

async function invitation(deps: Deps, row: OutboxRow, sender: MailSender): Promise<RenderedMail> {
  if (!row.secret) throw new UnsendableMailError('the invitation link is gone (it is erased once sent)');
  const link = openOutboxSecret(deps.secretKey, row.id, row.secret);
  const token = link.split('/').at(-1) ?? '';
  const inv = await deps.db.selectFrom('invitations').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!inv || inv.accepted_at || inv.expires_at.getTime() <= deps.clock().getTime()) return cancel('the invitation was used, withdrawn or has expired');
  const [by, report] = await Promise.all([
    inv.invited_by ? deps.db.selectFrom('users').select('name').where('id', '=', inv.invited_by).executeTakeFirst() : undefined,
    inv.report_id ? deps.db.selectFrom('reports').select('number').where('id', '=', inv.report_id).executeTakeFirst() : undefined,
  ]);
  return team(invitationMail(sender, { role: inv.role, invitedBy: by?.name ?? null, reportNumber: report?.number ?? null, link, expiresAt: inv.expires_at }), []);
}
