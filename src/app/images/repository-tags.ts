/**
 * A repository's tag list as the support rule judges it (RepositoryTags), kept per database while
 * the repository's inventory and the policy's tag scheme and support rule stay the same. The tag
 * status of a 50,000-tag repository then costs one digest of the tag list, computed by the
 * database, instead of reading and judging 50,000 tags on every request.
 *
 * The digest covers every tag and its digest, so a change by any writer (a sync in this process or
 * another, or anything else that writes image_tags) is seen by the next request. One entry per
 * repository: a new state replaces the old one.
 */
import { sql } from 'kysely';
import type { Db } from '../../adapters/db/open-database.js';
import { RepositoryTags } from '../../domain/images/tag-report.js';
import type { SupportRule, TagScheme } from '../../domain/images/tag-types.js';

interface Entry {
  /** The digest of the tag list, and the scheme and rule it was judged by. */
  key: string;
  tags: RepositoryTags;
}

const judged = new WeakMap<Db, Map<string, Entry>>();

/** The digest of a repository's tag list (every tag and digest, in tag order); null when it has no tags. */
async function tagListDigest(db: Db, repository: string): Promise<string | null> {
  const { rows } = await sql<{ digest: string | null }>`select md5(string_agg(tag || ' ' || digest, ' ' order by tag)) as digest from image_tags where repository = ${repository}`.execute(db);
  return rows[0]?.digest ?? null;
}

/** The repository's tags, judged under `policy`; null when the inventory holds no tag of it. */
export async function repositoryTags(db: Db, policy: { tags: TagScheme; support: SupportRule }, repository: string): Promise<RepositoryTags | null> {
  const digest = await tagListDigest(db, repository);
  if (digest === null) return null;
  const key = JSON.stringify([digest, policy.tags, policy.support]);
  let entries = judged.get(db);
  if (!entries) judged.set(db, (entries = new Map()));
  const held = entries.get(repository);
  if (held?.key === key) return held.tags;
  // Read after the digest: when a sync lands in between, what is kept is newer than its key says,
  // and the next request (seeing the new digest) judges again.
  const rows = await db.selectFrom('image_tags').select(['tag', 'digest']).where('repository', '=', repository).execute();
  const tags = new RepositoryTags(
    rows.map((r) => r.tag),
    policy.tags,
    policy.support,
    Object.fromEntries(rows.map((r) => [r.tag, r.digest])),
  );
  entries.set(repository, { key, tags });
  return tags;
}
