import { sql, type Kysely } from 'kysely';

/**
 * The rebuild job's record: one row per run (scheduled or started by an admin) with the drift of
 * every supported tag it checked, the request it sent to the project's CI (never the secret), the
 * answer, and the error. At most one run is in progress at a time (the partial unique index), so a
 * "run now" during the scheduled run cannot trigger the CI twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rebuild_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // the schedule's slot; null for a run an admin started
    .addColumn('slot', 'timestamptz')
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('schedule', 'manual')`))
    .addColumn('requested_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'triggered', 'not-needed', 'not-triggered', 'failed')`))
    // the policy's releases.rebuild.when at the time
    .addColumn('rebuild_when', 'text', (c) => c.notNull().check(sql`rebuild_when in ('always', 'drift')`))
    .addColumn('reason', 'text')
    .addColumn('repositories', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('tags', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('trigger_kind', 'text')
    .addColumn('request', 'jsonb')
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // when the CI accepted the request: builds that appear after it are this run's
    .addColumn('triggered_at', 'timestamptz')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('rebuild_runs_started_idx').on('rebuild_runs').column('started_at').execute();
  await sql`create unique index rebuild_runs_one_running on rebuild_runs (status) where status = 'running'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rebuild_runs').execute();
}
