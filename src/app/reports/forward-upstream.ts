import type { Context } from '../../context.js';
import { appendAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { outOfScopeArea } from './reporter-notices.js';

export type ForwardOutcome =
  | { ok: true; upstream: { name: string; contact: string }; text: string }
  | { ok: false; reason: string };

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

/**
 * A report that overlaps with an upstream project goes to that project's security contact — but
 * only with the reporter's consent, which they give on their view of the report. Records the
 * forward on the timeline (the reporter sees it) and in the audit log, and returns the text to
 * send with the contact to send it to (the mail channel sends it itself).
 */
export async function forwardUpstream(deps: Deps, input: { reportId: string; actorId: string; area: string }): Promise<ForwardOutcome> {
  const area = outOfScopeArea(deps.policy, input.area);
  if (!area?.upstream) return { ok: false, reason: `the policy names no upstream contact for "${input.area}"` };
  const upstream = area.upstream;
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('reports').selectAll().where('id', '=', input.reportId).forUpdate().executeTakeFirst();
    if (!r) throw new AppError('not_found', 'There is no such report.');
    if (!r.upstream_consent) return { ok: false as const, reason: 'the reporter has not agreed to share this report with the upstream project; ask them in a message' };
    const data = { upstream: upstream.name, contact: upstream.contact, area: area.area };
    await trx.insertInto('report_events').values({ report_id: r.id, at: now, actor_kind: 'user', actor_id: input.actorId, kind: 'forwarded_upstream', data, visible: true }).execute();
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'report.forward_upstream', reportId: r.id, detail: data }, now);
    const text = [
      `Forwarded by the ${deps.policy.project.name} security team, with the reporter's consent.`,
      '',
      `Title: ${r.title}`,
      r.image ? `Image: ${r.image}${r.tag ? `:${r.tag}` : ''}` : null,
      r.cvss_vector ? `CVSS: ${r.cvss_vector} (${r.cvss_score})` : null,
      '',
      'Description:',
      r.description,
      r.steps ? `\nSteps to reproduce:\n${r.steps}` : null,
      r.impact ? `\nImpact:\n${r.impact}` : null,
      r.credit_name ? `\nReported by ${r.credit_name}, who wishes to be credited.` : null,
    ]
      .filter((l) => l !== null)
      .join('\n');
    return { ok: true as const, upstream, text };
  });
}

/** The reporter agrees (or no longer agrees) to share their report with an upstream project. */
export async function setUpstreamConsent(deps: Pick<Context, 'db' | 'clock'>, input: { reportId: string; consent: boolean }): Promise<void> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('reports').select(['id', 'upstream_consent']).where('id', '=', input.reportId).forUpdate().executeTakeFirst();
    if (!r) throw new AppError('not_found', 'There is no such report.');
    if (r.upstream_consent === input.consent) return;
    await trx.updateTable('reports').set({ upstream_consent: input.consent, updated_at: now }).where('id', '=', r.id).execute();
    await trx.insertInto('report_events').values({ report_id: r.id, at: now, actor_kind: 'reporter', actor_id: null, kind: input.consent ? 'upstream_consent_given' : 'upstream_consent_withdrawn', data: {}, visible: true }).execute();
    await appendAudit(trx, { actorKind: 'reporter', action: 'report.upstream_consent', reportId: r.id, detail: { consent: input.consent } }, now);
  });
}
