import type { Db } from '../../adapters/db/open-database.js';
import type { Report, ReportReleasesTable } from '../../adapters/db/tables.js';
import type { Selectable, Updateable } from 'kysely';
import { appendAudit } from '../audit.js';
import { AppError } from '../errors.js';

export type ReleaseRow = Selectable<ReportReleasesTable>;

/** What a release change answers: done, or why not (bad input is 400, a report in the wrong state 409). */
export type ReleaseOutcome = { ok: true } | { ok: false; code: 'invalid_input' | 'conflict'; field?: string; reason: string };

export const invalid = (reason: string, field?: string): ReleaseOutcome => ({ ok: false, code: 'invalid_input', reason, ...(field ? { field } : {}) });
export const conflict = (reason: string): ReleaseOutcome => ({ ok: false, code: 'conflict', reason });

/**
 * The report and its release row, locked for the change, inside the caller's transaction. Only a
 * fixed report has a release: anything earlier has no fix to ship, a disclosed one has shipped.
 */
export async function lockFixedReport(trx: Db, reportId: string): Promise<{ report: Report; release: ReleaseRow | null } | { report: Report; notFixed: string }> {
  const report = await trx.selectFrom('reports').selectAll().where('id', '=', reportId).forUpdate().executeTakeFirst();
  if (!report) throw new AppError('not_found', 'There is no such report.');
  const release = (await trx.selectFrom('report_releases').selectAll().where('report_id', '=', reportId).forUpdate().executeTakeFirst()) ?? null;
  if (report.state !== 'fixed' || !report.fixed_at) return { report, notFixed: `report #${report.number} is ${report.state.replace(/_/g, ' ')}, not fixed: only a fixed report is planned for a release` };
  return { report, release };
}

/** Creates or changes the report's release row. */
export async function saveRelease(trx: Db, reportId: string, set: Updateable<ReportReleasesTable>, now: Date): Promise<void> {
  await trx
    .insertInto('report_releases')
    .values({ report_id: reportId, out_of_cycle: false, ...set, updated_at: now })
    .onConflict((oc) => oc.column('report_id').doUpdateSet({ ...set, updated_at: now }))
    .execute();
}

/** Timeline kinds; in the audit log they read report.release.out_of_cycle and so on. */
export type ReleaseEventKind = 'release_out_of_cycle' | 'release_in_cycle' | 'release_fix_build' | 'release_shipped';

/** The change on the report's timeline (team only: release planning is the team's business) and in the audit log. */
export async function recordReleaseEvent(trx: Db, input: { reportId: string; actorId: string; kind: ReleaseEventKind; data: Record<string, unknown> }, now: Date): Promise<void> {
  await trx.insertInto('report_events').values({ report_id: input.reportId, at: now, actor_kind: 'user', actor_id: input.actorId, kind: input.kind, data: input.data, visible: false }).execute();
  await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: `report.${input.kind.replace('_', '.')}`, reportId: input.reportId, detail: input.data }, now);
}
