import { sql, type Kysely } from 'kysely';

/**
 * The release plan. report_releases holds, per fixed report, where its fix goes: the latest
 * out-of-cycle decision (who, when, why; the history is on the report's timeline and in the audit
 * log), the fix build taken from the image inventory (repository, tag, and the digest the tag had
 * then), and the release it shipped in (a window's date, or an out-of-cycle or plain release's
 * date). release_reminders has one row per security window the team was reminded of: its primary
 * key makes the reminder go out once, however many desk processes look.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_releases')
    .addColumn('report_id', 'uuid', (c) => c.primaryKey().references('reports.id'))
    .addColumn('out_of_cycle', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('out_of_cycle_basis', 'text', (c) => c.check(sql`out_of_cycle_basis in ('severity', 'urgent')`))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('decision_reason', 'text')
    .addColumn('build_repository', 'text')
    .addColumn('build_tag', 'text')
    .addColumn('build_digest', 'text')
    .addColumn('build_recorded_at', 'timestamptz')
    .addColumn('build_recorded_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('shipped_in', 'text', (c) => c.check(sql`shipped_in in ('window', 'out_of_cycle', 'release')`))
    .addColumn('shipped_date', 'text', (c) => c.check(sql`shipped_date ~ '^\\d{4}-\\d{2}-\\d{2}$'`))
    .addColumn('shipped_at', 'timestamptz')
    .addColumn('shipped_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    // A build is named whole or not at all, and so is a shipment; an out-of-cycle report says on what basis.
    .addCheckConstraint('report_releases_build_whole', sql`(build_repository is null) = (build_tag is null) and (build_tag is null) = (build_digest is null) and (build_digest is null) = (build_recorded_at is null)`)
    .addCheckConstraint('report_releases_shipped_whole', sql`(shipped_in is null) = (shipped_date is null) and (shipped_date is null) = (shipped_at is null)`)
    .addCheckConstraint('report_releases_basis', sql`not out_of_cycle or out_of_cycle_basis is not null`)
    .execute();

  await db.schema
    .createTable('release_reminders')
    .addColumn('window_start', 'timestamptz', (c) => c.primaryKey())
    .addColumn('window_date', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reports', 'jsonb', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('release_reminders').execute();
  await db.schema.dropTable('report_releases').execute();
}
