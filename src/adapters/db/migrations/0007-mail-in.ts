import { sql, type Kysely } from 'kysely';

/**
 * Mail received by the desk's SMTP listener: one row per message, keyed by its Message-ID (or, for
 * mail without one, the SHA-256 of its bytes), so that a message delivered twice is stored once.
 * The row is written in the same transaction as the report or message the mail became, so the
 * `250` after DATA means both are committed.
 *
 * No raw mail is stored here: what a mail says lives where every channel's reports live (reports,
 * messages, attachments). For a mail that arrived OpenPGP-encrypted while the policy keeps such
 * mail encrypted at rest (mailIntake.keepEncryptedAtRest), only its encrypted original is kept, as
 * a file of the report, and no decrypted text reaches the database at all. This table holds the
 * facts the team needs to judge a mail: the claimed sender, whether a signature proved anything,
 * whether it was encrypted, and what became of it (including refusals, which store no content).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inbound_mail')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // the Message-ID with its angle brackets, or "sha256:<hex>" of the message when it has none
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('envelope_from', 'text')
    // the From header's address: claimed by the sender, proven only as `sender_proof` says
    .addColumn('claimed_from', 'text')
    .addColumn('sender_proof', 'text', (c) => c.notNull().check(sql`sender_proof in ('none', 'pgp')`))
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('report', 'message', 'refused', 'ignored')`))
    // why a mail was refused or ignored, as the sender was told
    .addColumn('reason', 'text')
    .addColumn('report_id', 'uuid', (c) => c.references('reports.id'))
    .addColumn('message_ref', 'uuid', (c) => c.references('messages.id'))
    .addColumn('encryption', 'text', (c) => c.notNull().check(sql`encryption in ('none', 'pgp-mime', 'inline')`))
    .addColumn('decryption', 'text', (c) => c.notNull().check(sql`decryption in ('none', 'decrypted', 'kept-encrypted', 'failed')`))
    .addColumn('signature', 'text', (c) => c.notNull().check(sql`signature in ('not_signed', 'verified', 'bad_signature', 'unknown_key')`))
    .addColumn('signer_fingerprint', 'text')
    // files of the mail that were not kept (type not allowed, too large, too many), with the reason
    .addColumn('dropped', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema.createIndex('inbound_mail_report_idx').on('inbound_mail').column('report_id').execute();
  await db.schema.createIndex('inbound_mail_received_idx').on('inbound_mail').column('received_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inbound_mail').execute();
}
