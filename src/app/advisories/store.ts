/**
 * The advisory store (migration 0009): rows, revisions, linked reports, and the inventories the
 * model resolves against. `listPublicAdvisories` is the one place public code reads advisories
 * from: it returns published and withdrawn advisories only, never a draft or a scheduled one.
 */
import { sql, type Selectable } from 'kysely';
import type { Db } from '../../adapters/db/open-database.js';
import type { AdvisoriesTable } from '../../adapters/db/tables.js';
import type { InventoryTag } from '../../domain/advisories/resolve.js';
import type { AdvisoryInput } from '../../domain/advisories/schema.js';
import { AppError } from '../errors.js';

export type AdvisoryRow = Selectable<AdvisoriesTable>;
export type AdvisoryState = AdvisoryRow['state'];

export interface RevisionEntry {
  revision: number;
  at: Date;
  summary: string;
}

export interface PublicAdvisory {
  ident: string;
  state: 'published' | 'withdrawn';
  /** The model's input document as published (status final, published date, revisions, withdrawn). */
  document: AdvisoryInput;
  revisions: RevisionEntry[];
  published_at: Date;
  updated_at: Date;
  withdrawn_at: Date | null;
  withdrawn_reason: string | null;
}

/** Published and withdrawn advisories, newest publication first, each with its revisions (oldest first). */
export async function listPublicAdvisories(db: Db): Promise<PublicAdvisory[]> {
  const rows = await db
    .selectFrom('advisories')
    .select(['id', 'ident', 'state', 'document', 'published_at', 'updated_at', 'withdrawn_at', 'withdrawn_reason'])
    .where('state', 'in', ['published', 'withdrawn'])
    .where('published_at', 'is not', null)
    .orderBy('published_at', 'desc')
    .orderBy('ident', 'desc')
    .execute();
  if (rows.length === 0) return [];
  const revs = await db
    .selectFrom('advisory_revisions')
    .select(['advisory_id', 'revision', 'at', 'summary'])
    .where(
      'advisory_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('advisory_id')
    .orderBy('revision')
    .execute();
  const byId = new Map<string, RevisionEntry[]>();
  for (const r of revs) byId.set(r.advisory_id, [...(byId.get(r.advisory_id) ?? []), { revision: r.revision, at: r.at, summary: r.summary }]);
  return rows.map((r) => ({
    ident: r.ident,
    state: r.state as 'published' | 'withdrawn',
    document: r.document as AdvisoryInput,
    revisions: byId.get(r.id) ?? [],
    published_at: r.published_at as Date,
    updated_at: r.updated_at,
    withdrawn_at: r.withdrawn_at,
    withdrawn_reason: r.withdrawn_reason,
  }));
}

/** One advisory by its public name (any state: team use only). */
export async function findAdvisoryByIdent(db: Db, ident: string): Promise<AdvisoryRow | undefined> {
  return db.selectFrom('advisories').selectAll().where('ident', '=', ident).executeTakeFirst();
}

/** The row, locked for a change inside the caller's transaction. */
export async function lockAdvisory(trx: Db, id: string): Promise<AdvisoryRow> {
  const row = await trx.selectFrom('advisories').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw new AppError('not_found', 'There is no such advisory.');
  return row;
}

/** The next public name of the year: CVDESK-2026-0001, -0002, ... Call inside a transaction; the table lock orders concurrent drafts. */
export async function nextIdent(trx: Db, year: number): Promise<string> {
  await sql`lock table advisories in share row exclusive mode`.execute(trx);
  const prefix = `CVDESK-${year}-`;
  const rows = await trx.selectFrom('advisories').select('ident').where('ident', 'like', `${prefix}%`).execute();
  const highest = rows.reduce((n, r) => Math.max(n, Number(r.ident.slice(prefix.length)) || 0), 0);
  return `${prefix}${String(highest + 1).padStart(4, '0')}`;
}

export interface LinkedReport {
  id: string;
  number: number;
  title: string;
  state: string;
  received_at: Date;
  fixed_at: Date | null;
  credit_name: string | null;
  severity: string | null;
}

/** The reports an advisory discloses, by number. */
export async function linkedReports(db: Db, advisoryId: string): Promise<LinkedReport[]> {
  return db
    .selectFrom('advisory_reports as l')
    .innerJoin('reports as r', 'r.id', 'l.report_id')
    .select(['r.id', 'r.number', 'r.title', 'r.state', 'r.received_at', 'r.fixed_at', 'r.credit_name', 'r.severity'])
    .where('l.advisory_id', '=', advisoryId)
    .orderBy('r.number')
    .execute();
}

/** The advisories that name a report (for its page). */
export async function advisoriesOfReport(db: Db, reportId: string): Promise<Array<Pick<AdvisoryRow, 'ident' | 'state' | 'document'>>> {
  return db
    .selectFrom('advisory_reports as l')
    .innerJoin('advisories as a', 'a.id', 'l.advisory_id')
    .select(['a.ident', 'a.state', 'a.document'])
    .where('l.report_id', '=', reportId)
    .orderBy('a.ident')
    .execute();
}

/** Replaces an advisory's linked reports (inside the caller's transaction). */
export async function setLinkedReports(trx: Db, advisoryId: string, reportIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('advisory_reports').where('advisory_id', '=', advisoryId).execute();
  const unique = [...new Set(reportIds)];
  if (unique.length) await trx.insertInto('advisory_reports').values(unique.map((report_id) => ({ advisory_id: advisoryId, report_id }))).execute();
}

/** The inventory of each named repository as the resolver reads it (tag → current digest). */
export async function inventoriesOf(db: Db, repositories: readonly string[]): Promise<Map<string, InventoryTag[]>> {
  const out = new Map<string, InventoryTag[]>();
  if (repositories.length === 0) return out;
  const rows = await db.selectFrom('image_tags').select(['repository', 'tag', 'digest']).where('repository', 'in', [...repositories]).orderBy('repository').orderBy('tag').execute();
  for (const r of rows) {
    let tags = out.get(r.repository);
    if (!tags) out.set(r.repository, (tags = []));
    tags.push({ tag: r.tag, digest: r.digest });
  }
  return out;
}

/** Every digest the inventory knows of each repository: under a tag now, or fetched once (a tag may have moved on since). */
export async function knownDigestsOf(db: Db, repositories: readonly string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (repositories.length === 0) return out;
  const names = [...repositories];
  const [tags, manifests] = await Promise.all([
    db.selectFrom('image_tags').select(['repository', 'digest']).where('repository', 'in', names).execute(),
    db.selectFrom('image_manifests').select(['repository', 'digest']).where('repository', 'in', names).execute(),
  ]);
  for (const r of [...tags, ...manifests]) {
    let set = out.get(r.repository);
    if (!set) out.set(r.repository, (set = new Set()));
    set.add(r.digest);
  }
  return out;
}

/** The revisions of one advisory, oldest first. */
export async function revisionsOf(db: Db, advisoryId: string): Promise<Array<RevisionEntry & { by: string | null; byName: string | null }>> {
  const rows = await db
    .selectFrom('advisory_revisions as v')
    .leftJoin('users as u', 'u.id', 'v.by')
    .select(['v.revision', 'v.at', 'v.summary', 'v.by', 'u.name as byName'])
    .where('v.advisory_id', '=', advisoryId)
    .orderBy('v.revision')
    .execute();
  return rows.map((r) => ({ revision: r.revision, at: r.at, summary: r.summary, by: r.by, byName: r.byName ?? null }));
}
