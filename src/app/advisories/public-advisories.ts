/**
 * The published advisories as the public sees them: read from listPublicAdvisories (the one place
 * public code reads advisories from: published and withdrawn ones only), each resolved against the
 * image inventory under the policy's support rule. A result is kept while neither the stored
 * document nor the inventory of its repositories changes, so the rendered outputs (CSAF with its
 * hashes and signature, OSV) are made once per revision and inventory, not once per request.
 */
import { createHash } from 'node:crypto';
import type { Context } from '../../context.js';
import { publicationOf, type Publication } from '../../domain/advisories/publication.js';
import { resolveAdvisory, type InventoryTag } from '../../domain/advisories/resolve.js';
import type { Advisory } from '../../domain/advisories/schema.js';
import { buildAdvisoryView, type AdvisoryView } from '../../domain/advisories/view.js';
import { storedAdvisory } from './advisory-facts.js';
import { inventoriesOf, listPublicAdvisories, type PublicAdvisory } from './store.js';

export type PublicDeps = Pick<Context, 'db' | 'policy' | 'config' | 'log'>;

export interface PublishedAdvisory {
  ident: string;
  state: 'published' | 'withdrawn';
  /** The model document as published, with the inventory each image was resolved against. */
  advisory: Advisory;
  view: AdvisoryView;
  publishedAt: Date;
  updatedAt: Date;
  withdrawnAt: Date | null;
  /** Changes whenever anything the outputs are made from changes (document, inventory, policy). */
  fingerprint: string;
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
  const advisory: Advisory = { ...stored, images: stored.images.map((i) => (i.inventory ? i : { ...i, inventory: [...(inventories.get(i.name) ?? [])] })) };
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

/** Every public advisory, newest publication first. */
export async function loadPublicAdvisories(deps: PublicDeps): Promise<PublicAdvisories> {
  const rows = await listPublicAdvisories(deps.db);
  const publication = publicationOf(deps.policy, deps.config.baseUrl.toString());
  const names = [...new Set(rows.flatMap((r) => (r.document.images ?? []).map((i) => i.name)))];
  const inventories = await inventoriesOf(deps.db, names);
  let cache = views.get(deps.policy);
  if (!cache) views.set(deps.policy, (cache = new Map()));
  const seen = new Set<string>();
  const advisories: PublishedAdvisory[] = [];
  for (const row of rows) {
    const inventory = (row.document.images ?? []).map((i) => [i.name, inventories.get(i.name) ?? []]);
    const fingerprint = sha256(JSON.stringify([row.ident, row.state, row.document, row.revisions, row.published_at, row.updated_at, row.withdrawn_at, inventory, publication]));
    seen.add(fingerprint);
    let published = cache.get(fingerprint);
    if (!published) {
      try {
        published = build(row, inventories, deps, publication, fingerprint) ?? undefined;
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
