import { sql, type Kysely } from 'kysely';

/**
 * The desk's first schema: reports and their conversation, the team's accounts and sessions, and
 * the audit log. Timestamps are timestamptz; secrets (reporter tokens, session ids, invitations)
 * are stored only as SHA-256 hashes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'member', 'coordinator')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enabled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_active_at', 'timestamptz')
    .addColumn('removed_at', 'timestamptz')
    .execute();
  await sql`create unique index users_email_key on users (lower(email))`.execute(db);

  await db.schema
    .createTable('reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique().generatedAlwaysAsIdentity())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('image', 'text')
    .addColumn('tag', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('steps', 'text')
    .addColumn('impact', 'text')
    .addColumn('reporter_cvss', 'text')
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_email', 'text')
    .addColumn('credit_name', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('web', 'api', 'email')`))
    .addColumn('encrypted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('rejection_reason', 'text')
    .addColumn('duplicate_of', 'uuid', (c) => c.references('reports.id'))
    .addColumn('severity', 'text')
    .addColumn('cvss_vector', 'text')
    .addColumn('cvss_score', 'double precision')
    .addColumn('cwe', 'text')
    .addColumn('scope_area', 'text')
    .addColumn('upstream_consent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('assignee_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('triaged_at', 'timestamptz')
    .addColumn('fixed_at', 'timestamptz')
    .addColumn('disclosed_at', 'timestamptz')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reports_state_idx').on('reports').column('state').execute();

  await db.schema
    .createTable('report_pauses')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('reports.id'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('report_pauses_report_idx').on('report_pauses').column('report_id').execute();

  // The timeline: every transition and change, with who and when; `visible` marks what the reporter sees.
  await db.schema
    .createTable('report_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('reports.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull().check(sql`actor_kind in ('reporter', 'user', 'system')`))
    .addColumn('actor_id', 'uuid')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('visible', 'boolean', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_events_report_idx').on('report_events').columns(['report_id', 'id']).execute();

  // Messages between reporter and team, and the team's private notes (internal = true).
  await db.schema
    .createTable('messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('reports.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('author_kind', 'text', (c) => c.notNull().check(sql`author_kind in ('reporter', 'user', 'system')`))
    .addColumn('author_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('internal', 'boolean', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_report_idx').on('messages').columns(['report_id', 'at']).execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('reports.id'))
    .addColumn('message_id', 'uuid', (c) => c.references('messages.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_report_idx').on('attachments').column('report_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('second_factor', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('invitations')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text')
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'member', 'coordinator')`))
    .addColumn('report_id', 'uuid', (c) => c.references('reports.id'))
    .addColumn('invited_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('coordinator_grants')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('reports.id'))
    .addColumn('granted_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('coordinator_grants_pkey', ['user_id', 'report_id'])
    .execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_key_idx').on('login_attempts').columns(['key', 'at']).execute();

  // Append-only and hash-chained: each row's hash covers its content and the previous row's hash.
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('report_id', 'uuid')
    .addColumn('detail', 'jsonb', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  // Scheduled tasks: one row per (task, slot); the unique key makes a slot run once across processes.
  await db.schema
    .createTable('job_runs')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slot', 'timestamptz', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('job_runs_pkey', ['name', 'slot'])
    .execute();

  // Queued work (mail to send, reminders): claimed with FOR UPDATE SKIP LOCKED, retried with backoff.
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('run_at', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('done_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute();
  await sql`create index jobs_due_idx on jobs (queue, run_at) where done_at is null`.execute(db);

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['settings', 'jobs', 'job_runs', 'audit_log', 'login_attempts', 'coordinator_grants', 'invitations', 'sessions', 'attachments', 'messages', 'report_events', 'report_pauses', 'reports', 'users']) {
    await db.schema.dropTable(t).execute();
  }
}
