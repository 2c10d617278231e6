import type { Context } from '../../context.js';
import { appendAudit } from '../audit.js';
import { asStored, canonicalJson, checkAdvisory, DESK_FIELDS, editablePart, isoSeconds, refuse, type Refusal } from './check-advisory.js';
import { freezeRevision } from './freeze-advisory.js';
import { reportIdsOf } from './linked-report-ids.js';
import { linkedReports, lockAdvisory, setLinkedReports } from './store.js';

type Deps = Pick<Context, 'db' | 'policy' | 'config' | 'clock'>;

export interface UpdateAdvisoryInput {
  id: string;
  actorId: string;
  reportNumbers: number[];
  /** The editor's document (the desk keeps id, status, dates and revisions). */
  document: Record<string, unknown>;
  /** What changed, in a sentence: required once the advisory is public (it becomes the revision's summary). */
  changeSummary?: string;
}

export const CHANGE_SUMMARY_MAX = 2000;

/**
 * Saves the editor's document. A draft or scheduled advisory just changes (a scheduled one stays
 * scheduled: publishing checks it again). A published one gets a new revision with the summary of
 * the change, kept in advisory_revisions and in the document's revision history, and frozen
 * against the inventory as it is now (freeze-advisory.ts). A withdrawn one stays as it was withdrawn.
 */
export async function updateAdvisory(deps: Deps, input: UpdateAdvisoryInput): Promise<{ ok: true; revision: number | null } | Refusal> {
  const ids = await reportIdsOf(deps.db, input.reportNumbers);
  if (!ids.ok) return ids;
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockAdvisory(trx, input.id);
    if (row.state === 'withdrawn') return refuse('conflict', `${row.ident} was withdrawn; a withdrawn advisory is not changed`);
    const stored = row.document;
    const kept = Object.fromEntries(DESK_FIELDS.filter((k) => stored[k] !== undefined).map((k) => [k, stored[k]]));
    const published = row.state === 'published';
    const summary = (input.changeSummary ?? '').trim();
    if (published && summary === '') return refuse('invalid_input', 'say what changed', [{ path: ['changeSummary'], message: 'say what changed: a published advisory gets a new revision with this summary' }]);
    if (summary.includes('\u0000')) return refuse('invalid_input', 'the summary of the change holds a NUL character', [{ path: ['changeSummary'], message: 'must not contain a NUL character' }]);
    if (summary.length > CHANGE_SUMMARY_MAX) return refuse('invalid_input', 'the summary of the change is too long', [{ path: ['changeSummary'], message: `is at most ${CHANGE_SUMMARY_MAX} characters` }]);
    const revisions = Array.isArray(kept.revisions) ? [...(kept.revisions as unknown[])] : [];
    if (published) revisions.push({ date: isoSeconds(now), summary });
    const checked = await checkAdvisory({ db: trx, policy: deps.policy }, { ...editablePart(input.document), ...kept, ...(published ? { revisions } : {}) });
    if (!checked.ok) return refuse('invalid_input', 'the advisory has problems', checked.problems);
    const document = asStored(checked.advisory);
    const before = (await linkedReports(trx, row.id)).map((r) => r.id).sort();
    const sameLinks = JSON.stringify(before) === JSON.stringify([...new Set(ids.ids)].sort());
    if (!published && sameLinks && canonicalJson(document) === canonicalJson(row.document)) return { ok: true as const, revision: null };
    const revision = published ? row.revision + 1 : row.revision;
    await trx.updateTable('advisories').set({ document, revision, updated_at: now }).where('id', '=', row.id).execute();
    if (!sameLinks) await setLinkedReports(trx, row.id, ids.ids);
    if (published) {
      await trx.insertInto('advisory_revisions').values({ advisory_id: row.id, revision, document, at: now, by: input.actorId, summary }).execute();
      await freezeRevision(trx, deps, { advisoryId: row.id, revision, document, ident: row.ident, at: now });
    }
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'advisory.update', detail: { advisory: row.ident, state: row.state, ...(published ? { revision, summary } : {}), ...(sameLinks ? {} : { reports: input.reportNumbers }) } }, now);
    return { ok: true as const, revision: published ? revision : null };
  });
}
