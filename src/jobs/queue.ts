import { sql } from 'kysely';
import type { Db } from '../adapters/db/open-database.js';

/**
 * A small work queue over the `jobs` table, shared by every desk process on the database: workers
 * claim due jobs with FOR UPDATE SKIP LOCKED (so two workers never take the same job), hold them
 * for a lease (locked_until; a worker that dies releases its jobs when the lease ends), and a job
 * that fails is retried later with exponential backoff until it runs out of attempts.
 */
export interface QueuedJob {
  id: number;
  queue: string;
  payload: Record<string, unknown>;
  /** Counting this one: 1 on the first try. */
  attempts: number;
}

export interface EnqueueInput {
  queue: string;
  payload: Record<string, unknown>;
  /**
   * At most one job with this key ever exists (done or not), e.g. `ack-mail:<report id>`: enqueuing
   * it again returns the existing job. Use a key that names the occasion, not the kind of work.
   */
  dedupeKey?: string;
  /** Not before this instant (default: now). */
  runAt?: Date;
}

export async function enqueueJob(db: Db, input: EnqueueInput, now: Date): Promise<{ id: number; created: boolean }> {
  const row = await db
    .insertInto('jobs')
    .values({ queue: input.queue, payload: input.payload, dedupe_key: input.dedupeKey ?? null, run_at: input.runAt ?? now })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (row) return { id: row.id, created: true };
  // Only a dedupe key can conflict.
  const existing = await db.selectFrom('jobs').select('id').where('dedupe_key', '=', input.dedupeKey!).executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/**
 * Takes up to `limit` due jobs of a queue for `leaseMs`. One transaction: the rows are locked while
 * they are marked, and rows another worker is marking are skipped rather than waited for.
 */
export async function claimJobs(db: Db, input: { queue: string; limit: number; leaseMs: number }, now: Date): Promise<QueuedJob[]> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('jobs')
      .select('id')
      .where('queue', '=', input.queue)
      .where('done_at', 'is', null)
      .where('run_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .orderBy('run_at')
      .orderBy('id')
      .limit(input.limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    const rows = await trx
      .updateTable('jobs')
      .set({ locked_until: new Date(now.getTime() + input.leaseMs), attempts: sql<number>`attempts + 1` })
      .where(
        'id',
        'in',
        due.map((d) => d.id),
      )
      .returning(['id', 'queue', 'payload', 'attempts', 'run_at'])
      .execute();
    return rows
      .sort((a, b) => a.run_at.getTime() - b.run_at.getTime() || a.id - b.id)
      .map((r) => ({ id: r.id, queue: r.queue, payload: r.payload, attempts: r.attempts }));
  });
}

/** Done: the job leaves the queue. An error of an earlier attempt no longer describes it. */
export async function completeJob(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('jobs').set({ done_at: now, locked_until: null, last_error: null }).where('id', '=', id).execute();
}

export interface RetryRule {
  maxAttempts: number;
  /** Delay before the second attempt; it doubles for each attempt after. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryRule = { maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 3_600_000 };

/** The wait after a failed attempt number `attempts` (1-based): base, 2×base, 4×base, ... capped. */
export const backoffMs = (rule: RetryRule, attempts: number): number => Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.max(0, attempts - 1));

/**
 * A failed attempt: the job is due again after its backoff, or, with no attempts left (or a
 * permanent failure such as a payload that can never be valid), it is closed with its error kept.
 * A closed job with last_error set is a job that gave up.
 */
export async function failJob(
  db: Db,
  job: Pick<QueuedJob, 'id' | 'attempts'>,
  error: string,
  now: Date,
  rule: RetryRule = DEFAULT_RETRY,
  options: { permanent?: boolean } = {},
): Promise<{ retryAt: Date | null }> {
  const message = error.slice(0, 2000);
  if (options.permanent || job.attempts >= rule.maxAttempts) {
    await db.updateTable('jobs').set({ done_at: now, locked_until: null, last_error: message }).where('id', '=', job.id).execute();
    return { retryAt: null };
  }
  const retryAt = new Date(now.getTime() + backoffMs(rule, job.attempts));
  await db.updateTable('jobs').set({ run_at: retryAt, locked_until: null, last_error: message }).where('id', '=', job.id).execute();
  return { retryAt };
}
