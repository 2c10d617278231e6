import { sql, type Kysely } from 'kysely';

/**
 * Reports that come in through a forge: GitHub private vulnerability reports (repository security
 * advisories in triage) and GitLab confidential issues. Each imported item is recorded once under
 * (forge, external id), and the record lands in the same transaction as its report, so two desk
 * processes polling at once cannot import it twice. Team messages mirrored back to the forge are
 * recorded per message, with what the forge answered. Each polled source keeps its last outcome.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table reports drop constraint reports_channel_check`.execute(db);
  await sql`alter table reports add constraint reports_channel_check check (channel in ('web', 'api', 'email', 'github', 'gitlab'))`.execute(db);

  await db.schema
    .createTable('forge_imports')
    .addColumn('forge', 'text', (c) => c.notNull().check(sql`forge in ('github', 'gitlab')`))
    // GitHub: the GHSA id; GitLab: "<host>:<issue id>" (the instance-wide issue id)
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('report_id', 'uuid', (c) => c.notNull().unique().references('reports.id'))
    // GitHub: owner/repo; GitLab: the project's full path
    .addColumn('project', 'text', (c) => c.notNull())
    // GitLab: the numeric project id and the iid, which the notes API needs
    .addColumn('project_id', 'text')
    .addColumn('issue_iid', 'integer')
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('reporter_login', 'text')
    // what the forge said beyond the report's own fields: severity, CVE, CWEs, packages, created_at
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull().check(sql`via in ('poll', 'webhook', 'backfill')`))
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('forge_imports_pkey', ['forge', 'external_id'])
    .execute();

  await db.schema
    .createTable('forge_comments')
    .addColumn('message_id', 'uuid', (c) => c.primaryKey().references('messages.id'))
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('reports.id'))
    .addColumn('forge', 'text', (c) => c.notNull().check(sql`forge in ('github', 'gitlab')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'posted', 'failed')`))
    .addColumn('requested_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('posted_at', 'timestamptz')
    // the forge's id and link of the posted comment
    .addColumn('external_id', 'text')
    .addColumn('url', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('forge_comments_report_idx').on('forge_comments').column('report_id').execute();

  await db.schema
    .createTable('forge_sources')
    // "github:owner/repo" or "gitlab:host/group/project"
    .addColumn('source', 'text', (c) => c.primaryKey())
    .addColumn('last_poll_at', 'timestamptz')
    .addColumn('last_success_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('last_imported', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['forge_sources', 'forge_comments', 'forge_imports']) await db.schema.dropTable(t).execute();
  // Refused (by the check) while reports from a forge exist: they are not deleted to go back.
  await sql`alter table reports drop constraint reports_channel_check`.execute(db);
  await sql`alter table reports add constraint reports_channel_check check (channel in ('web', 'api', 'email'))`.execute(db);
}
