import type { Context } from '../../context.js';
import { REPORT_STATES, type ReportAction, type ReportState } from '../../domain/reports/states.js';
import { applyTransition } from './apply-transition.js';
import { appendAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { outOfScopeArea, scopeNotice } from './reporter-notices.js';

export interface TransitionInput {
  reportId: string;
  actorId: string;
  action: ReportAction;
  /** For out-of-scope and upstream rejections: the policy's out-of-scope area; the reporter is told where to go. */
  scopeArea?: string;
}

export type TransitionOutcome = { ok: true; from: ReportState; to: ReportState } | { ok: false; reason: string };

type Deps = Pick<Context, 'db' | 'policy' | 'clock' | 'newId'>;

/**
 * A team member moves a report along its states. The decision is the domain's; this stamps the
 * clocks, opens or closes the waiting-on-reporter pause, records the timeline and audit entry, and
 * tells the reporter where to go when the report belongs upstream — all in one transaction.
 */
export async function transitionReport(deps: Deps, input: TransitionInput): Promise<TransitionOutcome> {
  const now = deps.clock();
  const action = await resolveAction(deps, input);
  if (!action.ok) return action;
  return deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('reports').selectAll().where('id', '=', input.reportId).forUpdate().executeTakeFirst();
    if (!r) throw new AppError('not_found', 'There is no such report.');
    if (!(REPORT_STATES as readonly string[]).includes(r.state)) throw new AppError('internal', `report ${r.id} is in an unknown state ${r.state}`);
    const rejection = action.action.type === 'reject' ? action.action : null;
    const detail = rejection ? { reason: rejection.reason, ...(input.scopeArea ? { scopeArea: input.scopeArea } : {}) } : {};
    const set = rejection
      ? { rejection_reason: rejection.reason, duplicate_of: rejection.duplicateOf ?? null, scope_area: input.scopeArea ?? r.scope_area }
      : action.action.type === 'reopen'
        ? { rejection_reason: null, duplicate_of: null }
        : {};
    const decision = await applyTransition(trx, r, action.action, { kind: 'user', id: input.actorId }, now, { set, data: detail });
    if (!decision.ok) return decision;
    const data = { from: decision.from, to: decision.to, action: action.action.type, ...detail };
    if (rejection && input.scopeArea && (rejection.reason === 'out_of_scope' || rejection.reason === 'upstream')) {
      await trx
        .insertInto('messages')
        .values({ id: deps.newId(), report_id: r.id, at: now, author_kind: 'system', author_id: null, internal: false, body: scopeNotice(deps.policy, r.language, input.scopeArea) })
        .execute();
    }
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'report.transition', reportId: r.id, detail: data }, now);
    return { ok: true as const, from: decision.from, to: decision.to };
  });
}

/** Checks what the action refers to: the duplicate report (by number or id) and the out-of-scope area. */
async function resolveAction(deps: Deps, input: TransitionInput): Promise<{ ok: true; action: ReportAction } | { ok: false; reason: string }> {
  const a = input.action;
  if (a.type !== 'reject') return { ok: true, action: a };
  if (a.reason === 'duplicate') {
    const ref = (a.duplicateOf ?? '').replace(/^#/, '').trim();
    const q = deps.db.selectFrom('reports').select('id');
    const other = /^\d+$/.test(ref) ? await q.where('number', '=', Number(ref)).executeTakeFirst() : /^[0-9a-f-]{36}$/i.test(ref) ? await q.where('id', '=', ref).executeTakeFirst() : undefined;
    if (!other) return { ok: false, reason: `a duplicate must name an existing report (got "${a.duplicateOf ?? ''}")` };
    if (other.id === input.reportId) return { ok: false, reason: 'a report cannot duplicate itself' };
    return { ok: true, action: { ...a, duplicateOf: other.id } };
  }
  if (a.reason === 'out_of_scope' || a.reason === 'upstream') {
    if (!input.scopeArea) return { ok: false, reason: 'name the out-of-scope area of the policy that the report falls in' };
    const area = outOfScopeArea(deps.policy, input.scopeArea);
    if (!area) return { ok: false, reason: `"${input.scopeArea}" is not an out-of-scope area of the policy` };
    if (a.reason === 'upstream' && !area.upstream) return { ok: false, reason: `the policy names no upstream contact for "${area.area}"` };
  }
  return { ok: true, action: a };
}
