import type { Context } from '../../context.js';
import { parseCvss } from '../../domain/advisories/cvss.js';
import { appendAudit } from '../audit.js';
import { AppError } from '../errors.js';

/** What the team sets on a report; an absent field is left as it is, null clears it. */
export interface ReportDetailsInput {
  reportId: string;
  actorId: string;
  /** A CVSS 3.1 or 4.0 vector: the score and severity are computed from it. */
  cvss?: string | null;
  cwe?: string | null;
  assigneeId?: string | null;
  /** An in-scope area of the policy the report concerns. */
  scopeArea?: string | null;
}

export type UpdateOutcome = { ok: true; changed: string[] } | { ok: false; field: string; reason: string };

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

const CWE = /^CWE-[1-9]\d{0,4}$/;

export async function updateReportDetails(deps: Deps, input: ReportDetailsInput): Promise<UpdateOutcome> {
  const set: Record<string, unknown> = {};
  if (input.cvss !== undefined) {
    if (input.cvss === null || input.cvss.trim() === '') Object.assign(set, { cvss_vector: null, cvss_score: null, severity: null });
    else {
      const c = parseCvss(input.cvss);
      if (!c.ok) return { ok: false, field: 'cvss', reason: c.message };
      Object.assign(set, { cvss_vector: c.vector, cvss_score: c.score, severity: c.severity });
    }
  }
  if (input.cwe !== undefined) {
    const cwe = input.cwe?.trim().toUpperCase() || null;
    if (cwe && !CWE.test(cwe)) return { ok: false, field: 'cwe', reason: `"${input.cwe}" is not a CWE id such as CWE-79` };
    set.cwe = cwe;
  }
  if (input.scopeArea !== undefined) {
    if (input.scopeArea && !deps.policy.scope.inScope.includes(input.scopeArea)) return { ok: false, field: 'scopeArea', reason: `"${input.scopeArea}" is not an in-scope area of the policy` };
    set.scope_area = input.scopeArea || null;
  }
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    if (input.assigneeId !== undefined) {
      if (input.assigneeId) {
        const u = await trx.selectFrom('users').select(['id', 'role']).where('id', '=', input.assigneeId).where('removed_at', 'is', null).executeTakeFirst();
        if (!u || u.role === 'coordinator') return { ok: false as const, field: 'assigneeId', reason: 'reports are assigned to members of the security team' };
      }
      set.assignee_id = input.assigneeId || null;
    }
    const before = await trx.selectFrom('reports').select(['id', 'cvss_vector', 'cwe', 'assignee_id', 'scope_area', 'severity']).where('id', '=', input.reportId).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', 'There is no such report.');
    const changed = Object.keys(set).filter((k) => (before as Record<string, unknown>)[k] !== undefined && (before as Record<string, unknown>)[k] !== set[k]);
    if (changed.length === 0) return { ok: true as const, changed };
    await trx.updateTable('reports').set({ ...set, updated_at: now }).where('id', '=', before.id).execute();
    const data = Object.fromEntries(changed.map((k) => [k, set[k]]));
    await trx.insertInto('report_events').values({ report_id: before.id, at: now, actor_kind: 'user', actor_id: input.actorId, kind: 'details', data, visible: false }).execute();
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'report.update', reportId: before.id, detail: data }, now);
    return { ok: true as const, changed };
  });
}
