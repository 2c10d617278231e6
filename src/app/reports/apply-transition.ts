import type { Db } from '../../adapters/db/open-database.js';
import type { Report } from '../../adapters/db/tables.js';
import { decideTransition, type ReportAction, type ReportState, type TransitionResult } from '../../domain/reports/states.js';

export interface TransitionActor {
  /** 'system': the desk itself, e.g. the automatic acknowledgement when the receipt mail goes out. */
  kind: 'user' | 'reporter' | 'system';
  id: string | null;
}

/**
 * Applies the domain's decision inside the caller's transaction (the report row already locked):
 * the new state and clock stamps, the waiting-on-reporter pause opened or closed, and the visible
 * timeline entry. The one place a report changes state, for the team and for a reporter's reply.
 */
export async function applyTransition(
  trx: Db,
  r: Report,
  action: ReportAction,
  actor: TransitionActor,
  now: Date,
  extra: { set?: Partial<Pick<Report, 'rejection_reason' | 'duplicate_of' | 'scope_area'>>; data?: Record<string, unknown> } = {},
): Promise<TransitionResult> {
  const decision = decideTransition(
    { state: r.state as ReportState, acknowledgedAt: r.acknowledged_at, triagedAt: r.triaged_at, fixedAt: r.fixed_at, disclosedAt: r.disclosed_at },
    action,
    now,
  );
  if (!decision.ok) return decision;
  const c = decision.changes;
  await trx
    .updateTable('reports')
    .set({
      state: decision.to,
      ...('acknowledgedAt' in c ? { acknowledged_at: c.acknowledgedAt ?? null } : {}),
      ...('triagedAt' in c ? { triaged_at: c.triagedAt ?? null } : {}),
      ...('fixedAt' in c ? { fixed_at: c.fixedAt ?? null } : {}),
      ...('disclosedAt' in c ? { disclosed_at: c.disclosedAt ?? null } : {}),
      ...extra.set,
      updated_at: now,
    })
    .where('id', '=', r.id)
    .execute();
  if (decision.pause === 'start') await trx.insertInto('report_pauses').values({ report_id: r.id, started_at: now, ended_at: null }).execute();
  if (decision.pause === 'end') await trx.updateTable('report_pauses').set({ ended_at: now }).where('report_id', '=', r.id).where('ended_at', 'is', null).execute();
  const data = { from: decision.from, to: decision.to, action: action.type, ...extra.data };
  await trx.insertInto('report_events').values({ report_id: r.id, at: now, actor_kind: actor.kind, actor_id: actor.id, kind: 'state', data, visible: true }).execute();
  return decision;
}
