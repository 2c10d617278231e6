import { sql, type Kysely } from 'kysely';

/**
 * What a published revision of an advisory was published as (issue #5): the inventory it was
 * resolved against, the resolved images and the project it names (`resolution`), and the rendered
 * documents (`outputs`: the CSAF advisory, one CSAF VEX document per upstream vulnerability, the
 * OSV record, each as the exact text served). Written in the transaction that publishes, revises
 * or withdraws the advisory, one row per revision and never changed: a later inventory sync, a
 * policy edit or a new cvdesk version leaves the served bytes as they were until the next revision.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('advisory_frozen')
    .addColumn('advisory_id', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('resolution', 'jsonb', (c) => c.notNull())
    .addColumn('outputs', 'jsonb', (c) => c.notNull())
    .addColumn('frozen_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('advisory_frozen_pkey', ['advisory_id', 'revision'])
    .addForeignKeyConstraint('advisory_frozen_revision', ['advisory_id', 'revision'], 'advisory_revisions', ['advisory_id', 'revision'])
    .addCheckConstraint('advisory_frozen_revision_positive', sql`revision > 0`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('advisory_frozen').execute();
}
