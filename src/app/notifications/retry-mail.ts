import type { Context } from '../../context.js';
import { appendAudit } from '../audit.js';
import { visibleTo, type Viewer } from './list-outbox.js';

export type RetryMailResult = { kind: 'queued' } | { kind: 'not_found' } | { kind: 'not_retryable'; status: string };

/**
 * A person sends a failed mail again (after fixing the server, say): it is due now with a fresh
 * round of attempts. A pending mail may be sent now too. Sent and cancelled mail stays as it is.
 * Audited, like every change a person makes.
 */
export async function retryMail(deps: Pick<Context, 'db' | 'clock'>, input: { id: string; viewer: Viewer }): Promise<RetryMailResult> {
  if (!/^[0-9a-f-]{36}$/i.test(input.id)) return { kind: 'not_found' };
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('mail_outbox').select(['id', 'status', 'kind', 'report_id']).where('id', '=', input.id).where(visibleTo(input.viewer)).forUpdate().executeTakeFirst();
    if (!row) return { kind: 'not_found' as const };
    if (row.status !== 'failed' && row.status !== 'pending') return { kind: 'not_retryable' as const, status: row.status };
    await trx.updateTable('mail_outbox').set({ status: 'pending', attempts: 0, next_attempt_at: now }).where('id', '=', row.id).execute();
    await appendAudit(trx, { actorKind: 'user', actorId: input.viewer.id, action: 'mail.retry', reportId: row.report_id, detail: { mail: row.id, kind: row.kind, was: row.status } }, now);
    return { kind: 'queued' as const };
  });
}
