/**
 * The published advisories as the public sees them: read from listPublicAdvisories (the one place
 * public code reads advisories from: published and withdrawn ones only). A revision frozen at
 * publication (freeze-advisory.ts, migration 0012) is shown as it was frozen: the resolution it was
 * published with and the exact texts of its documents. One published before that migration and not
 * frozen yet is resolved against the current image inventory under the policy's support rule. A
 * result is kept while its inputs do not change, so the rendered outputs (CSAF with its hashes and
 * signature, OSV) are made once per revision, not once per request.
 */
import { createHash } from 'node:crypto';
import type { Context } from '../../context.js';
import { publicationOf, type Publication } from '../../domain/advisories/publication.js';
import { resolveAdvisory, type InventoryTag } from '../../domain/advisories/resolve.js';
import type { Advisory } from '../../domain/advisories/schema.js';
import { buildAdvisoryView, type AdvisoryView } from '../../domain/advisories/view.js';
import { storedAdvisory } from './advisory-facts.js';
import { frozenRevisions, frozenRevisionsOf, withInventories, type FrozenAdvisory, type FrozenOutputs } from './freeze-advisory.js';
import { inventoriesOf, listPublicAdvisories, type PublicAdvisory } from './store.js';

export type PublicDeps = Pick<Context, 'db' | 'policy' | 'config' | 'log'>;

export interface PublishedAdvisory {
  ident: string;
  state: 'published' | 'withdrawn';
  /**
   * The model document as published. One not frozen yet carries the inventory each image was
   * resolved against; a frozen one names its snapshots (inventorySnapshots) instead.
   */
  advisory: Advisory;
  /** The inventory snapshot (inventory_snapshots.digest) of each repository a frozen revision was resolved against. */
  inventorySnapshots?: Record<string, string>;
  view: AdvisoryView;
  publishedAt: Date;
  updatedAt: Date;
  withdrawnAt: Date | null;
  /** Changes whenever anything the outputs are made from changes (document, frozen revision, or for an unfrozen one the inventory and policy). */
  fingerprint: string;
  /** The documents as frozen at publication of this revision; absent for one not frozen yet (rendered from the view). */
  frozen?: FrozenOutputs;
}

export interface PublicAdvisories {
  advisories: PublishedAdvisory[];
  publication: Publication;
  /** The newest change among them (null when nothing is published). */
  lastChange: string | null;
}

const views = new WeakMap<object, Map<string, PublishedAdvisory>>();

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

function build(row: PublicAdvisory, inventories: ReadonlyMap<string, readonly InventoryTag[]>, deps: PublicDeps, publication: Publication, fingerprint: string): PublishedAdvisory | null {
  const stored = storedAdvisory(row);
  const advisory = withInventories(stored, Object.fromEntries(inventories));
  const policy = deps.policy;
  const resolved = resolveAdvisory(advisory, new Map(), { tags: policy.tags, support: policy.support });
  if (resolved.problems.length) {
    // A published advisory whose statements no longer select anything (the inventory lost its tags):
    // it is still published, so it is served as resolved, and the team is told in the log.
    deps.log.warn({ advisory: row.ident, problems: resolved.problems.map((p) => p.message) }, 'published advisory resolves with problems');
  }
  const view = buildAdvisoryView(advisory, resolved.images, { now: row.updated_at, project: publication.project });
  return { ident: row.ident, state: row.state, advisory, view, publishedAt: row.published_at, updatedAt: row.updated_at, withdrawnAt: row.withdrawn_at, fingerprint };
}

/** A revision as it was frozen: its resolution and documents, whatever the inventory and policy say now. */
function thaw(row: PublicAdvisory, frozen: FrozenAdvisory, fingerprint: string): PublishedAdvisory {
  const { resolution, outputs } = frozen;
  const advisory = storedAdvisory(row);
  const view = buildAdvisoryView(advisory, resolution.images, { now: row.updated_at, project: resolution.project });
  return { ident: row.ident, state: row.state, advisory, inventorySnapshots: resolution.inventorySnapshots, view, publishedAt: row.published_at, updatedAt: row.updated_at, withdrawnAt: row.withdrawn_at, fingerprint, frozen: outputs };
}

/** Every public advisory, newest publication first. */
export async function loadPublicAdvisories(deps: PublicDeps): Promise<PublicAdvisories> {
  const rows = await listPublicAdvisories(deps.db);
  const publication = publicationOf(deps.policy, deps.config.baseUrl.toString());
  const frozen = await frozenRevisionsOf(
    deps.db,
    rows.map((r) => r.ident),
  );
  // the current revision of a row is its last; a frozen state of another revision is not this one's
  const frozenOf = (r: PublicAdvisory) => {
    const f = frozen.get(r.ident);
    return f && f.revision === r.revisions.at(-1)?.revision ? f : undefined;
  };
  const names = [...new Set(rows.filter((r) => !frozenOf(r)).flatMap((r) => (r.document.images ?? []).map((i) => i.name)))];
  const inventories = await inventoriesOf(deps.db, names);
  // each repository's inventory is hashed once, not once per advisory that names it (50,000 tags × 10,000 advisories)
  const inventoryDigests = new Map([...inventories].map(([name, tags]) => [name, sha256(JSON.stringify(tags))]));
  let cache = views.get(deps.policy);
  if (!cache) views.set(deps.policy, (cache = new Map()));
  const keyed = rows.map((row) => {
    const f = frozenOf(row);
    const repositories = f ? [] : (row.document.images ?? []).map((i) => i.name);
    // a frozen revision never changes (one row per revision): its number stands for its contents
    const inputs = f ? ['frozen', f.advisoryId, f.revision] : [repositories.map((name) => [name, inventoryDigests.get(name) ?? null]), publication];
    const fingerprint = sha256(JSON.stringify([row.ident, row.state, row.document, row.revisions, row.published_at, row.updated_at, row.withdrawn_at, inputs]));
    return { row, f, repositories, fingerprint };
  });
  // the frozen states not in the cache, read in one go (the first read after a start reads them all)
  const states = await frozenRevisions(
    deps.db,
    keyed.flatMap((k) => (k.f && !cache.has(k.fingerprint) ? [k.f] : [])),
  );
  const seen = new Set<string>();
  const advisories: PublishedAdvisory[] = [];
  for (const { row, f, repositories, fingerprint } of keyed) {
    seen.add(fingerprint);
    let published = cache.get(fingerprint);
    if (!published) {
      try {
        const state = f ? states.get(`${f.advisoryId} ${f.revision}`) : undefined;
        if (f && !state) throw new Error(`the frozen state of revision ${f.revision} is not what the desk writes`);
        published = (state ? thaw(row, state, fingerprint) : build(row, new Map(repositories.map((name) => [name, inventories.get(name) ?? []])), deps, publication, fingerprint)) ?? undefined;
      } catch (e) {
        deps.log.error({ advisory: row.ident, err: e }, 'a published advisory cannot be shown');
      }
      if (published) cache.set(fingerprint, published);
    }
    if (published) advisories.push(published);
  }
  for (const key of cache.keys()) if (!seen.has(key)) cache.delete(key);
  const lastChange = advisories.map((a) => a.view.currentRelease).sort().at(-1) ?? null;
  return { advisories, publication, lastChange };
}

/** One public advisory by its name (CVDESK-2026-0001; any case), or undefined. */
export async function findPublicAdvisory(deps: PublicDeps, ident: string): Promise<PublishedAdvisory | undefined> {
  const wanted = ident.toUpperCase();
  return (await loadPublicAdvisories(deps)).advisories.find((a) => a.ident.toUpperCase() === wanted);
}
