/**
 * A published revision, frozen (migration 0012): in the transaction that publishes, revises or
 * withdraws an advisory, the inventory of its repositories is read once, the advisory is resolved
 * against it, and every public document is rendered: the csaf_security_advisory, a csaf_vex
 * document per upstream (base-image) vulnerability, and the OSV record. The texts are stored as
 * served, with the resolution the pages show. A later inventory sync, a policy edit or a new
 * cvdesk version therefore changes nothing public until the next revision (which changes the
 * documents' tracking version). Advisories published before the migration are frozen by the
 * publish job (freezeUnfrozen) as the desk serves them at that moment.
 *
 * The inventory a revision was resolved against is stored once per content (inventory_snapshots,
 * migration 0014), and every affected image of the revision is written to advisory_affected, which
 * the tag status queries instead of resolving every advisory.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../adapters/db/open-database.js';
import type { Context } from '../../context.js';
import { publicationOf, type Publication } from '../../domain/advisories/publication.js';
import { resolveAdvisory, type InventoryTag, type ResolvedImage } from '../../domain/advisories/resolve.js';
import type { Advisory } from '../../domain/advisories/schema.js';
import { buildAdvisoryView, type AdvisoryView, type ProjectInfo } from '../../domain/advisories/view.js';
import { renderCsafAdvisory, renderCsafVex, stringifyCsaf, vexTrackingId } from '../../formats/csaf.js';
import { renderOsv, stringifyOsv } from '../../formats/osv.js';
import { AppError } from '../errors.js';
import { storedAdvisory } from './advisory-facts.js';
import { inventoriesOf } from './store.js';

export interface FrozenResolution {
  /** The snapshot (inventory_snapshots.digest) of what each repository held when the revision was published. */
  inventorySnapshots: Record<string, string>;
  project: ProjectInfo;
  images: ResolvedImage[];
}

/** One CSAF document as served: its tracking id and its exact text. */
export interface FrozenDocument {
  trackingId: string;
  json: string;
}

export interface FrozenOutputs {
  /** The csaf_security_advisory first, then one csaf_vex per upstream vulnerability. */
  csaf: FrozenDocument[];
  osv: string;
}

export interface FrozenAdvisory {
  revision: number;
  resolution: FrozenResolution;
  outputs: FrozenOutputs;
}

/** What freezing needs: the policy, and the address the documents name (CSAF provider, advisory pages). */
export type FreezeDeps = Pick<Context, 'policy'> & { config: Pick<Context['config'], 'baseUrl'> };

let version: string | undefined;
/** The version of cvdesk that renders (CSAF's generator engine). */
export function cvdeskVersion(): string {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'package.json');
  return (version ??= (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version);
}

/** The advisory with the inventory each image was resolved against (an image that states its own keeps it). */
export function withInventories(advisory: Advisory, inventories: Readonly<Record<string, readonly InventoryTag[]>>): Advisory {
  return { ...advisory, images: advisory.images.map((i) => (i.inventory ? i : { ...i, inventory: [...(inventories[i.name] ?? [])] })) };
}

/**
 * Every document the public sees of a view: the CSAF advisory, the VEX documents and OSV. Dated by
 * the advisory, not by the moment: the same view renders the same text.
 */
export function renderPublicDocuments(view: AdvisoryView, publication: Publication): FrozenOutputs {
  const { providerUrl, publisher } = publication;
  if (!providerUrl) throw new AppError('internal', 'the desk has no CSAF provider address');
  const options = { now: new Date(view.currentRelease), publisher, providerUrl, generator: { name: 'cvdesk', version: cvdeskVersion() } };
  const a = view.advisory;
  const csaf: FrozenDocument[] = [{ trackingId: a.id, json: stringifyCsaf(renderCsafAdvisory(view, options)) }];
  for (const upstream of a.upstream) csaf.push({ trackingId: vexTrackingId(a.id, upstream), json: stringifyCsaf(renderCsafVex(view, upstream, options)) });
  return { csaf, osv: stringifyOsv(renderOsv(view)) };
}

/** Resolves and renders one revision of a stored document; `inventories` as read at that moment. */
export function freeze(deps: FreezeDeps, advisory: Advisory, inventories: Record<string, InventoryTag[]>, at: Date): { project: ProjectInfo; images: ResolvedImage[]; outputs: FrozenOutputs; view: AdvisoryView } {
  const publication = publicationOf(deps.policy, deps.config.baseUrl.toString());
  const withInventory = withInventories(advisory, inventories);
  // As the public pages always resolved a published advisory: without the policy's image list, and
  // with a statement that selects nothing any more left as it is (the advisory is published).
  const resolved = resolveAdvisory(withInventory, new Map(), { tags: deps.policy.tags, support: deps.policy.support });
  const view = buildAdvisoryView(withInventory, resolved.images, { now: at, project: publication.project });
  return { project: publication.project, images: resolved.images, outputs: renderPublicDocuments(view, publication), view };
}

/** A repository's inventory named by its content: what inventory_snapshots holds. */
export interface InventorySnapshot {
  repository: string;
  digest: string;
  tags: InventoryTag[];
}

export const snapshotOf = (repository: string, tags: InventoryTag[]): InventorySnapshot => ({ repository, tags, digest: createHash('sha256').update(JSON.stringify([repository, tags])).digest('hex') });

/** The current inventory of each repository the advisory names. */
async function currentSnapshots(db: Db, advisory: Advisory): Promise<InventorySnapshot[]> {
  const names = [...new Set(advisory.images.map((i) => i.name))];
  const found = await inventoriesOf(db, names);
  return names.map((n) => snapshotOf(n, found.get(n) ?? []));
}

/** Stores the snapshots the store does not hold yet (a snapshot is sent only when it is new). */
async function saveSnapshots(trx: Db, snapshots: readonly InventorySnapshot[], at: Date): Promise<void> {
  if (snapshots.length === 0) return;
  const held = await trx
    .selectFrom('inventory_snapshots')
    .select('digest')
    .where(
      'digest',
      'in',
      snapshots.map((s) => s.digest),
    )
    .execute();
  const have = new Set(held.map((r) => r.digest));
  for (const s of snapshots) {
    if (have.has(s.digest)) continue;
    await trx.insertInto('inventory_snapshots').values({ digest: s.digest, repository: s.repository, tags: JSON.stringify(s.tags) as unknown as InventoryTag[], taken_at: at }).onConflict((oc) => oc.column('digest').doNothing()).execute();
  }
}

/** The inventories a frozen revision was resolved against, read back from their snapshots. */
export async function snapshotInventories(db: Db, refs: Readonly<Record<string, string>>): Promise<InventorySnapshot[]> {
  const digests = Object.values(refs);
  if (digests.length === 0) return [];
  const rows = await db.selectFrom('inventory_snapshots').select(['digest', 'repository', 'tags']).where('digest', 'in', digests).execute();
  const byDigest = new Map(rows.map((r) => [r.digest, r]));
  return Object.entries(refs).map(([repository, digest]) => {
    const row = byDigest.get(digest);
    if (!row) throw new AppError('internal', `the inventory snapshot ${digest} of ${repository} is missing`);
    return { repository, digest, tags: row.tags };
  });
}

const AFFECTED_ROWS_PER_INSERT = 5000;

/**
 * Freezes revision `revision` of an advisory inside the caller's transaction (after its row of
 * advisory_revisions is written): the resolution, the documents, the inventory snapshots and the
 * affected images. `inventories` defaults to what the inventory holds now. When another process
 * froze the revision first, its state stands and is returned.
 */
export async function freezeRevision(
  trx: Db,
  deps: FreezeDeps,
  input: { advisoryId: string; revision: number; document: Record<string, unknown>; ident: string; at: Date; inventories?: readonly InventorySnapshot[] },
): Promise<FrozenAdvisory> {
  const advisory = storedAdvisory({ ident: input.ident, document: input.document });
  const snapshots = input.inventories ?? (await currentSnapshots(trx, advisory));
  const { project, images, outputs } = freeze(deps, advisory, Object.fromEntries(snapshots.map((s) => [s.repository, s.tags])), input.at);
  const resolution: FrozenResolution = { inventorySnapshots: Object.fromEntries(snapshots.map((s) => [s.repository, s.digest])), project, images };
  await saveSnapshots(trx, snapshots, input.at);
  const inserted = await trx
    .insertInto('advisory_frozen')
    .values({ advisory_id: input.advisoryId, revision: input.revision, resolution: plain(resolution), outputs: plain(outputs), frozen_at: input.at })
    .onConflict((oc) => oc.columns(['advisory_id', 'revision']).doNothing())
    .returning('revision')
    .executeTakeFirst();
  if (!inserted) {
    const first = await frozenRevision(trx, input.advisoryId, input.revision);
    if (!first) throw new AppError('internal', `revision ${input.revision} of ${input.ident} was frozen and is gone`);
    return first;
  }
  const affected = new Map<string, { advisory_id: string; revision: number; repository: string; tag: string; digest: string }>();
  for (const image of resolution.images) {
    for (const p of image.affected) affected.set(JSON.stringify([image.name, p.tag, p.digest]), { advisory_id: input.advisoryId, revision: input.revision, repository: image.name, tag: p.tag, digest: p.digest });
  }
  const rows = [...affected.values()];
  for (let i = 0; i < rows.length; i += AFFECTED_ROWS_PER_INSERT) await trx.insertInto('advisory_affected').values(rows.slice(i, i + AFFECTED_ROWS_PER_INSERT)).execute();
  return { revision: input.revision, resolution, outputs };
}

/** The frozen state of one revision, or undefined (published before migration 0012 and not frozen yet). */
export async function frozenRevision(db: Db, advisoryId: string, revision: number): Promise<FrozenAdvisory | undefined> {
  const row = await db.selectFrom('advisory_frozen').select(['revision', 'resolution', 'outputs']).where('advisory_id', '=', advisoryId).where('revision', '=', revision).executeTakeFirst();
  return row ? asFrozen(row) : undefined;
}

/** The frozen states of several revisions, by "<advisory id> <revision>" (read in chunks); one the desk cannot read is left out. */
export async function frozenRevisions(db: Db, wanted: ReadonlyArray<{ advisoryId: string; revision: number }>): Promise<Map<string, FrozenAdvisory>> {
  const out = new Map<string, FrozenAdvisory>();
  const revisionOf = new Map(wanted.map((w) => [w.advisoryId, w.revision]));
  const ids = [...revisionOf.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('advisory_frozen')
      .select(['advisory_id', 'revision', 'resolution', 'outputs'])
      .where('advisory_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) {
      if (revisionOf.get(row.advisory_id) !== row.revision) continue;
      try {
        out.set(`${row.advisory_id} ${row.revision}`, asFrozen(row));
      } catch {
        // left out: the caller says which advisory it cannot show
      }
    }
  }
  return out;
}

/** Which public advisories (by ident) have their current revision frozen, and which revision that is. */
export async function frozenRevisionsOf(db: Db, idents: readonly string[]): Promise<Map<string, { advisoryId: string; revision: number }>> {
  const out = new Map<string, { advisoryId: string; revision: number }>();
  if (idents.length === 0) return out;
  const rows = await db
    .selectFrom('advisory_frozen as f')
    .innerJoin('advisories as a', (j) => j.onRef('a.id', '=', 'f.advisory_id').onRef('a.revision', '=', 'f.revision'))
    .select(['a.ident', 'a.id', 'f.revision'])
    .where('a.ident', 'in', [...idents])
    .where('a.state', 'in', ['published', 'withdrawn'])
    .execute();
  for (const r of rows) out.set(r.ident, { advisoryId: r.id, revision: r.revision });
  return out;
}

function asFrozen(row: { revision: number; resolution: Record<string, unknown>; outputs: Record<string, unknown> }): FrozenAdvisory {
  const resolution = row.resolution as unknown as FrozenResolution;
  const outputs = row.outputs as unknown as FrozenOutputs;
  if (!Array.isArray(resolution.images) || typeof resolution.inventorySnapshots !== 'object' || resolution.inventorySnapshots === null || !Array.isArray(outputs.csaf) || typeof outputs.osv !== 'string') {
    throw new AppError('internal', `the frozen state of revision ${row.revision} is not what the desk writes`);
  }
  return { revision: row.revision, resolution, outputs };
}

/**
 * Freezes every published or withdrawn advisory whose current revision has no frozen state (those
 * published before migration 0012), as the desk serves it now. Several processes may run it at
 * once: a revision is frozen once (the first insert wins). Returns the idents frozen.
 */
export async function freezeUnfrozen(deps: FreezeDeps & Pick<Context, 'db' | 'log'>, progress?: (frozen: number, of: number) => void): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('advisories as a')
    .leftJoin('advisory_frozen as f', (j) => j.onRef('f.advisory_id', '=', 'a.id').onRef('f.revision', '=', 'a.revision'))
    .innerJoin('advisory_revisions as v', (j) => j.onRef('v.advisory_id', '=', 'a.id').onRef('v.revision', '=', 'a.revision'))
    .select(['a.id', 'a.ident', 'a.revision', 'a.document', 'a.updated_at'])
    .where('a.state', 'in', ['published', 'withdrawn'])
    .where('f.advisory_id', 'is', null)
    .orderBy('a.ident')
    .execute();
  if (rows.length === 0) return [];
  // "as the desk serves it now": one reading of the inventory (and one snapshot a repository) for all of them
  const names = [...new Set(rows.flatMap((r) => storedImageNames(r.document)))];
  const found = await inventoriesOf(deps.db, names);
  const snapshots = new Map(names.map((n) => [n, snapshotOf(n, found.get(n) ?? [])]));
  const done: string[] = [];
  for (const r of rows) {
    try {
      const inventories = [...new Set(storedImageNames(r.document))].map((n) => snapshots.get(n)!);
      await deps.db.transaction().execute((trx) => freezeRevision(trx, deps, { advisoryId: r.id, revision: r.revision, document: r.document, ident: r.ident, at: r.updated_at, inventories }));
      done.push(r.ident);
    } catch (e) {
      // served as before (rendered on request) until someone looks at it; the others are frozen
      deps.log.error({ advisory: r.ident, err: e }, 'a published advisory cannot be frozen');
    }
    progress?.(done.length, rows.length);
  }
  return done;
}

/** The public advisories (published, or also withdrawn) whose current revision is not frozen, by ident; at most `limit`. */
export async function unfrozenIdents(db: Db, states: ReadonlyArray<'published' | 'withdrawn'>, limit?: number): Promise<string[]> {
  let q = db
    .selectFrom('advisories as a')
    .leftJoin('advisory_frozen as f', (j) => j.onRef('f.advisory_id', '=', 'a.id').onRef('f.revision', '=', 'a.revision'))
    .select('a.ident')
    .where('a.state', 'in', [...states])
    .where('f.advisory_id', 'is', null)
    .orderBy('a.ident');
  if (limit !== undefined) q = q.limit(limit);
  return (await q.execute()).map((r) => r.ident);
}

/** The repositories a stored document names (an unreadable one names none; freezing it then says why). */
const storedImageNames = (document: Record<string, unknown>): string[] => (Array.isArray(document.images) ? document.images.flatMap((i: { name?: unknown }) => (typeof i?.name === 'string' ? [i.name] : [])) : []);

const plain = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
