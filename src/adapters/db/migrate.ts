import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { AppError } from '../../app/errors.js';
import * as m0001 from './migrations/0001-desk.js';
import * as m0002 from './migrations/0002-auth.js';
import * as m0003 from './migrations/0003-image-inventory.js';
import * as m0004 from './migrations/0004-rebuild-runs.js';
import * as m0005 from './migrations/0005-release-plan.js';
import * as m0006 from './migrations/0006-mail-out.js';
import * as m0007 from './migrations/0007-mail-in.js';
import * as m0008 from './migrations/0008-forge-channels.js';
import * as m0009 from './migrations/0009-advisories.js';
import * as m0010 from './migrations/0010-announcements.js';
import * as m0012 from './migrations/0012-frozen-advisories.js';
import * as m0013 from './migrations/0013-rate-limits.js';
import * as m0014 from './migrations/0014-advisory-index.js';

/** Every migration, in order. Listed here (not read from disk) so that dist/ and tsx behave alike. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-desk': m0001,
  '0002-auth': m0002,
  '0003-image-inventory': m0003,
  '0004-rebuild-runs': m0004,
  '0005-release-plan': m0005,
  '0006-mail-out': m0006,
  '0007-mail-in': m0007,
  '0008-forge-channels': m0008,
  '0009-advisories': m0009,
  '0010-announcements': m0010,
  '0012-frozen-advisories': m0012,
  '0013-rate-limits': m0013,
  '0014-advisory-index': m0014,
};

export const migrationNames = (): string[] => Object.keys(MIGRATIONS);

/** Brings the schema to the newest migration; on PostgreSQL Kysely's lock keeps concurrent starts safe. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError('internal', `database migration ${failed} failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Moves the schema to the named migration, down or up (an operator's rollback, and the tests of a migration's data step). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  if (!(name in MIGRATIONS)) throw new AppError('invalid_input', `there is no migration ${name}`);
  const result = await new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } }).migrateTo(name);
  if (result.error) throw new AppError('internal', `migrating to ${name} failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`);
}
