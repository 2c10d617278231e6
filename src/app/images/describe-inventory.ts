/**
 * The inventory as the team reads it: each repository of the policy with its last sync, and its
 * tags in display order with kind, support status under the policy's rule (rolling tags resolved
 * by digest), digest, platforms and build facts.
 */
import type { Db } from '../../adapters/db/open-database.js';
import { applySupportRule, resolveRolling, sortTags, type TagKind } from '../../domain/images/index.js';
import type { Policy } from '../../domain/policy/schema.js';
import { listInventoryTags, type InventoryTag } from './inventory.js';

export interface InventoryTagRow extends InventoryTag {
  kind: TagKind;
  receivesAdvisories: boolean;
  /** Why (not), in one sentence. */
  reason: string;
  /** Rolling tags: the release they point to, and how that was found. */
  rolling: { target: string | null; via: 'digest' | 'rule' | 'none' } | null;
}

export interface RepositorySync {
  status: 'running' | 'succeeded' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  tags: number;
  added: number;
  changed: number;
  removed: number;
  manifestsFetched: number;
  error: string | null;
}

export interface RepositoryInventory {
  name: string;
  /** Never synced: no row yet. */
  synced: boolean;
  lastSyncAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  /** The newest sync of the repository (running, or its outcome). */
  lastSync: RepositorySync | null;
  tagCount: number;
  /** In display order; at most `limit` of them. */
  tags: InventoryTagRow[];
  receivingAdvisories: number;
}

/** The policy's repositories (or the one named) with their tags; `limit` caps the tags per repository. */
export async function describeInventory(deps: { db: Db; policy: Pick<Policy, 'project' | 'tags' | 'support'> }, options: { repository?: string; limit?: number } = {}): Promise<RepositoryInventory[]> {
  const names = deps.policy.project.images.map((i) => i.name).filter((n) => options.repository === undefined || n === options.repository);
  const out: RepositoryInventory[] = [];
  for (const name of names) {
    const repo = await deps.db.selectFrom('image_repositories').selectAll().where('name', '=', name).executeTakeFirst();
    const sync = await deps.db.selectFrom('image_syncs').selectAll().where('repository', '=', name).orderBy('started_at', 'desc').limit(1).executeTakeFirst();
    const stored = await listInventoryTags(deps.db, name);
    const digestByTag = Object.fromEntries(stored.map((t) => [t.tag, t.digest]));
    const byTag = new Map(stored.map((t) => [t.tag, t]));
    const tagNames = stored.map((t) => t.tag);
    const statuses = new Map(applySupportRule(tagNames, deps.policy.tags, deps.policy.support, digestByTag).map((s) => [s.tag, s]));
    const rolling = new Map(resolveRolling(tagNames, deps.policy.tags, digestByTag).map((r) => [r.tag, r]));
    const ordered = sortTags(tagNames, deps.policy.tags);
    const rows = ordered.slice(0, options.limit ?? ordered.length).map((tag): InventoryTagRow => {
      const s = statuses.get(tag)!;
      const r = rolling.get(tag);
      return { ...byTag.get(tag)!, kind: s.kind, receivesAdvisories: s.receivesAdvisories, reason: s.reason, rolling: r ? { target: r.target, via: r.via } : null };
    });
    out.push({
      name,
      synced: repo !== undefined,
      lastSyncAt: repo?.last_sync_at ?? null,
      lastSuccessAt: repo?.last_success_at ?? null,
      lastError: repo?.last_error ?? null,
      lastSync: sync
        ? {
            status: sync.status,
            startedAt: sync.started_at,
            finishedAt: sync.finished_at,
            tags: sync.tags_total,
            added: sync.tags_added,
            changed: sync.tags_changed,
            removed: sync.tags_removed,
            manifestsFetched: sync.manifests_fetched,
            error: sync.error,
          }
        : null,
      tagCount: stored.length,
      tags: rows,
      receivingAdvisories: [...statuses.values()].filter((s) => s.receivesAdvisories).length,
    });
  }
  return out;
}
