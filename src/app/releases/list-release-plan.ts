import type { Db } from '../../adapters/db/open-database.js';
import type { Context } from '../../context.js';
import { groupByRelease, type PlanGroup } from '../../domain/releases/release-plan.js';
import { reportClocks, type StageClock } from '../../domain/reports/sla-status.js';
import { clockInput } from '../reports/report-for-team.js';
import { pausesByReport } from '../reports/report-pauses.js';

export interface ReleaseSummary {
  outOfCycle: boolean;
  basis: 'severity' | 'urgent' | null;
  /** The latest out-of-cycle decision (either way), if any. */
  decision: { at: Date; by: string | null; reason: string } | null;
  build: { repository: string; tag: string; digest: string; recordedAt: Date; by: string | null } | null;
  shipped: { in: 'window' | 'out_of_cycle' | 'release'; date: string; at: Date; by: string | null } | null;
}

export interface PlanReport {
  id: string;
  number: number;
  title: string;
  state: string;
  severity: string | null;
  cvssScore: number | null;
  fixedAt: Date;
  release: ReleaseSummary;
  /** The SLA's patch clock, when the policy has one. */
  patch: StageClock | null;
}

export interface ReleasePlan {
  groups: Array<PlanGroup<PlanReport>>;
  /** Shipped in the last SHIPPED_DAYS days, newest first. */
  shipped: PlanReport[];
}

export const SHIPPED_DAYS = 90;

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

/**
 * The release plan: fixed reports that have not shipped, grouped by the release they are planned
 * for (out of cycle, each security window, or "with the next release"), and what shipped lately.
 * A coordinator sees only the reports they were invited to.
 */
export async function listReleasePlan(deps: Deps, opts: { onlyGrantedTo?: string } = {}): Promise<ReleasePlan> {
  const now = deps.clock();
  const since = new Date(now.getTime() - SHIPPED_DAYS * 86_400_000);
  const rows = await loadPlanReports(deps, now, (q) => q.where((eb) => eb.or([eb.and([eb('r.state', '=', 'fixed'), eb('rr.shipped_at', 'is', null)]), eb('rr.shipped_at', '>=', since)])), opts.onlyGrantedTo);
  const open = rows.filter((r) => !r.release.shipped);
  const shipped = rows.filter((r) => r.release.shipped).sort((a, b) => b.release.shipped!.at.getTime() - a.release.shipped!.at.getTime());
  return { groups: groupByRelease(deps.policy, open, (r) => ({ fixedAt: r.fixedAt, outOfCycle: r.release.outOfCycle }), now), shipped };
}

function planQuery(db: Db) {
  return db
    .selectFrom('reports as r')
    .leftJoin('report_releases as rr', 'rr.report_id', 'r.id')
    .leftJoin('users as decider', 'decider.id', 'rr.decided_by')
    .leftJoin('users as builder', 'builder.id', 'rr.build_recorded_by')
    .leftJoin('users as shipper', 'shipper.id', 'rr.shipped_by')
    .select([
      'r.id',
      'r.number',
      'r.title',
      'r.state',
      'r.severity',
      'r.cvss_score',
      'r.received_at',
      'r.acknowledged_at',
      'r.triaged_at',
      'r.fixed_at',
      'r.disclosed_at',
      'rr.out_of_cycle',
      'rr.out_of_cycle_basis',
      'rr.decided_at',
      'rr.decision_reason',
      'decider.name as decided_by',
      'rr.build_repository',
      'rr.build_tag',
      'rr.build_digest',
      'rr.build_recorded_at',
      'builder.name as build_by',
      'rr.shipped_in',
      'rr.shipped_date',
      'rr.shipped_at',
      'shipper.name as shipped_by',
    ]);
}

type PlanQuery = ReturnType<typeof planQuery>;

/** Fixed (or shipped) reports with their release, as the plan shows them; `filter` narrows the query. */
export async function loadPlanReports(deps: Deps, now: Date, filter: (q: PlanQuery) => PlanQuery, onlyGrantedTo?: string): Promise<PlanReport[]> {
  let q = filter(planQuery(deps.db)).where('r.fixed_at', 'is not', null);
  if (onlyGrantedTo) {
    const userId = onlyGrantedTo;
    q = q.where((eb) => eb.exists(eb.selectFrom('coordinator_grants as g').select('g.report_id').whereRef('g.report_id', '=', 'r.id').where('g.user_id', '=', userId)));
  }
  const rows = await q.orderBy('r.fixed_at').orderBy('r.number').execute();
  const pauses = await pausesByReport(deps.db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    state: r.state,
    severity: r.severity,
    cvssScore: r.cvss_score,
    fixedAt: r.fixed_at!,
    release: {
      outOfCycle: r.out_of_cycle ?? false,
      basis: r.out_of_cycle_basis ?? null,
      decision: r.decided_at && r.decision_reason !== null ? { at: r.decided_at, by: r.decided_by, reason: r.decision_reason } : null,
      build: r.build_repository && r.build_tag && r.build_digest && r.build_recorded_at ? { repository: r.build_repository, tag: r.build_tag, digest: r.build_digest, recordedAt: r.build_recorded_at, by: r.build_by } : null,
      shipped: r.shipped_in && r.shipped_date && r.shipped_at ? { in: r.shipped_in, date: r.shipped_date, at: r.shipped_at, by: r.shipped_by } : null,
    },
    patch: reportClocks(deps.policy, clockInput({ ...r, severity: r.severity }), pauses.get(r.id) ?? [], now).find((c) => c.stage === 'patch') ?? null,
  }));
}
