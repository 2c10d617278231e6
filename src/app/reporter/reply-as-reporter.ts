import type { Db } from '../../adapters/db/open-database.js';
import type { Context } from '../../context.js';
import type { Upload } from '../../domain/reports/attachment-rules.js';
import { acceptUploads, storeAttachments } from '../attachments.js';
import { appendAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { applyTransition } from '../reports/apply-transition.js';

export interface ReporterReplyInput {
  reportId: string;
  /** Already checked with messageBodySchema. */
  body: string;
  attachments: readonly Upload[];
  /** More that must land with the message or not at all (the mail intake's record): throwing rolls all back. */
  inTransaction?: (trx: Db, message: { id: string; reportId: string }) => Promise<void>;
}

type Deps = Pick<Context, 'db' | 'clock' | 'newId' | 'config'>;

/**
 * The reporter answers in the conversation. A reply while the team waits on the reporter resumes
 * the report (the domain's reporter_replied transition) and ends the triage pause, in the same
 * transaction as the message, its files and the audit record.
 */
export async function replyAsReporter(deps: Deps, input: ReporterReplyInput): Promise<{ messageId: string; resumed: boolean }> {
  const uploads = acceptUploads(input.attachments, deps.config.limits);
  const now = deps.clock();
  const messageId = deps.newId();
  return deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('reports').selectAll().where('id', '=', input.reportId).forUpdate().executeTakeFirst();
    if (!r) throw new AppError('not_found', 'There is no such report.');
    await trx.insertInto('messages').values({ id: messageId, report_id: r.id, at: now, author_kind: 'reporter', author_id: null, internal: false, body: input.body }).execute();
    await storeAttachments(trx, deps, { reportId: r.id, messageId }, uploads, now);
    await input.inTransaction?.(trx, { id: messageId, reportId: r.id });
    let resumed = false;
    if (r.state === 'waiting_on_reporter') {
      const decision = await applyTransition(trx, r, { type: 'reporter_replied' }, { kind: 'reporter', id: null }, now);
      resumed = decision.ok;
    }
    await trx.updateTable('reports').set({ updated_at: now }).where('id', '=', r.id).execute();
    await appendAudit(trx, { actorKind: 'reporter', action: 'report.reply', reportId: r.id, detail: { messageId, attachments: uploads.length, resumed } }, now);
    return { messageId, resumed };
  });
}
