import type { Db } from '../../adapters/db/open-database.js';
import type { AdvisoryState } from './store.js';

export interface AdvisoryListItem {
  ident: string;
  state: AdvisoryState;
  title: string;
  revision: number;
  scheduledFor: Date | null;
  publishedAt: Date | null;
  updatedAt: Date;
  reports: number[];
}

const ORDER: Record<AdvisoryState, number> = { scheduled: 0, draft: 1, published: 2, withdrawn: 3 };

/** Every advisory for the team: scheduled first (soonest first), then drafts, then published and withdrawn ones (newest first). */
export async function listAdvisories(db: Db): Promise<AdvisoryListItem[]> {
  const rows = await db.selectFrom('advisories').select(['id', 'ident', 'state', 'document', 'revision', 'scheduled_for', 'published_at', 'updated_at']).execute();
  const links = await db.selectFrom('advisory_reports as l').innerJoin('reports as r', 'r.id', 'l.report_id').select(['l.advisory_id', 'r.number']).orderBy('r.number').execute();
  return rows
    .map((r) => ({
      ident: r.ident,
      state: r.state,
      title: typeof r.document.title === 'string' ? r.document.title : r.ident,
      revision: r.revision,
      scheduledFor: r.scheduled_for,
      publishedAt: r.published_at,
      updatedAt: r.updated_at,
      reports: links.filter((l) => l.advisory_id === r.id).map((l) => l.number),
    }))
    .sort(
      (a, b) =>
        ORDER[a.state] - ORDER[b.state] ||
        (a.state === 'scheduled' ? (a.scheduledFor?.getTime() ?? 0) - (b.scheduledFor?.getTime() ?? 0) : 0) ||
        (b.publishedAt?.getTime() ?? b.updatedAt.getTime()) - (a.publishedAt?.getTime() ?? a.updatedAt.getTime()) ||
        b.ident.localeCompare(a.ident),
    );
}
