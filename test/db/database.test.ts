import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, migrationNames } from '../../src/adapters/db/migrate.js';
import type { Database } from '../../src/adapters/db/open-database.js';
import { openTestDatabase, testEngine } from '../support/database.js';

describe(`database on ${testEngine()}`, () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database?.close());

  it('is migrated to the newest migration, and migrating again does nothing', async () => {
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db);
    expect(applied.rows.map((r) => r.name)).toEqual(migrationNames());
    expect(await migrateToLatest(database.db)).toEqual([]);
  });

  it('types round-trip alike on both engines: timestamptz, jsonb, bytea, identity, double', async () => {
    const db = database.db;
    const at = new Date('2026-11-23T10:00:00.123Z');
    await db.insertInto('settings').values({ key: 'k', value: { a: [1, 'x'] }, updated_at: at }).execute();
    const row = await db.selectFrom('settings').selectAll().where('key', '=', 'k').executeTakeFirstOrThrow();
    expect(row.value).toEqual({ a: [1, 'x'] });
    expect(row.updated_at).toBeInstanceOf(Date);
    expect(row.updated_at.toISOString()).toBe(at.toISOString());
    const job = await db.insertInto('jobs').values({ queue: 'q', payload: {}, run_at: at }).returning(['id', 'attempts']).executeTakeFirstOrThrow();
    expect(typeof job.id).toBe('number');
    expect(job.attempts).toBe(0);
    const count = await db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('a failed transaction leaves nothing behind, and queries after it still work', async () => {
    const db = database.db;
    const at = new Date();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('settings').values({ key: 'half', value: 1, updated_at: at }).execute();
        await trx.insertInto('settings').values({ key: 'half', value: 2, updated_at: at }).execute(); // duplicate key
      }),
    ).rejects.toThrow();
    expect(await db.selectFrom('settings').select('key').where('key', '=', 'half').execute()).toEqual([]);
  });

  it('concurrent transactions do not interleave on the single PGlite connection', async () => {
    const db = database.db;
    await db.insertInto('settings').values({ key: 'counter', value: 0, updated_at: new Date() }).execute();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction().execute(async (trx) => {
          const r = await trx.selectFrom('settings').select('value').where('key', '=', 'counter').forUpdate().executeTakeFirstOrThrow();
          await trx.updateTable('settings').set({ value: (r.value as number) + 1 }).where('key', '=', 'counter').execute();
        }),
      ),
    );
    const r = await db.selectFrom('settings').select('value').where('key', '=', 'counter').executeTakeFirstOrThrow();
    expect(r.value).toBe(20);
  });
});
