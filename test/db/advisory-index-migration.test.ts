import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTo, migrateToLatest } from '../../src/adapters/db/migrate.js';
import type { Database } from '../../src/adapters/db/open-database.js';
import { REPO, exampleAdvisory, insertPublished } from '../advisories-public/support.js';
import { openTestDatabase, testEngine } from '../support/database.js';

/**
 * Migration 0014 rewrites the revisions frozen under 0012: the inventory each held moves into
 * inventory_snapshots (once per content), and its affected images into advisory_affected.
 */
describe(`migration 0014 on ${testEngine()}: frozen revisions of 0012`, () => {
  let database: Database;
  const at = new Date('2026-11-25T10:00:00Z');
  const { advisory, inventory } = exampleAdvisory();
  const affected = inventory.filter((t) => ['5.2.1', '5.2.1-apache'].includes(t.tag));
  const oldResolution = (tags: typeof inventory) => ({
    inventories: { [REPO]: tags },
    project: { name: 'Mautic Docker images' },
    images: [{ name: REPO, affected: affected.map((t) => ({ ...t, image: REPO, remedy: { kind: 'none' } })), fixed: [], notAffected: [], excluded: [] }],
  });

  beforeAll(async () => {
    database = await openTestDatabase();
    await migrateTo(database.db, '0013-rate-limits');
    const db = database.db;
    const frozen = async (ident: string, tags: typeof inventory) => {
      const { id } = await insertPublished(db, ident, advisory, at);
      await sql`insert into advisory_frozen (advisory_id, revision, resolution, outputs, frozen_at) values (${id}, 1, ${JSON.stringify(oldResolution(tags))}::jsonb, ${JSON.stringify({ csaf: [], osv: '{}' })}::jsonb, ${at})`.execute(db);
      return id;
    };
    await frozen('CVDESK-2026-0001', inventory);
    await frozen('CVDESK-2026-0002', inventory);
    await frozen('CVDESK-2026-0003', inventory.slice(0, 5));
    expect(await migrateToLatest(db)).toEqual(['0014-advisory-index']);
  });
  afterAll(() => database?.close());

  it('keeps each inventory once, and the revisions name their snapshot instead of holding a copy', async () => {
    const db = database.db;
    const snapshots = await db.selectFrom('inventory_snapshots').select(['digest', 'repository', 'tags']).execute();
    expect(snapshots).toHaveLength(2);
    expect(snapshots.map((s) => s.tags.length).sort((a, b) => a - b)).toEqual([5, inventory.length]);
    const rows = await db.selectFrom('advisory_frozen as f').innerJoin('advisories as a', 'a.id', 'f.advisory_id').select(['a.ident', 'f.resolution']).orderBy('a.ident').execute();
    const refs = rows.map((r) => (r.resolution as { inventorySnapshots: Record<string, string> }).inventorySnapshots[REPO]);
    expect(refs[0]).toBe(refs[1]);
    expect(refs[2]).not.toBe(refs[0]);
    expect(new Set(refs)).toEqual(new Set(snapshots.map((s) => s.digest)));
    for (const r of rows) {
      expect(r.resolution).not.toHaveProperty('inventories');
      expect(r.resolution).toMatchObject({ project: { name: 'Mautic Docker images' }, images: [{ name: REPO }] });
    }
  });

  it('indexes every affected image of every frozen revision', async () => {
    const rows = await database.db.selectFrom('advisory_affected as x').innerJoin('advisories as a', 'a.id', 'x.advisory_id').select(['a.ident', 'x.revision', 'x.repository', 'x.tag', 'x.digest']).orderBy('a.ident').orderBy('x.tag').execute();
    const want = ['CVDESK-2026-0001', 'CVDESK-2026-0002', 'CVDESK-2026-0003'].flatMap((ident) => affected.map((t) => ({ ident, revision: 1, repository: REPO, tag: t.tag, digest: t.digest })));
    expect(rows).toEqual(want);
  });
});
