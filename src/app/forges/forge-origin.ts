import type { Db } from '../../adapters/db/open-database.js';

export interface ForgeCommentView {
  state: 'pending' | 'posted' | 'failed';
  url: string | null;
  error: string | null;
  postedAt: Date | null;
}

/** Where an imported report came from, and which of its messages went back there. */
export interface ForgeOrigin {
  forge: 'github' | 'gitlab';
  externalId: string;
  project: string;
  issueIid: number | null;
  url: string;
  reporterLogin: string | null;
  via: 'poll' | 'webhook' | 'backfill';
  importedAt: Date;
  data: Record<string, unknown>;
  /** By message id. */
  comments: Record<string, ForgeCommentView>;
}

/** The forge side of a report for the team's report page; null for reports from the desk's own channels. */
export async function forgeOrigin(db: Db, reportId: string): Promise<ForgeOrigin | null> {
  const row = await db.selectFrom('forge_imports').selectAll().where('report_id', '=', reportId).executeTakeFirst();
  if (!row) return null;
  const comments = await db.selectFrom('forge_comments').select(['message_id', 'state', 'url', 'error', 'posted_at']).where('report_id', '=', reportId).execute();
  return {
    forge: row.forge,
    externalId: row.external_id,
    project: row.project,
    issueIid: row.issue_iid,
    url: row.url,
    reporterLogin: row.reporter_login,
    via: row.via,
    importedAt: row.imported_at,
    data: row.data,
    comments: Object.fromEntries(comments.map((c) => [c.message_id, { state: c.state, url: c.url, error: c.error, postedAt: c.posted_at }])),
  };
}
