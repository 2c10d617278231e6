import { sql, type Kysely } from 'kysely';

/**
 * Outgoing mail. mail_outbox holds one row per mail the desk means to send, keyed by the occasion
 * (`ack:<report>`, `event:<event>:reporter`, `due-soon:<report>:<stage>:<deadline>:<user>`, ...):
 * the unique key lets whichever process notices an occasion first write its mail, and every other
 * find it there, so each mail is written once. Senders claim due rows with FOR UPDATE SKIP LOCKED
 * and a lease (locked_until), retry with backoff and end as 'sent', 'failed' (shown to the team) or
 * 'cancelled' (no longer needed). A secret the mail must carry (a tracking or invitation link) is
 * sealed with the desk's key in `secret` and erased once the mail is sent. No report content is
 * copied here: the mail is rendered from the report when it is sent.
 *
 * reports.reporter_key is the reporter's OpenPGP public key (armored), when known: mail to them is
 * then encrypted. The notifier's starting point is set to the newest event and message at the time
 * of the migration, so a desk that gets mail later does not mail its whole history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('reporter_key', 'text').execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('ack', 'event', 'message', 'new-report', 'due-soon', 'overdue', 'digest', 'invitation')`))
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`audience in ('reporter', 'team', 'invitee')`))
    .addColumn('report_id', 'uuid', (c) => c.references('reports.id'))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    // what the mail is about (event id, message id, stage and deadline, digest date): never report content
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'sent', 'failed', 'cancelled')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addCheckConstraint('mail_outbox_sent_whole', sql`(status = 'sent') = (sent_at is not null)`)
    .execute();
  await sql`create index mail_outbox_due_idx on mail_outbox (next_attempt_at) where status = 'pending'`.execute(db);
  await db.schema.createIndex('mail_outbox_created_idx').on('mail_outbox').column('created_at').execute();
  await db.schema.createIndex('mail_outbox_report_idx').on('mail_outbox').column('report_id').execute();

  await sql`
    insert into settings (key, value, updated_at)
    select 'mail_notifier_cursor',
           jsonb_build_object('floor', greatest((select max(at) from report_events), (select max(at) from messages)), 'through', null),
           now()
    on conflict (key) do nothing`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from settings where key = 'mail_notifier_cursor'`.execute(db);
  await db.schema.dropTable('mail_outbox').execute();
  await db.schema.alterTable('reports').dropColumn('reporter_key').execute();
}
