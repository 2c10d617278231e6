import type { Context } from '../../context.js';
import { appendAudit } from '../audit.js';
import { refuse, type Refusal } from './check-advisory.js';
import { lockAdvisory } from './store.js';

type Deps = Pick<Context, 'db' | 'clock'>;

/** Takes a scheduled advisory back to draft: the schedule (and any override) is dropped. */
export async function unscheduleAdvisory(deps: Deps, input: { id: string; actorId: string }): Promise<{ ok: true } | Refusal> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockAdvisory(trx, input.id);
    if (row.state !== 'scheduled') return refuse('conflict', `${row.ident} is ${row.state}, not scheduled`);
    await trx.updateTable('advisories').set({ state: 'draft', scheduled_for: null, scheduled_by: null, override_by: null, override_reason: null, updated_at: now }).where('id', '=', row.id).execute();
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'advisory.unschedule', detail: { advisory: row.ident, wasScheduledFor: row.scheduled_for?.toISOString() ?? null } }, now);
    return { ok: true as const };
  });
}
