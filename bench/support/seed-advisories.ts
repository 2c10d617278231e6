import { migrateToLatest } from '../../src/adapters/db/migrate.js';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { loadDatabaseConfig } from '../../src/config.js';
import { exampleAdvisory, insertPublished, REPO, seedInventory } from '../../test/advisories-public/support.js';

/**
 * Published advisories in a desk's database before it starts, stored as the desk stores them (the
 * public advisory tests' helpers: the Mautic example advisory under new idents and titles, published
 * a day apart, and the image inventory it resolves against), so that the public pages have content.
 * The database is the one `cvdesk serve` opens with that CVDESK_DATA_DIR or DATABASE_URL.
 */
export async function seedPublishedAdvisories(where: { dataDir: string } | { databaseUrl: string }, count: number): Promise<string[]> {
  const env = 'databaseUrl' in where ? { DATABASE_URL: where.databaseUrl } : { CVDESK_DATA_DIR: where.dataDir };
  const database = await openDatabase(loadDatabaseConfig(env, process.cwd()));
  try {
    await migrateToLatest(database.db);
    const { advisory, inventory } = exampleAdvisory();
    await seedInventory(database.db, REPO, inventory);
    const idents: string[] = [];
    for (let i = 1; i <= count; i++) {
      const ident = `CVDESK-2026-${String(i).padStart(4, '0')}`;
      await insertPublished(database.db, ident, { ...advisory, title: `${advisory.title} (${i})` }, new Date(Date.UTC(2026, 10, i, 12)));
      idents.push(ident);
    }
    return idents;
  } finally {
    await database.close();
  }
}
