/**
 * Writing a sync's outcome. The start is recorded at once (so a page can say a sync is running);
 * what the registry holds is written in one transaction at the end, or not at all: a failed sync
 * leaves the previous inventory as it was and records only its error.
 */
import { sql } from 'kysely';
import type { Db } from '../../adapters/db/open-database.js';
import type { ManifestRecord } from './manifest-record.js';

export interface TagChanges {
  added: number;
  changed: number;
  removed: number;
}

// well below PostgreSQL's 65,535 bind parameters per statement
const CHUNK = 1000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function recordSyncStart(db: Db, input: { id: string; repository: string; startedAt: Date }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('image_repositories').values({ name: input.repository, last_sync_at: null, last_success_at: null, last_error: null }).onConflict((oc) => oc.column('name').doNothing()).execute();
    await trx
      .insertInto('image_syncs')
      .values({ id: input.id, repository: input.repository, started_at: input.startedAt, finished_at: null, status: 'running', tags_total: 0, manifests_fetched: 0, tags_added: 0, tags_changed: 0, tags_removed: 0, error: null })
      .execute();
  });
}

export async function recordSyncFailure(db: Db, input: { id: string; repository: string; error: string; finishedAt: Date; tagsTotal: number; manifestsFetched: number }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('image_repositories').set({ last_sync_at: input.finishedAt, last_error: input.error }).where('name', '=', input.repository).execute();
    await trx
      .updateTable('image_syncs')
      .set({ finished_at: input.finishedAt, status: 'failed', error: input.error, tags_total: input.tagsTotal, manifests_fetched: input.manifestsFetched })
      .where('id', '=', input.id)
      .execute();
  });
}

/**
 * Replaces the repository's tag set with `found` (tag → digest) and stores the new manifests, in
 * one transaction. The difference is taken inside it, against the rows as they are then, with the
 * repository's row locked: two syncs of one repository at once (the schedule and a command) take
 * turns, and each counts against what the other left.
 */
export async function commitSync(db: Db, input: { id: string; repository: string; found: ReadonlyMap<string, string>; manifests: ManifestRecord[]; manifestsFetched: number; finishedAt: Date }): Promise<TagChanges> {
  const { repository, finishedAt: now } = input;
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('image_repositories').values({ name: repository, last_sync_at: null, last_success_at: null, last_error: null }).onConflict((oc) => oc.column('name').doNothing()).execute();
    await trx.selectFrom('image_repositories').select('name').where('name', '=', repository).forUpdate().execute();

    const stored = new Map((await trx.selectFrom('image_tags').select(['tag', 'digest']).where('repository', '=', repository).execute()).map((r) => [r.tag, r.digest]));
    const upserts: { tag: string; digest: string }[] = [];
    let added = 0;
    let changed = 0;
    for (const [tag, digest] of input.found) {
      const before = stored.get(tag);
      if (before === digest) continue;
      if (before === undefined) added++;
      else changed++;
      upserts.push({ tag, digest });
    }
    const removed = [...stored.keys()].filter((t) => !input.found.has(t));

    for (const part of chunks(input.manifests)) {
      await trx
        .insertInto('image_manifests')
        .values(
          part.map((m) => ({
            repository,
            digest: m.digest,
            media_type: m.mediaType,
            platforms: JSON.stringify(m.platforms),
            created: m.created,
            revision: m.revision,
            version: m.version,
            base_name: m.baseName,
            base_digest: m.baseDigest,
            fetched_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['repository', 'digest']).doNothing())
        .execute();
    }
    for (const part of chunks(removed)) {
      await trx.deleteFrom('image_tags').where('repository', '=', repository).where('tag', 'in', part).execute();
    }
    for (const part of chunks(upserts)) {
      await trx
        .insertInto('image_tags')
        .values(part.map((u) => ({ repository, tag: u.tag, digest: u.digest, first_seen_at: now, changed_at: now, seen_at: now })))
        // first_seen_at stays: the tag existed before, it only moved
        .onConflict((oc) => oc.columns(['repository', 'tag']).doUpdateSet({ digest: sql`excluded.digest`, changed_at: sql`excluded.changed_at`, seen_at: sql`excluded.seen_at` }))
        .execute();
    }
    await trx.updateTable('image_tags').set({ seen_at: now }).where('repository', '=', repository).execute();
    await trx.updateTable('image_repositories').set({ last_sync_at: now, last_success_at: now, last_error: null }).where('name', '=', repository).execute();
    await trx
      .updateTable('image_syncs')
      .set({
        finished_at: now,
        status: 'succeeded',
        tags_total: input.found.size,
        manifests_fetched: input.manifestsFetched,
        tags_added: added,
        tags_changed: changed,
        tags_removed: removed.length,
        error: null,
      })
      .where('id', '=', input.id)
      .execute();
    return { added, changed, removed: removed.length };
  });
}

/** The tags stored for a repository (tag → digest) and the digests whose manifests are stored. */
export async function storedInventory(db: Db, repository: string): Promise<{ tags: Map<string, string>; digests: Set<string> }> {
  const tags = await db.selectFrom('image_tags').select(['tag', 'digest']).where('repository', '=', repository).execute();
  const digests = await db.selectFrom('image_manifests').select('digest').where('repository', '=', repository).execute();
  return { tags: new Map(tags.map((t) => [t.tag, t.digest])), digests: new Set(digests.map((d) => d.digest)) };
}
