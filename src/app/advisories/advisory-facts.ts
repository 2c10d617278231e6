import type { Db } from '../../adapters/db/open-database.js';
import { missingFixes, type LinkedRelease, type MissingFix } from '../../domain/advisories/embargo.js';
import { advisorySchema, type Advisory } from '../../domain/advisories/schema.js';
import type { Policy } from '../../domain/policy/schema.js';
import { AppError } from '../errors.js';
import { knownDigestsOf, type AdvisoryRow } from './store.js';

/** The stored document as the model reads it; a stored document always passed the model once. */
export function storedAdvisory(row: Pick<AdvisoryRow, 'ident' | 'document'>): Advisory {
  const parsed = advisorySchema.safeParse(row.document);
  if (!parsed.success) throw new AppError('internal', `the stored document of ${row.ident} no longer passes the advisory model: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
  return parsed.data;
}

/** Which affected repositories lack a fixed build in the inventory (empty: it may be published). */
export async function fixesMissing(db: Db, policy: Policy, advisory: Advisory): Promise<MissingFix[]> {
  const known = await knownDigestsOf(
    db,
    advisory.images.map((i) => i.name),
  );
  return missingFixes(policy, advisory, known);
}

/** The release facts of the advisory's linked reports (src/app/releases), for the publication plan. */
export async function linkedReleases(db: Db, advisoryId: string): Promise<LinkedRelease[]> {
  const rows = await db
    .selectFrom('advisory_reports as l')
    .innerJoin('reports as r', 'r.id', 'l.report_id')
    .leftJoin('report_releases as rr', 'rr.report_id', 'r.id')
    .select(['r.fixed_at', 'rr.out_of_cycle', 'rr.shipped_at'])
    .where('l.advisory_id', '=', advisoryId)
    .execute();
  return rows.map((r) => ({ fixedAt: r.fixed_at, outOfCycle: r.out_of_cycle ?? false, shippedAt: r.shipped_at ?? null }));
}

/** The earliest arrival among the linked reports: the maximum embargo counts from it. */
export async function earliestReceived(db: Db, advisoryId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('advisory_reports as l')
    .innerJoin('reports as r', 'r.id', 'l.report_id')
    .select((eb) => eb.fn.min('r.received_at').as('first'))
    .where('l.advisory_id', '=', advisoryId)
    .executeTakeFirst();
  const v = row?.first as Date | string | null | undefined;
  return v ? new Date(v) : null;
}
