import { sql, type Kysely } from 'kysely';

/**
 * The image inventory: what the registry holds for each repository of the policy. A manifest is
 * stored once per digest (digests are content addresses, so what is stored never goes stale); a
 * tag points at a digest and remembers when it first appeared and when it last moved. Each sync
 * is recorded, with its counts or its error.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('image_repositories')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_sync_at', 'timestamptz')
    .addColumn('last_success_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute();

  await db.schema
    .createTable('image_manifests')
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    // JSON array of "os/arch[/variant]"
    .addColumn('platforms', 'text', (c) => c.notNull())
    .addColumn('created', 'timestamptz')
    .addColumn('revision', 'text')
    .addColumn('version', 'text')
    .addColumn('base_name', 'text')
    .addColumn('base_digest', 'text')
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('image_manifests_pkey', ['repository', 'digest'])
    .execute();

  await db.schema
    .createTable('image_tags')
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull())
    // when the tag got its current digest
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('seen_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('image_tags_pkey', ['repository', 'tag'])
    .execute();
  await db.schema.createIndex('image_tags_digest_idx').on('image_tags').columns(['repository', 'digest']).execute();

  await db.schema
    .createTable('image_syncs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'succeeded', 'failed')`))
    .addColumn('tags_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('manifests_fetched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tags_added', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tags_changed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tags_removed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('image_syncs_repository_idx').on('image_syncs').columns(['repository', 'started_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['image_syncs', 'image_tags', 'image_manifests', 'image_repositories']) {
    await db.schema.dropTable(t).execute();
  }
}
