import { sql, type Kysely } from 'kysely';

/**
 * Advisories on the desk (issue #5). An advisory is the advisory model's document (the data an
 * advisory YAML file holds, without the inventory: the desk reads that from its own tables), in a
 * state: draft → scheduled → published → withdrawn. `ident` is the public name (CVDESK-2026-0001,
 * a counter per year). Every change after publication writes a row of advisory_revisions with the
 * whole document and a summary: CSAF's revision_history and OSV's `modified` come from them.
 * Publishing without a fixed build in the inventory needs an admin's override with a reason.
 * advisory_reports links an advisory to the reports it discloses.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('advisories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ident', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft', 'scheduled', 'published', 'withdrawn')`))
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('scheduled_for', 'timestamptz')
    .addColumn('scheduled_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('published_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('withdrawn_reason', 'text')
    .addColumn('override_by', 'text')
    .addColumn('override_reason', 'text')
    .addCheckConstraint('advisories_scheduled_when', sql`state <> 'scheduled' or scheduled_for is not null`)
    .addCheckConstraint('advisories_published_when', sql`(state in ('published', 'withdrawn')) = (published_at is not null)`)
    .addCheckConstraint('advisories_withdrawn_whole', sql`(state = 'withdrawn') = (withdrawn_at is not null) and (withdrawn_at is null) = (withdrawn_reason is null)`)
    .addCheckConstraint('advisories_override_whole', sql`(override_by is null) = (override_reason is null)`)
    .execute();
  await db.schema.createIndex('advisories_due').on('advisories').columns(['state', 'scheduled_for']).execute();

  await db.schema
    .createTable('advisory_revisions')
    .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    // null when the desk published on its own schedule (who scheduled it is in the audit log)
    .addColumn('by', 'uuid', (c) => c.references('users.id'))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('advisory_revisions_pkey', ['advisory_id', 'revision'])
    .execute();

  await db.schema
    .createTable('advisory_reports')
    .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id'))
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('reports.id'))
    .addPrimaryKeyConstraint('advisory_reports_pkey', ['advisory_id', 'report_id'])
    .execute();
  await db.schema.createIndex('advisory_reports_report').on('advisory_reports').column('report_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('advisory_reports').execute();
  await db.schema.dropTable('advisory_revisions').execute();
  await db.schema.dropTable('advisories').execute();
}
