import type { Context } from '../../context.js';
import { appendAudit } from '../audit.js';
import { asStored, checkAdvisory, editablePart, refuse, type Refusal } from './check-advisory.js';
import { reportIdsOf } from './linked-report-ids.js';
import { nextIdent, setLinkedReports } from './store.js';

type Deps = Pick<Context, 'db' | 'policy' | 'clock' | 'newId'>;

export interface DraftAdvisoryInput {
  actorId: string;
  /** The reports the advisory discloses, by number. */
  reportNumbers: number[];
  /** The advisory model's document as the editor wrote it (the desk sets id, status, dates). */
  document: Record<string, unknown>;
}

/** An id that passes the model's pattern until the real one is counted, in the transaction. */
const PLACEHOLDER_ID = 'CVDESK-0000-0000';

/**
 * A new draft advisory: checked like an advisory file (schema, then resolved against the image
 * inventory), named CVDESK-<year>-<n>, linked to its reports, audited. Nothing is stored when a
 * field is wrong: the problems come back with their paths.
 */
export async function draftAdvisory(deps: Deps, input: DraftAdvisoryInput): Promise<{ ok: true; id: string; ident: string } | Refusal> {
  const ids = await reportIdsOf(deps.db, input.reportNumbers);
  if (!ids.ok) return ids;
  const checked = await checkAdvisory(deps, { ...editablePart(input.document), id: PLACEHOLDER_ID, status: 'draft' });
  if (!checked.ok) return refuse('invalid_input', 'the advisory has problems', checked.problems);
  const now = deps.clock();
  const id = deps.newId();
  return deps.db.transaction().execute(async (trx) => {
    const ident = await nextIdent(trx, now.getUTCFullYear());
    const document = asStored({ ...checked.advisory, id: ident });
    await trx.insertInto('advisories').values({ id, ident, state: 'draft', document, scheduled_for: null, scheduled_by: null, published_at: null, created_at: now, created_by: input.actorId, updated_at: now, withdrawn_at: null, withdrawn_reason: null, override_by: null, override_reason: null }).execute();
    await setLinkedReports(trx, id, ids.ids);
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'advisory.draft', detail: { advisory: ident, reports: input.reportNumbers } }, now);
    return { ok: true as const, id, ident };
  });
}
