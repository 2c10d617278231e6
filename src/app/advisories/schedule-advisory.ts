import type { Context } from '../../context.js';
import { publishPlan, type PublishPlan } from '../../domain/advisories/embargo.js';
import type { Role } from '../team-sessions.js';
import { appendAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { refuse, type Refusal } from './check-advisory.js';
import { fixesMissing, linkedReleases, storedAdvisory } from './advisory-facts.js';
import { lockAdvisory } from './store.js';

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

export const OVERRIDE_REASON_MAX = 2000;

export interface ScheduleAdvisoryInput {
  id: string;
  actor: { id: string; role: Role };
  /** An admin publishes without a fixed build in the inventory, and says why. */
  override?: { reason: string };
}

/**
 * Schedules a draft (or reschedules a scheduled advisory) for the moment the policy assigns
 * (disclosure.publish: the next security window, with the fix's release, or now). It needs a
 * fixed build in the inventory for every affected repository, or an admin's override with a
 * reason, which is audited. The publish job then publishes it on time.
 */
export async function scheduleAdvisory(deps: Deps, input: ScheduleAdvisoryInput): Promise<{ ok: true; plan: PublishPlan; override: boolean } | Refusal> {
  let reason: string | null = null;
  if (input.override) {
    if (input.actor.role !== 'admin') throw new AppError('forbidden', 'Only an admin may publish without a fixed build.');
    reason = input.override.reason.trim();
    if (reason === '') return refuse('invalid_input', 'say why the advisory is published without a fixed build', [{ path: ['overrideReason'], message: 'say why: the override is recorded with its reason' }]);
    if (reason.length > OVERRIDE_REASON_MAX) return refuse('invalid_input', 'the reason is too long', [{ path: ['overrideReason'], message: `is at most ${OVERRIDE_REASON_MAX} characters` }]);
  }
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockAdvisory(trx, input.id);
    if (row.state !== 'draft' && row.state !== 'scheduled') return refuse('conflict', `${row.ident} is ${row.state} already`);
    const advisory = storedAdvisory(row);
    const missing = await fixesMissing(trx, deps.policy, advisory);
    if (missing.length > 0 && reason === null) return refuse('conflict', `no fixed build yet: ${missing.map((m) => m.reason).join('; ')}. An admin may publish without one, with a reason`);
    const plan = publishPlan(deps.policy, await linkedReleases(trx, row.id), now);
    await trx
      .updateTable('advisories')
      .set({ state: 'scheduled', scheduled_for: plan.at, scheduled_by: input.actor.id, override_by: reason === null ? null : input.actor.id, override_reason: reason, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    const detail = { advisory: row.ident, scheduledFor: plan.at.toISOString(), basis: plan.basis, ...(plan.window ? { window: plan.window.date } : {}) };
    await appendAudit(trx, { actorKind: 'user', actorId: input.actor.id, action: 'advisory.schedule', detail }, now);
    if (reason !== null) await appendAudit(trx, { actorKind: 'user', actorId: input.actor.id, action: 'advisory.override', detail: { advisory: row.ident, reason, missing: missing.map((m) => m.reason) } }, now);
    return { ok: true as const, plan, override: reason !== null };
  });
}
