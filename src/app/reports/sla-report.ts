import type { Context } from '../../context.js';
import { slaPerformance, type StagePerformance } from '../../domain/reports/sla-performance.js';
import { reportClocks } from '../../domain/reports/sla-status.js';
import { clockInput } from './report-for-team.js';
import { pausesByReport } from './report-pauses.js';

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
  const pausesOf = await pausesByReport(deps.db, rows.map((r) => r.id));
  const inputs = rows.map((r) => ({ receivedAt: r.received_at, clocks: reportClocks(deps.policy, clockInput(r), pausesOf.get(r.id) ?? [], now) }));
  return { since, reports: rows.length, stages: slaPerformance(inputs) };
}
