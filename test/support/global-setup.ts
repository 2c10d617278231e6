import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../src/adapters/db/migrate.js';
import { openDatabase } from '../../src/adapters/db/open-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tar of a migrated PGlite data folder; empty when the run uses a PostgreSQL server. */
    pgliteDump: string;
  }
}

/**
 * PGlite takes seconds to create and migrate, but a fraction of that to load from a dump: build
 * one migrated database per run and let every test file start from its own copy.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'cvdesk-test-'));
  let file = '';
  if (!process.env.CVDESK_TEST_DATABASE_URL) {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrateToLatest(database.db);
    const dump = await database.pglite!.dumpDataDir('none');
    await database.close();
    file = join(dir, 'migrated.tar');
    await writeFile(file, new Uint8Array(await dump.arrayBuffer()));
  }
  project.provide('pgliteDump', file);
  return () => rm(dir, { recursive: true, force: true });
}
