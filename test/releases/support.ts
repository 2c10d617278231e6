import type { Db } from '../../src/adapters/db/open-database.js';
import type { NewReport } from '../../src/adapters/db/tables.js';
import { insertReport } from '../support/fixtures.js';

export const MAUTIC = 'docker.io/mautic/mautic';
export const digest = (c: string) => `sha256:${c.repeat(64).slice(0, 64)}`;

/** Tags of a repository in the image inventory, as a sync leaves them (tag → digest). */
export async function seedInventory(db: Db, repository: string, tags: Record<string, string>, at: Date): Promise<void> {
  await db
    .insertInto('image_repositories')
    .values({ name: repository, last_sync_at: at, last_success_at: at, last_error: null })
    .onConflict((oc) => oc.column('name').doUpdateSet({ last_sync_at: at, last_success_at: at }))
    .execute();
  for (const [tag, d] of Object.entries(tags)) {
    await db
      .insertInto('image_manifests')
      .values({ repository, digest: d, media_type: 'application/vnd.oci.image.index.v1+json', platforms: '["linux/amd64","linux/arm64/v8"]', created: at, revision: null, version: null, base_name: null, base_digest: null, fetched_at: at })
      .onConflict((oc) => oc.columns(['repository', 'digest']).doNothing())
      .execute();
    await db
      .insertInto('image_tags')
      .values({ repository, tag, digest: d, first_seen_at: at, changed_at: at, seen_at: at })
      .onConflict((oc) => oc.columns(['repository', 'tag']).doUpdateSet({ digest: d, changed_at: at, seen_at: at }))
      .execute();
  }
}

/** A report the team has marked fixed at `fixedAt`. */
export function insertFixedReport(db: Db, fixedAt: Date, over: Partial<NewReport> = {}): Promise<{ id: string; number: number; token: string }> {
  const received = new Date(fixedAt.getTime() - 10 * 86_400_000);
  return insertReport(db, {
    state: 'fixed',
    received_at: received,
    acknowledged_at: received,
    triaged_at: received,
    fixed_at: fixedAt,
    severity: 'high',
    cvss_vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
    cvss_score: 7.5,
    ...over,
  });
}

/** Everything a release change writes, to prove a refused one wrote nothing. */
export async function releaseTrail(db: Db, reportId: string) {
  const [releases, events, audit] = await Promise.all([
    db.selectFrom('report_releases').selectAll().where('report_id', '=', reportId).execute(),
    db.selectFrom('report_events').select(['kind', 'data', 'visible', 'actor_id']).where('report_id', '=', reportId).where('kind', 'like', 'release_%').orderBy('id').execute(),
    db.selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('report_id', '=', reportId).where('action', 'like', 'report.release.%').orderBy('seq').execute(),
  ]);
  return { releases, events, audit };
}
