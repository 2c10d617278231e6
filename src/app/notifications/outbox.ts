import { deriveKey, open, seal } from '../../adapters/crypto/secret-box.js';
import type { Db } from '../../adapters/db/open-database.js';
import type { MailOutboxTable } from '../../adapters/db/tables.js';
import type { Context } from '../../context.js';

/**
 * The outbox: one row per mail, keyed by its occasion (the dedupe key). Writing is idempotent
 * (ON CONFLICT DO NOTHING), so any process, any number of times, may write the mail for an
 * occasion and only the first write counts. Links that are secrets (a reporter's tracking link, an
 * invitation) are sealed with the desk's key, bound to the row, and erased once the mail is sent.
 */
export type OutboxKind = MailOutboxTable['kind'];
export type OutboxAudience = MailOutboxTable['audience'];
export type OutboxStatus = MailOutboxTable['status'];

export interface MailIntent {
  dedupeKey: string;
  kind: OutboxKind;
  audience: OutboxAudience;
  reportId: string | null;
  userId: string | null;
  recipient: string;
  language: string;
  payload: Record<string, unknown>;
  /** A link the mail must carry that is a secret: sealed before it is stored. */
  secret?: string;
  /** Not before this instant (default: now). */
  notBefore?: Date;
}

export type OutboxDeps = Pick<Context, 'newId' | 'secretKey' | 'config'>;

const PURPOSE = 'mail-outbox';

export const sealOutboxSecret = (secretKey: Buffer, rowId: string, plaintext: string): string => seal(deriveKey(secretKey, PURPOSE), plaintext, rowId);
export const openOutboxSecret = (secretKey: Buffer, rowId: string, box: string): string => open(deriveKey(secretKey, PURPOSE), box, rowId);

/** "<mail.<row id>@desk host>": stable for the row, so a retried mail is the same mail to the receiver. */
export const outboxMessageId = (deps: Pick<Context, 'config'>, rowId: string): string => `<mail.${rowId}@${deps.config.baseUrl.hostname}>`;

/** The thread a report's mail belongs to (References), the same for every mail about the report. */
export const reportThreadId = (deps: Pick<Context, 'config'>, reportId: string): string => `<report.${reportId}@${deps.config.baseUrl.hostname}>`;

/** Writes the mail of each intent unless its occasion has one already; returns how many are new. `db` may be a transaction. */
export async function enqueueMail(db: Db, deps: OutboxDeps, intents: readonly MailIntent[], now: Date): Promise<number> {
  const unique = [...new Map(intents.map((m) => [m.dedupeKey, m])).values()];
  if (unique.length === 0) return 0;
  let created = 0;
  // Chunks keep the statement well under PostgreSQL's limit of bind parameters.
  for (let i = 0; i < unique.length; i += 500) {
    const rows = unique.slice(i, i + 500).map((m) => {
      const id = deps.newId();
      return {
        id,
        dedupe_key: m.dedupeKey,
        kind: m.kind,
        audience: m.audience,
        report_id: m.reportId,
        user_id: m.userId,
        recipient: m.recipient,
        language: m.language,
        payload: m.payload,
        secret: m.secret === undefined ? null : sealOutboxSecret(deps.secretKey, id, m.secret),
        status: 'pending' as const,
        next_attempt_at: m.notBefore ?? now,
        locked_until: null,
        last_error: null,
        created_at: now,
        sent_at: null,
        message_id: outboxMessageId(deps, id),
      };
    });
    const inserted = await db
      .insertInto('mail_outbox')
      .values(rows)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id')
      .execute();
    created += inserted.length;
  }
  return created;
}
