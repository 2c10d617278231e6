import { sql, type Kysely } from 'kysely';

/**
 * Request counters of the rate limits (src/web/rate-limits.ts), shared by every desk process on one
 * database so that the overall limits hold however many processes serve. One row per key (a surface
 * and a keyed hash of a client address, or the surface's overall key) and fixed window; rows are
 * deleted once their window has ended. Unlogged: the counts are worth nothing after a crash, so
 * they cost no write-ahead log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unlogged table rate_limit_counters (
      key text not null,
      window_start timestamptz not null,
      window_end timestamptz not null,
      count integer not null check (count > 0),
      primary key (key, window_start)
    )`.execute(db);
  await db.schema.createIndex('rate_limit_counters_end_idx').on('rate_limit_counters').column('window_end').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_counters').execute();
}
