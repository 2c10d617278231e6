/**
 * Advisories stored as the desk stores them (migration 0009, src/app/advisories/store.ts): the
 * model's document with id = ident, status, published date, revisions and withdrawal, one row of
 * advisory_revisions per change after publication, and the image inventory the model resolves
 * against in image_tags.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db } from '../../src/adapters/db/open-database.js';
import { parseAdvisory } from '../../src/domain/advisories/parse-advisory.js';
import type { Advisory } from '../../src/domain/advisories/schema.js';

export const REPO = 'docker.io/mautic/mautic';
const EXAMPLE = resolve(import.meta.dirname, '..', '..', 'examples', 'advisories', 'mautic-docker-2026-001.yaml');

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The Mautic example advisory (as the model reads it), and the inventory its file states. */
export function exampleAdvisory(): { advisory: Advisory; inventory: Array<{ tag: string; digest: string }> } {
  const parsed = parseAdvisory(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
  if (!parsed.ok) throw new Error(`the example advisory does not parse: ${JSON.stringify(parsed.problems)}`);
  const image = parsed.advisory.images[0]!;
  const { inventory, ...withoutInventory } = image;
  return { advisory: { ...parsed.advisory, images: [withoutInventory, ...parsed.advisory.images.slice(1)] }, inventory: inventory ?? [] };
}

/** The tags as `cvdesk images sync` stores them. */
export async function seedInventory(db: Db, repository: string, tags: ReadonlyArray<{ tag: string; digest: string }>, at = new Date('2026-11-20T00:00:00Z')): Promise<void> {
  await db.insertInto('image_repositories').values({ name: repository, last_sync_at: at, last_success_at: at, last_error: null }).onConflict((oc) => oc.column('name').doNothing()).execute();
  if (tags.length) await db.insertInto('image_tags').values(tags.map((t) => ({ repository, tag: t.tag, digest: t.digest, first_seen_at: at, changed_at: at, seen_at: at }))).execute();
}

export interface StoredAdvisory {
  id: string;
  ident: string;
}

/** A draft or scheduled advisory: nothing of it is public. */
export async function insertUnpublished(db: Db, ident: string, advisory: Advisory, state: 'draft' | 'scheduled', now: Date): Promise<StoredAdvisory> {
  const id = randomUUID();
  const document = plain({ ...advisory, id: ident, status: 'draft' as const, published: undefined, revisions: [], withdrawn: undefined });
  await db
    .insertInto('advisories')
    .values({
      id,
      ident,
      state,
      document,
      revision: 0,
      scheduled_for: state === 'scheduled' ? new Date(now.getTime() + 86_400_000) : null,
      scheduled_by: null,
      published_at: null,
      created_at: now,
      created_by: null,
      updated_at: now,
      withdrawn_at: null,
      withdrawn_reason: null,
      override_by: null,
      override_reason: null,
    })
    .execute();
  return { id, ident };
}

/**
 * Publishes a stored advisory as publishAdvisory does: the document final with its publication
 * date and first revision, revision 1 in advisory_revisions.
 */
export async function markPublished(db: Db, stored: StoredAdvisory, at: Date): Promise<void> {
  const row = await db.selectFrom('advisories').select('document').where('id', '=', stored.id).executeTakeFirstOrThrow();
  const document = plain({ ...(row.document as Record<string, unknown>), status: 'final', published: iso(at), revisions: [{ date: iso(at), summary: 'Initial publication.' }] });
  await db.updateTable('advisories').set({ state: 'published', published_at: at, revision: 1, document, updated_at: at, scheduled_for: null }).where('id', '=', stored.id).execute();
  await db.insertInto('advisory_revisions').values({ advisory_id: stored.id, revision: 1, document, at, by: null, summary: 'Initial publication.' }).execute();
}

/** A published advisory straight away. */
export async function insertPublished(db: Db, ident: string, advisory: Advisory, at: Date): Promise<StoredAdvisory> {
  const stored = await insertUnpublished(db, ident, advisory, 'scheduled', at);
  await markPublished(db, stored, at);
  return stored;
}

/** A change after publication: a new revision with its summary (as update-advisory does). */
export async function revise(db: Db, stored: StoredAdvisory, at: Date, summary: string, change: (a: Record<string, unknown>) => Record<string, unknown> = (a) => a): Promise<void> {
  const row = await db.selectFrom('advisories').select(['document', 'revision']).where('id', '=', stored.id).executeTakeFirstOrThrow();
  const before = row.document as Record<string, unknown> & { revisions: Array<{ date: string; summary: string }> };
  const document = plain({ ...change(before), revisions: [...before.revisions, { date: iso(at), summary }] });
  const revision = row.revision + 1;
  await db.updateTable('advisories').set({ document, revision, updated_at: at }).where('id', '=', stored.id).execute();
  await db.insertInto('advisory_revisions').values({ advisory_id: stored.id, revision, document, at, by: null, summary }).execute();
}

/** Withdraws a published advisory as withdraw-advisory does. */
export async function markWithdrawn(db: Db, stored: StoredAdvisory, at: Date, reason: string): Promise<void> {
  await revise(db, stored, at, `Withdrawn: ${reason}`, (a) => ({ ...a, withdrawn: { date: iso(at), reason } }));
  await db.updateTable('advisories').set({ state: 'withdrawn', withdrawn_at: at, withdrawn_reason: reason }).where('id', '=', stored.id).execute();
}
