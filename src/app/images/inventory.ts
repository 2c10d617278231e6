/**
 * Reading the image inventory that `cvdesk images sync` keeps: the tags of a repository with what
 * is known of the manifest each points at, and the repositories with the state of their last sync.
 * Tag status, drift, the rebuild job and the release plan read through here.
 */
import type { Db } from '../../adapters/db/open-database.js';

export interface InventoryTag {
  tag: string;
  digest: string;
  /** "os/arch[/variant]" of each image (an index: every platform it offers). */
  platforms: string[];
  created: Date | null;
  revision: string | null;
  version: string | null;
  baseName: string | null;
  baseDigest: string | null;
  /** When the tag got its current digest. */
  changedAt: Date;
}

export interface InventoryRepository {
  /** As in the policy (docker.io/mautic/mautic, 127.0.0.1:5000/acme/app). */
  name: string;
  lastSyncAt: Date | null;
  lastSuccessAt: Date | null;
  /** The error of the last sync, null when it succeeded. */
  lastError: string | null;
  tagCount: number;
}

/** Every stored tag of a repository, in tag order (the order the policy's domain sorts by is the caller's). */
export async function listInventoryTags(db: Db, repository: string): Promise<InventoryTag[]> {
  const rows = await db
    .selectFrom('image_tags as t')
    .leftJoin('image_manifests as m', (j) => j.onRef('m.repository', '=', 't.repository').onRef('m.digest', '=', 't.digest'))
    .select(['t.tag', 't.digest', 't.changed_at', 'm.platforms', 'm.created', 'm.revision', 'm.version', 'm.base_name', 'm.base_digest'])
    .where('t.repository', '=', repository)
    .orderBy('t.tag')
    .execute();
  return rows.map((r) => ({
    tag: r.tag,
    digest: r.digest,
    platforms: parsePlatforms(r.platforms),
    created: r.created ?? null,
    revision: r.revision ?? null,
    version: r.version ?? null,
    baseName: r.base_name ?? null,
    baseDigest: r.base_digest ?? null,
    changedAt: r.changed_at,
  }));
}

/** The repositories that were ever synced, by name, with their tag counts. */
export async function listInventoryRepositories(db: Db): Promise<InventoryRepository[]> {
  const rows = await db
    .selectFrom('image_repositories as r')
    .select((eb) => [
      'r.name',
      'r.last_sync_at',
      'r.last_success_at',
      'r.last_error',
      eb.selectFrom('image_tags as t').whereRef('t.repository', '=', 'r.name').select(eb.fn.countAll<number>().as('n')).as('tag_count'),
    ])
    .orderBy('r.name')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    lastSyncAt: r.last_sync_at,
    lastSuccessAt: r.last_success_at,
    lastError: r.last_error,
    tagCount: Number(r.tag_count ?? 0),
  }));
}

/** The stored JSON array; anything else reads as no platforms rather than failing a page. */
export function parsePlatforms(text: string | null | undefined): string[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}
