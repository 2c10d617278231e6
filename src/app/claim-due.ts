import { sql, type Selectable } from 'kysely';
import type { Db } from '../adapters/db/open-database.js';
import type { Tables } from '../adapters/db/tables.js';

/** The queues whose rows are sent by whichever desk process claims them first: outbox mail and webhook deliveries. */
export type LeasedQueue = 'mail_outbox' | 'webhook_deliveries';

/**
 * Claims up to `limit` due rows of a queue: one short transaction locks the pending rows whose time
 * has come with FOR UPDATE SKIP LOCKED and leases them (locked_until, attempts + 1), so two desk
 * processes never take the same row, and a process that dies gives its rows back when the lease
 * ends. Returns the claimed rows, oldest due first.
 */
export async function claimDue<T extends LeasedQueue>(db: Db, table: T, limit: number, now: Date, leaseMs: number): Promise<Array<Selectable<Tables[T]>>> {
  // Both queues have these columns; Kysely cannot follow them through a generic table name.
  const queue = table as LeasedQueue as 'mail_outbox';
  const claimed = await db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom(queue)
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .orderBy('next_attempt_at')
      .orderBy('created_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    return trx
      .updateTable(queue)
      .set({ locked_until: new Date(now.getTime() + leaseMs), attempts: sql<number>`attempts + 1` })
      .where(
        'id',
        'in',
        due.map((d) => d.id),
      )
      .returningAll()
      .execute();
  });
  claimed.sort((a, b) => a.next_attempt_at.getTime() - b.next_attempt_at.getTime() || a.created_at.getTime() - b.created_at.getTime());
  return claimed as unknown as Array<Selectable<Tables[T]>>;
}
