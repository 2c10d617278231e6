import type { Context } from '../../context.js';
import { decideBackInCycle, decideOutOfCycle } from '../../domain/releases/out-of-cycle.js';
import { conflict, invalid, lockFixedReport, recordReleaseEvent, saveRelease, type ReleaseOutcome } from './release-row.js';

export interface OutOfCycleInput {
  reportId: string;
  actorId: string;
  /** true: release it outside the windows; false: back into the windows. */
  outOfCycle: boolean;
  reason: string;
  /** The member marks the report urgent (needed when its severity is not one the policy names). */
  urgent?: boolean;
}

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

/**
 * Moves a fixed report to an out-of-cycle release, or back into the security windows. Either way
 * the decision is kept with who made it, when and why, goes on the report's timeline and into the
 * audit log, in one transaction. A shipped report's release is history and stays as it is.
 */
export async function decideReportOutOfCycle(deps: Deps, input: OutOfCycleInput): Promise<ReleaseOutcome> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const locked = await lockFixedReport(trx, input.reportId);
    if ('notFixed' in locked) return conflict(locked.notFixed);
    const { report, release } = locked;
    if (release?.shipped_at) return conflict(`report #${report.number} has shipped already (${release.shipped_date})`);
    const already = release?.out_of_cycle ?? false;
    if (already === input.outOfCycle) return conflict(input.outOfCycle ? `report #${report.number} is out of cycle already` : `report #${report.number} is planned in the security windows already`);
    if (input.outOfCycle) {
      const d = decideOutOfCycle(deps.policy, { severity: report.severity, urgent: input.urgent ?? false, reason: input.reason });
      if (!d.ok) return invalid(d.reason, d.field);
      await saveRelease(trx, report.id, { out_of_cycle: true, out_of_cycle_basis: d.basis, decided_at: now, decided_by: input.actorId, decision_reason: d.reason }, now);
      await recordReleaseEvent(trx, { reportId: report.id, actorId: input.actorId, kind: 'release_out_of_cycle', data: { basis: d.basis, severity: report.severity, reason: d.reason } }, now);
    } else {
      const d = decideBackInCycle({ reason: input.reason });
      if (!d.ok) return invalid(d.reason, d.field);
      await saveRelease(trx, report.id, { out_of_cycle: false, out_of_cycle_basis: null, decided_at: now, decided_by: input.actorId, decision_reason: d.reason }, now);
      await recordReleaseEvent(trx, { reportId: report.id, actorId: input.actorId, kind: 'release_in_cycle', data: { reason: d.reason } }, now);
    }
    return { ok: true as const };
  });
}
