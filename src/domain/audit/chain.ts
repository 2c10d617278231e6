/**
 * The audit log's hash chain. Each entry's hash covers its own content and the previous entry's
 * hash, so changing or deleting any row breaks every hash after it. Hashing is passed in: the
 * domain does no crypto, and the choice of SHA-256 belongs to the caller.
 */
export interface AuditEntryContent {
  seq: number;
  at: string; // ISO instant, millisecond precision
  actorKind: string;
  actorId: string | null;
  action: string;
  reportId: string | null;
  detail: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);

/** A canonical text of a value: keys sorted at every depth, so the same content always hashes alike. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export const chainInput = (prevHash: string, e: AuditEntryContent): string => `${prevHash}\n${canonicalJson(e)}`;

export type ChainBreak = { seq: number; problem: 'hash_mismatch' | 'prev_mismatch' | 'gap' };

/** Walks entries in seq order and reports the first place the chain does not hold. */
export function verifyChain(
  entries: Iterable<AuditEntryContent & { prevHash: string; hash: string }>,
  hash: (text: string) => string,
  start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): { ok: true; count: number; last: { seq: number; hash: string } } | { ok: false; count: number; break: ChainBreak } {
  let prev = start;
  let count = 0;
  for (const e of entries) {
    if (e.seq !== prev.seq + 1) return { ok: false, count, break: { seq: e.seq, problem: 'gap' } };
    if (e.prevHash !== prev.hash) return { ok: false, count, break: { seq: e.seq, problem: 'prev_mismatch' } };
    const { prevHash: _p, hash: h, ...content } = e;
    if (hash(chainInput(prev.hash, content)) !== h) return { ok: false, count, break: { seq: e.seq, problem: 'hash_mismatch' } };
    prev = { seq: e.seq, hash: h };
    count++;
  }
  return { ok: true, count, last: prev };
}
