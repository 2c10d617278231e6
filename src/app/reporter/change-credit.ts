import type { Context } from '../../context.js';
import type { CreditWish } from '../../domain/reports/report-input.js';
import { appendAudit } from '../audit.js';
import { AppError } from '../errors.js';

type Deps = Pick<Context, 'db' | 'clock'>;

/** The reporter changes how (or whether) they are credited in the advisory; recorded on the timeline. */
export async function changeCredit(deps: Deps, input: { reportId: string; credit: CreditWish }): Promise<void> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('reports').select(['id', 'credit_name']).where('id', '=', input.reportId).forUpdate().executeTakeFirst();
    if (!r) throw new AppError('not_found', 'There is no such report.');
    const name = input.credit.wish === 'name' ? input.credit.name : null;
    if (name === r.credit_name) return;
    await trx.updateTable('reports').set({ credit_name: name, updated_at: now }).where('id', '=', r.id).execute();
    await trx.insertInto('report_events').values({ report_id: r.id, at: now, actor_kind: 'reporter', actor_id: null, kind: 'credit', data: { credit: input.credit.wish }, visible: true }).execute();
    await appendAudit(trx, { actorKind: 'reporter', action: 'report.credit', reportId: r.id, detail: { credit: input.credit.wish } }, now);
  });
}
