import type { Kysely } from 'kysely';

/**
 * TOTP replay guard: the last time step accepted for each user. A code is good for its 30-second
 * step (and one step either side for clock drift); once a step has been used, that code and any
 * older one is refused, so a code seen over someone's shoulder cannot be used a second time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('totp_last_step').execute();
}
