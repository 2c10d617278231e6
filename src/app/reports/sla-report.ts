import type { Context } from '../../context.js';
import { slaPerformance, type StagePerformance } from '../../domain/reports/sla-performance.js';
import { reportClocks } from '../../domain/reports/sla-status.js';
import { clockInput } from './report-for-team.js';

export const PERFORMANCE_DAYS = 90;

/** The project's SLA performance over the reports received in the last 90 days. */
export async function slaReport(deps: Pick<Context, 'db' | 'policy' | 'clock'>): Promise<{ since: Date; reports: number; stages: StagePerformance[] }> {
  const now = deps.clock();
  const since = new Date(now.getTime() - PERFORMANCE_DAYS * 86_400_000);
  const rows = await deps.db
    .selectFrom('reports')
    .select(['id', 'state', 'received_at', 'acknowledged_at', 'triaged_at', 'fixed_at', 'disclosed_at', 'severity'])
    .where('received_at', '>=', since)
    .execute();
  const pauses = rows.length
    ? await deps.db
        .selectFrom('report_pauses')
        .innerJoin('reports', 'reports.id', 'report_pauses.report_id')
        .select(['report_pauses.report_id', 'report_pauses.started_at', 'report_pauses.ended_at'])
        .where('reports.received_at', '>=', since)
        .execute()
    : [];
  const pausesOf = new Map<string, Array<{ from: Date; to: Date | null }>>();
  for (const p of pauses) pausesOf.set(p.report_id, [...(pausesOf.get(p.report_id) ?? []), { from: p.started_at, to: p.ended_at }]);
  const inputs = rows.map((r) => ({ receivedAt: r.received_at, clocks: reportClocks(deps.policy, clockInput(r), pausesOf.get(r.id) ?? [], now) }));
  return { since, reports: rows.length, stages: slaPerformance(inputs) };
}
