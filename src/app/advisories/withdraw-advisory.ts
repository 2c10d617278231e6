import type { Context } from '../../context.js';
import { appendAudit } from '../audit.js';
import { asStored, isoSeconds, refuse, type Refusal } from './check-advisory.js';
import { storedAdvisory } from './advisory-facts.js';
import { freezeRevision, frozenRevision, snapshotInventories } from './freeze-advisory.js';
import { lockAdvisory } from './store.js';

type Deps = Pick<Context, 'db' | 'policy' | 'config' | 'clock'>;

export const WITHDRAW_REASON_MAX = 2000;

/**
 * Withdraws a published advisory with a reason: it stays public, marked withdrawn (CSAF and OSV
 * say so), with a last revision "Withdrawn: <reason>". Audited. The withdrawal is frozen like any
 * revision, resolved against the inventory the withdrawn revision was published with (a withdrawal
 * changes the status, not the facts), or the current one for a revision published before freezing.
 */
export async function withdrawAdvisory(deps: Deps, input: { id: string; actorId: string; reason: string }): Promise<{ ok: true; revision: number } | Refusal> {
  const reason = input.reason.trim().replace(/\s+/g, ' ');
  if (reason === '') return refuse('invalid_input', 'say why the advisory is withdrawn', [{ path: ['withdrawReason'], message: 'say why: the reason is published with the withdrawal' }]);
  // published in CSAF, OSV and the page, and stored as jsonb, which cannot hold a NUL
  if (reason.includes('\u0000')) return refuse('invalid_input', 'the reason holds a NUL character', [{ path: ['withdrawReason'], message: 'must not contain a NUL character' }]);
  if (reason.length > WITHDRAW_REASON_MAX) return refuse('invalid_input', 'the reason is too long', [{ path: ['withdrawReason'], message: `is at most ${WITHDRAW_REASON_MAX} characters` }]);
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockAdvisory(trx, input.id);
    if (row.state !== 'published') return refuse('conflict', row.state === 'withdrawn' ? `${row.ident} is withdrawn already` : `${row.ident} is ${row.state}: only a published advisory is withdrawn (a scheduled one goes back to draft)`);
    const advisory = storedAdvisory(row);
    const at = isoSeconds(now);
    const summary = `Withdrawn: ${reason}`;
    const document = asStored({ ...advisory, withdrawn: { date: at, reason }, revisions: [...advisory.revisions, { date: at, summary }] });
    const revision = row.revision + 1;
    await trx.updateTable('advisories').set({ state: 'withdrawn', withdrawn_at: now, withdrawn_reason: reason, document, revision, updated_at: now }).where('id', '=', row.id).execute();
    await trx.insertInto('advisory_revisions').values({ advisory_id: row.id, revision, document, at: now, by: input.actorId, summary }).execute();
    const before = await frozenRevision(trx, row.id, row.revision);
    await freezeRevision(trx, deps, { advisoryId: row.id, revision, document, ident: row.ident, at: now, ...(before ? { inventories: await snapshotInventories(trx, before.resolution.inventorySnapshots) } : {}) });
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'advisory.withdraw', detail: { advisory: row.ident, reason, revision } }, now);
    return { ok: true as const, revision };
  });
}
