import type { Db } from '../adapters/db/open-database.js';
import { GENESIS_HASH, verifyChain, type ChainBreak } from '../domain/audit/chain.js';
import { AUDIT_HEAD, sha256Hex } from './audit.js';

export type AuditVerification =
  | { intact: true; entries: number; lastSeq: number | null }
  | { intact: false; entries: number; break: ChainBreak | { seq: number; problem: 'truncated' }; message: string };

const PROBLEMS: Record<ChainBreak['problem'] | 'truncated', string> = {
  gap: 'the entry before it is missing (a row was deleted, or the sequence was changed)',
  prev_mismatch: "its prev_hash is not the previous entry's hash (an entry was changed, removed or inserted)",
  hash_mismatch: 'its content does not match its hash (the entry was changed after it was written)',
  truncated: 'the newest entries were removed (the recorded head of the log is further on)',
};

async function readHead(db: Db): Promise<{ seq: number; hash: string } | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', AUDIT_HEAD).executeTakeFirst();
  const v = row?.value as { seq?: unknown; hash?: unknown } | undefined;
  return v && typeof v.seq === 'number' && typeof v.hash === 'string' ? { seq: v.seq, hash: v.hash } : null;
}

/** The chain held up to its last entry; that entry must be the recorded head, or entries after it are gone. */
function checkHead(head: { seq: number; hash: string } | null, entries: number, last: { seq: number; hash: string }): AuditVerification {
  if (head && (head.seq !== last.seq || head.hash !== last.hash)) {
    const seq = Math.min(head.seq, last.seq + 1);
    return { intact: false, entries, break: { seq, problem: 'truncated' }, message: `audit log broken at seq ${seq}: ${PROBLEMS.truncated}` };
  }
  return { intact: true, entries, lastSeq: entries === 0 ? null : last.seq };
}

/**
 * Walks the whole audit log in seq order, in batches so a long log never sits in memory at once,
 * and checks the hash chain: a changed, inserted or deleted row breaks it. Removing the newest
 * entries would leave a shorter chain that still holds, so the last entry is also compared with
 * the head that every append records.
 */
export async function verifyAuditLog(db: Db, options: { batchSize?: number } = {}): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? 1000;
  let start = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', start.seq).orderBy('seq').limit(batchSize).execute();
    if (rows.length === 0) return checkHead(await readHead(db), entries, start);
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
