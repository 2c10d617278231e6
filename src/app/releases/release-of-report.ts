import type { Context } from '../../context.js';
import type { ReleaseWindow } from '../../domain/calendar/index.js';
import type { Severity } from '../../domain/policy/schema-sla.js';
import { outOfCycleSeverities } from '../../domain/releases/out-of-cycle.js';
import { plannedRelease, shippableWindows, type PlannedRelease } from '../../domain/releases/release-plan.js';
import { loadPlanReports, type PlanReport } from './list-release-plan.js';

export interface ReportReleaseView {
  report: PlanReport;
  /** Where it goes; null once shipped. */
  planned: PlannedRelease | null;
  /** The windows it may be recorded as shipped in (newest first). */
  shippable: ReleaseWindow[];
  outOfCycleSeverities: readonly Severity[];
  /** The policy's repositories (and any other synced one) with their most recently changed tags, to pick the fix build from. */
  repositories: Array<{ name: string; recentTags: string[] }>;
}

/** Tags offered per repository; any other tag of the inventory can still be typed. */
export const RECENT_TAGS = 30;

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

/** The release panel of the report page: null while the report is not fixed and has not shipped. */
export async function releaseOfReport(deps: Deps, reportId: string): Promise<ReportReleaseView | null> {
  const now = deps.clock();
  const [row] = await loadPlanReports(deps, now, (q) => q.where('r.id', '=', reportId));
  if (!row || (row.state !== 'fixed' && !row.release.shipped)) return null;
  const synced = await deps.db.selectFrom('image_repositories').select('name').orderBy('name').execute();
  const names = [...new Set([...deps.policy.project.images.map((i) => i.name), ...synced.map((s) => s.name)])];
  const repositories = await Promise.all(
    names.map(async (name) => {
      const tags = await deps.db.selectFrom('image_tags').select('tag').where('repository', '=', name).orderBy('changed_at', 'desc').orderBy('tag').limit(RECENT_TAGS).execute();
      return { name, recentTags: tags.map((t) => t.tag) };
    }),
  );
  const facts = { fixedAt: row.fixedAt, outOfCycle: row.release.outOfCycle };
  return {
    report: row,
    planned: row.release.shipped ? null : plannedRelease(deps.policy, facts, now),
    shippable: row.release.shipped ? [] : shippableWindows(deps.policy, row.fixedAt, now),
    outOfCycleSeverities: outOfCycleSeverities(deps.policy),
    repositories,
  };
}
