import type { Context } from '../../context.js';
import type { ReportState } from '../../domain/reports/states.js';
import type { Role } from '../team-sessions.js';
import { appendAudit } from '../audit.js';
import { applyTransition } from '../reports/apply-transition.js';
import { asStored, isoSeconds, refuse, type Refusal } from './check-advisory.js';
import { fixesMissing, storedAdvisory } from './advisory-facts.js';
import { freezeRevision } from './freeze-advisory.js';
import { linkedReports } from './store.js';

type Deps = Pick<Context, 'db' | 'policy' | 'config' | 'clock'>;

export interface PublishAdvisoryInput {
  id: string;
  /** A person who publishes now; null for the publish job. */
  actor: { id: string; role: Role } | null;
}

export type PublishOutcome =
  | { ok: true; ident: string; disclosed: number[] }
  /** `missing`: the fixed builds the inventory lacks (no override); `lost`: another process published it, or it changed in between. */
  | (Refusal & { missing?: string[]; lost?: boolean });

export const INITIAL_SUMMARY = 'Initial publication.';

/**
 * Publishes a scheduled advisory: once it is due (an admin may publish it early), with a fixed
 * build in the inventory for each affected repository unless an admin overrode that. The row is
 * claimed by a conditional UPDATE ... WHERE state = 'scheduled' (and unchanged since it was read),
 * so with several desk processes exactly one publishes it. In the same transaction: revision 1 in
 * advisory_revisions, the document marked final with its publication date and history, the
 * revision frozen (resolved against the inventory as it is now, its documents rendered: what the
 * public is served until the next revision), the linked fixed reports moved to disclosed, and the
 * audit entry.
 */
export async function publishAdvisory(deps: Deps, input: PublishAdvisoryInput): Promise<PublishOutcome> {
  const now = deps.clock();
  const row = await deps.db.selectFrom('advisories').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!row) return refuse('invalid_input', 'there is no such advisory');
  if (row.state !== 'scheduled') return { ...refuse('conflict', row.state === 'draft' ? `${row.ident} is a draft: schedule it first` : `${row.ident} is ${row.state} already`), lost: row.state !== 'draft' };
  const due = row.scheduled_for !== null && row.scheduled_for.getTime() <= now.getTime();
  const early = !due;
  if (early && input.actor?.role !== 'admin') return refuse('conflict', `${row.ident} is scheduled for ${row.scheduled_for?.toISOString() ?? 'later'}; only an admin may publish it before then`);
  const advisory = storedAdvisory(row);
  if (row.override_by === null) {
    const missing = await fixesMissing(deps.db, deps.policy, advisory);
    if (missing.length > 0) return { ...refuse('conflict', `no fixed build: ${missing.map((m) => m.reason).join('; ')}`), missing: missing.map((m) => m.reason) };
  }
  const at = isoSeconds(now);
  const document = asStored({ ...advisory, status: 'final', published: at, revisions: [{ date: at, summary: INITIAL_SUMMARY }] });
  return deps.db.transaction().execute(async (trx): Promise<PublishOutcome> => {
    const claimed = await trx
      .updateTable('advisories')
      .set({ state: 'published', published_at: now, revision: 1, document, updated_at: now })
      .where('id', '=', row.id)
      .where('state', '=', 'scheduled')
      .where('updated_at', '=', row.updated_at)
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return { ...refuse('conflict', `${row.ident} was published or changed in the meantime`), lost: true };
    const actorId = input.actor?.id ?? null;
    await trx.insertInto('advisory_revisions').values({ advisory_id: row.id, revision: 1, document, at: now, by: actorId, summary: INITIAL_SUMMARY }).execute();
    await freezeRevision(trx, deps, { advisoryId: row.id, revision: 1, document, ident: row.ident, at: now });
    const disclosed: number[] = [];
    for (const linked of await linkedReports(trx, row.id)) {
      const report = await trx.selectFrom('reports').selectAll().where('id', '=', linked.id).forUpdate().executeTakeFirstOrThrow();
      if ((report.state as ReportState) !== 'fixed') continue;
      const t = await applyTransition(trx, report, { type: 'disclose' }, actorId ? { kind: 'user', id: actorId } : { kind: 'system', id: null }, now, { data: { advisory: row.ident } });
      if (t.ok) disclosed.push(report.number);
    }
    const detail = { advisory: row.ident, scheduledFor: row.scheduled_for?.toISOString() ?? null, early, override: row.override_by !== null, disclosed };
    await appendAudit(trx, { actorKind: actorId ? 'user' : 'system', actorId, action: 'advisory.publish', detail }, now);
    return { ok: true, ident: row.ident, disclosed };
  });
}
