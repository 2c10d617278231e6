import { MailSendError } from '../../adapters/mail/smtp-mailer.js';
import type { Context } from '../../context.js';
import type { ReportState } from '../../domain/reports/states.js';
import { addAdminNotice } from '../admin-notices.js';
import { appendAudit } from '../audit.js';
import { applyTransition } from '../reports/apply-transition.js';
import { renderOutboxMail, UnsendableMailError, type OutboxRow } from './render-outbox-mail.js';
import { claimDue } from '../claim-due.js';

/**
 * The sender: claims due outbox rows and sends them. Claiming is one short transaction that locks
 * the rows with FOR UPDATE SKIP LOCKED and leases them (locked_until), so two senders on one
 * database never take the same row; a sender that dies gives its rows back when the lease ends.
 * A failed attempt is retried with exponential backoff; after MAIL_RETRY.maxAttempts, or at once
 * when the mail can never go as it stands (the server refused it for good, the reporter's key is
 * unusable), the row is 'failed', an admin notice says so, and the team sees it on /team/mail.
 * Without a mailer (no CVDESK_MAIL_URL) nothing is claimed: the rows wait and say why.
 */
export const MAIL_RETRY = { maxAttempts: 6, baseDelayMs: 60_000, maxDelayMs: 3_600_000 };
export const MAIL_LEASE_MS = 5 * 60_000;
export const NOT_CONFIGURED = 'not sent: mail is not configured (CVDESK_MAIL_URL is not set); it goes out once it is';

export type SendOutcome = { id: string; outcome: 'sent' | 'cancelled' | 'retry' | 'failed'; error?: string };

type Deps = Pick<Context, 'db' | 'clock' | 'log' | 'mailer' | 'policy' | 'config' | 'secretKey'>;

export const mailBackoffMs = (attempts: number, rule = MAIL_RETRY): number => Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.max(0, attempts - 1));

export async function sendDueMail(deps: Deps, options: { limit?: number; rule?: typeof MAIL_RETRY } = {}): Promise<SendOutcome[]> {
  const now = deps.clock();
  if (!deps.mailer) {
    await deps.db
      .updateTable('mail_outbox')
      .set({ last_error: NOT_CONFIGURED })
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('last_error', 'is', null), eb('last_error', '!=', NOT_CONFIGURED)]))
      .execute();
    return [];
  }
  const rows = await claimDue(deps.db, 'mail_outbox', options.limit ?? 20, now, MAIL_LEASE_MS);
  const outcomes: SendOutcome[] = [];
  for (const row of rows) outcomes.push(await sendOne(deps, row, options.rule ?? MAIL_RETRY));
  return outcomes;
}

async function sendOne(deps: Deps, row: OutboxRow, rule: typeof MAIL_RETRY): Promise<SendOutcome> {
  const mailer = deps.mailer!;
  try {
    const rendered = await renderOutboxMail(deps, row);
    if (rendered.kind === 'cancel') {
      await deps.db.updateTable('mail_outbox').set({ status: 'cancelled', locked_until: null, last_error: rendered.reason, secret: null }).where('id', '=', row.id).execute();
      return { id: row.id, outcome: 'cancelled', error: rendered.reason };
    }
    const sent = await mailer.send({
      to: row.recipient,
      replyTo: rendered.replyTo,
      subject: rendered.subject,
      text: rendered.text,
      messageId: row.message_id,
      references: rendered.references,
      date: deps.clock(),
      encryptTo: rendered.encryptTo,
      ...(rendered.headers ? { headers: rendered.headers } : {}),
    });
    deps.log.info({ mail: row.id, kind: row.kind, report: row.report_id, encrypted: rendered.encryptTo !== null, response: sent.response.slice(0, 200) }, 'mail sent');
    try {
      await markSent(deps, row);
    } catch (e) {
      // The server has the mail: never count this as a failed send. Without the record the row is
      // sent again once its lease ends (the same Message-ID lets the receiver tell).
      deps.log.error({ mail: row.id, err: e }, 'mail sent, but could not be recorded as sent');
      await deps.db.updateTable('mail_outbox').set({ status: 'sent', sent_at: deps.clock(), locked_until: null, last_error: null, secret: null }).where('id', '=', row.id).execute();
    }
    return { id: row.id, outcome: 'sent' };
  } catch (e) {
    const permanent = e instanceof UnsendableMailError || (e instanceof MailSendError && e.permanent);
    const error = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
    return fail(deps, row, error, permanent, rule);
  }
}

/** Sent: the sealed link is erased. An acknowledgement the policy counts as one acknowledges the report. */
async function markSent(deps: Deps, row: OutboxRow): Promise<void> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('mail_outbox').set({ status: 'sent', sent_at: now, locked_until: null, last_error: null, secret: null }).where('id', '=', row.id).execute();
    if (row.kind !== 'ack' || !row.report_id || deps.policy.sla.acknowledge?.automatic !== true) return;
    const r = await trx.selectFrom('reports').selectAll().where('id', '=', row.report_id).forUpdate().executeTakeFirst();
    if (!r || (r.state as ReportState) !== 'received') return;
    const decision = await applyTransition(trx, r, { type: 'acknowledge' }, { kind: 'system', id: null }, now, { data: { automatic: true, mail: row.id } });
    if (decision.ok) {
      await appendAudit(trx, { actorKind: 'system', action: 'report.transition', reportId: r.id, detail: { from: decision.from, to: decision.to, action: 'acknowledge', automatic: true } }, now);
    }
  });
}

async function fail(deps: Deps, row: OutboxRow, error: string, permanent: boolean, rule: typeof MAIL_RETRY): Promise<SendOutcome> {
  const now = deps.clock();
  if (permanent || row.attempts >= rule.maxAttempts) {
    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('mail_outbox').set({ status: 'failed', locked_until: null, last_error: error }).where('id', '=', row.id).execute();
      const failed = await trx.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'failed').executeTakeFirstOrThrow();
      const n = Number(failed.n);
      await addAdminNotice(trx, { key: 'mail-failed', level: 'bad', message: `${n === 1 ? '1 e-mail' : `${n} e-mails`} could not be sent; see Mail (/team/mail?status=failed) to read why and to send again.` }, now);
    });
    deps.log.error({ mail: row.id, kind: row.kind, report: row.report_id, attempts: row.attempts, error }, 'mail could not be sent; given up');
    return { id: row.id, outcome: 'failed', error };
  }
  const retryAt = new Date(now.getTime() + mailBackoffMs(row.attempts, rule));
  await deps.db.updateTable('mail_outbox').set({ next_attempt_at: retryAt, locked_until: null, last_error: error }).where('id', '=', row.id).execute();
  deps.log.warn({ mail: row.id, kind: row.kind, attempts: row.attempts, retryAt: retryAt.toISOString(), error }, 'mail not sent; will retry');
  return { id: row.id, outcome: 'retry', error };
}
