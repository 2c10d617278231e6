import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../adapters/db/open-database.js';
import { chainInput, GENESIS_HASH, type AuditEntryContent } from '../domain/audit/chain.js';

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export interface AuditEvent {
  actorKind: 'user' | 'reporter' | 'system' | 'anonymous';
  actorId?: string | null;
  /** A verb in dotted form: report.read, report.transition, member.remove, session.login ... */
  action: string;
  reportId?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * Appends one entry to the hash-chained audit log, inside the caller's transaction so that the
 * entry and the change it records land together. The table lock orders concurrent appends.
 */
export async function appendAudit(trx: Db, event: AuditEvent, now: Date): Promise<void> {
  await sql`lock table audit_log in share row exclusive mode`.execute(trx);
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const content: AuditEntryContent = {
    seq: (last?.seq ?? 0) + 1,
    at: now.toISOString(),
    actorKind: event.actorKind,
    actorId: event.actorId ?? null,
    action: event.action,
    reportId: event.reportId ?? null,
    detail: event.detail ?? {},
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = sha256Hex(chainInput(prevHash, content));
  await trx
    .insertInto('audit_log')
    .values({
      seq: content.seq,
      at: now,
      actor_kind: content.actorKind,
      actor_id: content.actorId,
      action: content.action,
      report_id: content.reportId,
      detail: content.detail,
      prev_hash: prevHash,
      hash,
    })
    .execute();
  // The head (newest seq and hash) is kept apart from the chain, so removing the newest entries shows too.
  const head = { seq: content.seq, hash };
  await trx
    .insertInto('settings')
    .values({ key: AUDIT_HEAD, value: head, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: head, updated_at: now }))
    .execute();
}

export const AUDIT_HEAD = 'audit_head';

/** For a read outside any other change: its own small transaction. */
export const auditRead = (db: Db, event: AuditEvent, now: Date) => db.transaction().execute((trx) => appendAudit(trx, event, now));
