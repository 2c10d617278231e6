import type { Db } from '../adapters/db/open-database.js';
import { GENESIS_HASH, verifyChain, type ChainBreak } from '../domain/audit/chain.js';
import { sha256Hex } from './audit.js';

export type AuditVerification =
  | { intact: true; entries: number; lastSeq: number | null }
  | { intact: false; entries: number; break: ChainBreak; message: string };

const PROBLEMS: Record<ChainBreak['problem'], string> = {
  gap: 'the entry before it is missing (a row was deleted, or the sequence was changed)',
  prev_mismatch: "its prev_hash is not the previous entry's hash (an entry was changed, removed or inserted)",
  hash_mismatch: 'its content does not match its hash (the entry was changed after it was written)',
};

/**
 * Walks the whole audit log in seq order, in batches so a long log never sits in memory at once,
 * and checks the hash chain. The chain shows a changed, inserted or deleted row anywhere except
 * at the very end: removing the newest entries leaves a shorter chain that still holds.
 */
export async function verifyAuditLog(db: Db, options: { batchSize?: number } = {}): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? 1000;
  let start = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', start.seq).orderBy('seq').limit(batchSize).execute();
    if (rows.length === 0) return { intact: true, entries, lastSeq: entries === 0 ? null : start.seq };
    const r = verifyChain(
      rows.map((row) => ({
        seq: row.seq,
        at: row.at.toISOString(),
        actorKind: row.actor_kind,
        actorId: row.actor_id,
        action: row.action,
        reportId: row.report_id,
        detail: row.detail,
        prevHash: row.prev_hash,
        hash: row.hash,
      })),
      sha256Hex,
      start,
    );
    entries += r.count;
    if (!r.ok) return { intact: false, entries, break: r.break, message: `audit log broken at seq ${r.break.seq}: ${PROBLEMS[r.break.problem]}` };
    start = r.last;
  }
}
