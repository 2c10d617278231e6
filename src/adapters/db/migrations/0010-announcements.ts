import { sql, type Kysely } from 'kysely';

/**
 * Announcements of published advisories (issue #5): mail to subscribers and signed webhooks.
 *
 * subscribers: one row per address. Double opt-in: a 'pending' row holds only the SHA-256 of its
 * confirmation token (the link travels sealed in the outbox row until the mail is sent) and when it
 * expires; confirming clears it. The unsubscribe token is derived from the desk's key and the row
 * id (so every announcement can carry it without storing it); only its hash is kept, for lookup.
 *
 * webhooks: URLs an admin added, each with its HMAC key sealed with the desk's key (bound to the
 * row). Removing one deactivates it; its deliveries stay as history.
 *
 * announcements: one row per advisory and event, written in the same transaction as the outbox
 * rows and webhook deliveries it causes. Its primary key makes each publication announced once,
 * however many desk processes notice it. Advisories published before this migration count as
 * announced: a desk that gets announcements later does not announce its history.
 *
 * webhook_deliveries: one per webhook and announcement, claimed with FOR UPDATE SKIP LOCKED and a
 * lease like the outbox, retried with backoff, ending 'delivered', 'failed' or 'cancelled'.
 *
 * mail_outbox gains the kinds 'subscription-confirm' and 'announcement' and the audience
 * 'subscriber'; their headers (List-Unsubscribe, List-Id) are made when the mail is rendered.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('subscribers')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('en', 'de')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'confirmed', 'unsubscribed')`))
    .addColumn('confirm_hash', 'text', (c) => c.unique())
    .addColumn('confirm_expires_at', 'timestamptz')
    // when the last confirmation mail was queued: a flood of sign-ups for one address mails it rarely
    .addColumn('confirm_sent_at', 'timestamptz')
    .addColumn('unsubscribe_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('unsubscribed_at', 'timestamptz')
    .addCheckConstraint('subscribers_pending_whole', sql`(state = 'pending') = (confirm_hash is not null and confirm_expires_at is not null)`)
    .addCheckConstraint('subscribers_confirmed_when', sql`state <> 'confirmed' or confirmed_at is not null`)
    .addCheckConstraint('subscribers_unsubscribed_when', sql`(state = 'unsubscribed') = (unsubscribed_at is not null)`)
    .execute();
  await sql`create index subscribers_expiry_idx on subscribers (confirm_expires_at) where state = 'pending'`.execute(db);

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('removed_at', 'timestamptz')
    .addColumn('removed_by', 'uuid', (c) => c.references('users.id'))
    .addCheckConstraint('webhooks_removed_whole', sql`active = (removed_at is null)`)
    .execute();

  await db.schema
    .createTable('announcements')
    .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id'))
    .addColumn('event', 'text', (c) => c.notNull().check(sql`event in ('published')`))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('announced_at', 'timestamptz', (c) => c.notNull())
    .addColumn('mails', 'integer', (c) => c.notNull())
    .addColumn('webhooks', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('announcements_pkey', ['advisory_id', 'event'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('webhook_id', 'uuid', (c) => c.notNull().references('webhooks.id'))
    .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'failed', 'cancelled')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz')
    .addUniqueConstraint('webhook_deliveries_once', ['webhook_id', 'advisory_id', 'event'])
    .addCheckConstraint('webhook_deliveries_delivered_whole', sql`(status = 'delivered') = (delivered_at is not null)`)
    .execute();
  await sql`create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending'`.execute(db);
  await db.schema.createIndex('webhook_deliveries_created_idx').on('webhook_deliveries').column('created_at').execute();

  await sql`alter table mail_outbox drop constraint mail_outbox_kind_check`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_kind_check check (kind in ('ack', 'event', 'message', 'new-report', 'due-soon', 'overdue', 'digest', 'invitation', 'subscription-confirm', 'announcement'))`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_audience_check`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_audience_check check (audience in ('reporter', 'team', 'invitee', 'subscriber'))`.execute(db);

  await sql`
    insert into announcements (advisory_id, event, revision, announced_at, mails, webhooks)
    select id, 'published', revision, now(), 0, 0 from advisories where published_at is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from mail_outbox where kind in ('subscription-confirm', 'announcement') or audience = 'subscriber'`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_audience_check`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_audience_check check (audience in ('reporter', 'team', 'invitee'))`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_kind_check`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_kind_check check (kind in ('ack', 'event', 'message', 'new-report', 'due-soon', 'overdue', 'digest', 'invitation'))`.execute(db);
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('announcements').execute();
  await db.schema.dropTable('webhooks').execute();
  await db.schema.dropTable('subscribers').execute();
}
