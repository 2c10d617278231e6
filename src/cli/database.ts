import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../adapters/db/open-database.js';
import { AppError } from '../app/errors.js';
import { loadDatabaseConfig } from '../config.js';
import type { CliIo } from './io.js';

/**
 * Opens the database the environment names (DATABASE_URL, else the embedded one under
 * CVDESK_DATA_DIR) for a maintenance command, and proves it answers. Any failure is an AppError
 * 'unreadable' (exit 2): the command could not look at anything.
 */
export async function openConfiguredDatabase(io: CliIo, options: { mustExist: boolean }): Promise<{ database: Database; where: string }> {
  const target = loadDatabaseConfig(io.env, io.cwd);
  const where = target.kind === 'postgres' ? `PostgreSQL at ${safeUrl(target.url)}` : `the embedded database in ${target.dataDir}`;
  if (target.kind === 'pglite' && target.dataDir && options.mustExist) {
    // PGlite would make a new, empty database in a folder that holds none.
    await access(join(target.dataDir, 'PG_VERSION')).catch(() => {
      throw new AppError('unreadable', `there is no database at ${target.dataDir} (set CVDESK_DATA_DIR to the desk's data folder, or DATABASE_URL)`);
    });
  }
  let database: Database | undefined;
  try {
    database = await openDatabase(target);
    await sql`select 1`.execute(database.db);
    return { database, where };
  } catch (e) {
    await database?.close().catch(() => {});
    throw new AppError('unreadable', `cannot open ${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A connection URL without its password, for messages. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Whether the schema has the table, i.e. whether the database was ever migrated. */
export async function hasTable(database: Database, table: string): Promise<boolean> {
  const r = await sql<{ t: string | null }>`select to_regclass(${table})::text as t`.execute(database.db);
  return r.rows[0]?.t != null;
}
