import type { Context } from '../../context.js';
import type { Upload } from '../../domain/reports/attachment-rules.js';
import { decideTransition } from '../../domain/reports/states.js';
import { acceptUploads, storeAttachments } from '../attachments.js';
import { appendAudit } from '../audit.js';
import { AppError } from '../errors.js';

export interface ReporterReplyInput {
  reportId: string;
  /** Already checked with messageBodySchema. */
  body: string;
  attachments: readonly Upload[];
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
    let resumed = false;
    if (r.state === 'waiting_on_reporter') {
      const decision = decideTransition(
        { state: r.state, acknowledgedAt: r.acknowledged_at, triagedAt: r.triaged_at, fixedAt: r.fixed_at, disclosedAt: r.disclosed_at },
        { type: 'reporter_replied' },
        now,
      );
      if (decision.ok) {
        const c = decision.changes;
        await trx
          .updateTable('reports')
          .set({
            state: decision.to,
            ...('acknowledgedAt' in c ? { acknowledged_at: c.acknowledgedAt ?? null } : {}),
            ...('triagedAt' in c ? { triaged_at: c.triagedAt ?? null } : {}),
          })
          .where('id', '=', r.id)
          .execute();
        if (decision.pause === 'end') await trx.updateTable('report_pauses').set({ ended_at: now }).where('report_id', '=', r.id).where('ended_at', 'is', null).execute();
        const data = { from: decision.from, to: decision.to, action: 'reporter_replied' };
        await trx.insertInto('report_events').values({ report_id: r.id, at: now, actor_kind: 'reporter', actor_id: null, kind: 'state', data, visible: true }).execute();
        resumed = true;
      }
    }
    await trx.updateTable('reports').set({ updated_at: now }).where('id', '=', r.id).execute();
    await appendAudit(trx, { actorKind: 'reporter', action: 'report.reply', reportId: r.id, detail: { messageId, attachments: uploads.length, resumed } }, now);
    return { messageId, resumed };
  });
}
