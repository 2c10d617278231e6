import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/open-database.js';
import { listInventoryRepositories, listInventoryTags } from '../../src/app/images/inventory.js';
import { openTestDatabase } from '../support/database.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const at = new Date('2026-03-02T10:00:00Z');

describe('the inventory read module', () => {
  it('joins each tag with its manifest and counts tags per repository', async () => {
    const db = database.db;
    await db.insertInto('image_repositories').values([
      { name: '127.0.0.1:5000/acme/app', last_sync_at: at, last_success_at: at, last_error: null },
      { name: 'docker.io/acme/other', last_sync_at: at, last_success_at: null, last_error: 'registry docker.io refused' },
    ]).execute();
    await db.insertInto('image_manifests').values({
      repository: '127.0.0.1:5000/acme/app', digest: D1, media_type: 'application/vnd.oci.image.index.v1+json',
      platforms: '["linux/amd64","linux/arm64/v8"]', created: at, revision: 'abc123', version: '1.0.0',
      base_name: 'docker.io/library/debian:12', base_digest: D2, fetched_at: at,
    }).execute();
    await db.insertInto('image_tags').values([
      { repository: '127.0.0.1:5000/acme/app', tag: 'latest', digest: D1, first_seen_at: at, changed_at: at, seen_at: at },
      { repository: '127.0.0.1:5000/acme/app', tag: '1.0.0', digest: D1, first_seen_at: at, changed_at: at, seen_at: at },
      // a tag whose manifest is not stored reads with empty metadata rather than vanishing
      { repository: '127.0.0.1:5000/acme/app', tag: 'orphan', digest: D2, first_seen_at: at, changed_at: at, seen_at: at },
      { repository: 'docker.io/acme/elsewhere', tag: 'latest', digest: D2, first_seen_at: at, changed_at: at, seen_at: at },
    ]).execute();

    const tags = await listInventoryTags(db, '127.0.0.1:5000/acme/app');
    expect(tags.map((t) => t.tag)).toEqual(['1.0.0', 'latest', 'orphan']);
    expect(tags[1]).toEqual({
      tag: 'latest', digest: D1, platforms: ['linux/amd64', 'linux/arm64/v8'], created: at, revision: 'abc123', version: '1.0.0',
      baseName: 'docker.io/library/debian:12', baseDigest: D2, changedAt: at,
    });
    expect(tags[2]).toMatchObject({ digest: D2, platforms: [], created: null, revision: null, baseDigest: null });

    const repos = await listInventoryRepositories(db);
    expect(repos).toEqual([
      { name: '127.0.0.1:5000/acme/app', lastSyncAt: at, lastSuccessAt: at, lastError: null, tagCount: 3 },
      { name: 'docker.io/acme/other', lastSyncAt: at, lastSuccessAt: null, lastError: 'registry docker.io refused', tagCount: 0 },
    ]);
  });
});
