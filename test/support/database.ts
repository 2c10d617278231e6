import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { migrateToLatest } from '../../src/adapters/db/migrate.js';
import { openDatabase, type Database } from '../../src/adapters/db/open-database.js';

/** Which engine this run tests: PGlite by default, PostgreSQL when CVDESK_TEST_DATABASE_URL is set. */
export const testEngine = (): 'pglite' | 'postgres' => (process.env.CVDESK_TEST_DATABASE_URL ? 'postgres' : 'pglite');

/**
 * A fresh, migrated database of its own for a test file: a copy of the run's migrated PGlite, or a
 * new database on the PostgreSQL server (dropped again on close).
 */
export async function openTestDatabase(): Promise<Database & { url?: string }> {
  const serverUrl = process.env.CVDESK_TEST_DATABASE_URL;
  if (!serverUrl) {
    const dump = await readFile(inject('pgliteDump'));
    return openDatabase({ kind: 'pglite', dataDir: null, loadDump: new Blob([new Uint8Array(dump)]) });
  }
  const name = `cvdesk_test_${randomBytes(6).toString('hex')}`;
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: serverUrl, max: 1 }) }) });
  await sql`create database ${sql.id(name)}`.execute(admin);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  await migrateToLatest(database.db);
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
      await admin.destroy();
    },
  };
}

/**
 * A test database and a second, independent connection to it, as another desk process would have:
 * its own pool on PostgreSQL; on PGlite (one process's database) the same one.
 */
export async function openTestDatabaseTwice(): Promise<{ database: Database & { url?: string }; other: Database; close(): Promise<void> }> {
  const database = await openTestDatabase();
  const other = database.url ? await openDatabase({ kind: 'postgres', url: database.url }) : database;
  return {
    database,
    other,
    close: async () => {
      if (other !== database) await other.close();
      await database.close();
    },
  };
}
