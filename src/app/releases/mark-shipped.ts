import type { Context } from '../../context.js';
import { decideShipment, localDate, plannedRelease, shippableWindows } from '../../domain/releases/release-plan.js';
import { calendarOf } from '../../domain/reports/sla-plan.js';
import { conflict, invalid, lockFixedReport, recordReleaseEvent, saveRelease, type ReleaseOutcome } from './release-row.js';

export interface ShippedInput {
  reportId: string;
  actorId: string;
  /**
   * YYYY-MM-DD in the policy's zone: the window it shipped in, or the day of an out-of-cycle (or,
   * without windows, plain) release. By default the latest window since the fix, or today.
   */
  date?: string;
}

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

/**
 * Records that a fixed report's fix has shipped: in a security window (the one it was planned for,
 * or a later one it was carried over to), or out of cycle on a date. With images in the policy the
 * fix build must be recorded first: the shipment is that build.
 */
export async function markShipped(deps: Deps, input: ShippedInput): Promise<ReleaseOutcome> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const locked = await lockFixedReport(trx, input.reportId);
    if ('notFixed' in locked) return conflict(locked.notFixed);
    const { report, release } = locked;
    const fixedAt = report.fixed_at!;
    if (release?.shipped_at) return conflict(`report #${report.number} has shipped already (${release.shipped_date})`);
    if (deps.policy.project.images.length > 0 && !release?.build_digest) return conflict(`record the fix build of report #${report.number} (the image tag that carries the fix) before marking it shipped`);
    const facts = { fixedAt, outOfCycle: release?.out_of_cycle ?? false };
    let date = input.date?.trim() || undefined;
    if (!date) {
      const planned = plannedRelease(deps.policy, facts, now);
      if (planned.kind === 'window') {
        date = shippableWindows(deps.policy, fixedAt, now)[0]?.date;
        if (!date) return conflict(`no security window has come since report #${report.number} was fixed; it is planned for ${planned.window.date}`);
      } else date = localDate(now, calendarOf(deps.policy));
    }
    const d = decideShipment(deps.policy, facts, date, now);
    if (!d.ok) return invalid(d.reason, 'date');
    await saveRelease(trx, report.id, { shipped_in: d.shippedIn, shipped_date: d.date, shipped_at: now, shipped_by: input.actorId }, now);
    const data = { shippedIn: d.shippedIn, date: d.date, ...(release?.build_digest ? { repository: release.build_repository, tag: release.build_tag, digest: release.build_digest } : {}) };
    await recordReleaseEvent(trx, { reportId: report.id, actorId: input.actorId, kind: 'release_shipped', data }, now);
    return { ok: true as const };
  });
}
