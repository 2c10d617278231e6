import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * What a frozen revision (migration 0012) was resolved against and what it affects, kept so that
 * a public read need not load every advisory:
 * - `inventory_snapshots`: a repository's inventory (tag → digest) as a publication read it, stored
 *   once by its content. A frozen revision names the snapshot of each repository instead of holding
 *   a copy: at 50,000 tags a copy per revision was megabytes, and most revisions share a snapshot.
 * - `advisory_affected`: one row per affected image (repository, tag, digest) of each frozen
 *   revision, which the tag status and the public image pages query instead of resolving advisories.
 * Frozen revisions written before this migration are rewritten to that form here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inventory_snapshots')
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('tags', 'jsonb', (c) => c.notNull())
    .addColumn('taken_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('advisory_affected')
    .addColumn('advisory_id', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('advisory_affected_pkey', ['advisory_id', 'revision', 'repository', 'tag', 'digest'])
    .addForeignKeyConstraint('advisory_affected_frozen', ['advisory_id', 'revision'], 'advisory_frozen', ['advisory_id', 'revision'])
    .execute();
  await db.schema.createIndex('advisory_affected_tag_idx').on('advisory_affected').columns(['repository', 'tag']).execute();
  await db.schema.createIndex('advisory_affected_digest_idx').on('advisory_affected').columns(['repository', 'digest']).execute();

  const frozen = await sql<{ advisory_id: string; revision: number; resolution: OldResolution; frozen_at: Date }>`select advisory_id, revision, resolution, frozen_at from advisory_frozen`.execute(db);
  for (const row of frozen.rows) {
    const { inventories, ...rest } = row.resolution;
    const snapshots: Record<string, string> = {};
    for (const [repository, tags] of Object.entries(inventories ?? {})) {
      const digest = createHash('sha256').update(JSON.stringify([repository, tags])).digest('hex');
      snapshots[repository] = digest;
      await sql`insert into inventory_snapshots (digest, repository, tags, taken_at) values (${digest}, ${repository}, ${JSON.stringify(tags)}::jsonb, ${row.frozen_at}) on conflict do nothing`.execute(db);
    }
    const resolution = { ...rest, inventorySnapshots: snapshots };
    await sql`update advisory_frozen set resolution = ${JSON.stringify(resolution)}::jsonb where advisory_id = ${row.advisory_id} and revision = ${row.revision}`.execute(db);
    for (const image of rest.images ?? []) {
      for (const p of image.affected ?? []) {
        await sql`insert into advisory_affected (advisory_id, revision, repository, tag, digest) values (${row.advisory_id}, ${row.revision}, ${image.name}, ${p.tag}, ${p.digest}) on conflict do nothing`.execute(db);
      }
    }
  }
}

/** A frozen revision's resolution as migration 0012 wrote it. */
interface OldResolution {
  inventories?: Record<string, Array<{ tag: string; digest: string }>>;
  images?: Array<{ name: string; affected?: Array<{ tag: string; digest: string }> }>;
  [other: string]: unknown;
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('advisory_affected').execute();
  await db.schema.dropTable('inventory_snapshots').execute();
}
