/**
 * `syncImages` against Debian's docker-registry, behind a counting proxy that proves which
 * requests each sync sends: the first sync fetches every digest once, a re-sync only lists and
 * HEADs, a moved tag costs its new digest, a deleted tag disappears, and an unreachable registry
 * leaves the inventory as it was.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/open-database.js';
import { listInventoryRepositories, listInventoryTags } from '../../src/app/images/inventory.js';
import { syncImages, type SyncDeps } from '../../src/app/images/sync-images.js';
import { openTestDatabase, testEngine } from '../support/database.js';
import { freePort, registryMissing, startRegistry, type Pushed, type TestRegistry } from '../support/registry.js';
import { countingProxy, fastRegistries, policyOf, snapshot, type CountingProxy } from './inventory-support.js';

const skip = registryMissing();

const BASE_DIGEST = `sha256:${'b'.repeat(64)}`;
const INDEX_BASE_DIGEST = `sha256:${'c'.repeat(64)}`;
const T1 = new Date('2026-03-02T10:00:00Z');
const T2 = new Date('2026-03-02T11:00:00Z');
const T3 = new Date('2026-03-02T12:00:00Z');

describe.skipIf(skip)(`image sync against docker-registry on ${testEngine()}`, () => {
  let database: Database;
  let reg: TestRegistry;
  let proxy: CountingProxy;
  let repo: string;
  let now = T1;
  let deps: SyncDeps;
  let v1: Pushed & { configDigest: string };
  let amd64: Pushed & { configDigest: string };
  let arm64: Pushed & { configDigest: string };
  let multi: Pushed;
  let armOnly: Pushed;
  let old: Pushed & { configDigest: string };

  beforeAll(async () => {
    database = await openTestDatabase();
    reg = await startRegistry('none');
    proxy = await countingProxy(reg.host);
    repo = `${proxy.host}/acme/app`;
    deps = { db: database.db, registries: fastRegistries(), policy: policyOf(repo), clock: () => now, newId: randomUUID };

    v1 = await reg.push.image('acme/app', ['1.0.0', '1.0', '1'], {
      created: '2026-01-05T08:00:00Z',
      labels: {
        'org.opencontainers.image.version': '1.0.0',
        'org.opencontainers.image.revision': 'aaaa111',
        'org.opencontainers.image.base.name': 'docker.io/library/debian:bookworm-slim',
        'org.opencontainers.image.base.digest': BASE_DIGEST,
      },
    });
    amd64 = await reg.push.image('acme/app', [], { platform: { os: 'linux', architecture: 'amd64' }, layerText: 'amd64', created: '2026-02-01T00:00:00Z', labels: { 'org.opencontainers.image.revision': 'from-amd64-label' } });
    arm64 = await reg.push.image('acme/app', [], { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layerText: 'arm64', created: '2026-02-02T00:00:00Z' });
    // an index with annotations of its own and an attestation entry (unknown/unknown)
    const indexBody = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: arm64.digest, size: arm64.size, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: amd64.digest, size: amd64.size, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: v1.digest, size: v1.size, platform: { os: 'unknown', architecture: 'unknown' } },
      ],
      annotations: {
        'org.opencontainers.image.revision': 'bbbb222',
        'org.opencontainers.image.version': '2.0.0',
        'org.opencontainers.image.base.name': 'docker.io/library/debian:trixie-slim',
        'org.opencontainers.image.base.digest': INDEX_BASE_DIGEST,
      },
    });
    multi = await reg.push.manifest('acme/app', '2.0.0', indexBody, 'application/vnd.oci.image.index.v1+json');
    await reg.push.manifest('acme/app', 'latest', indexBody, 'application/vnd.oci.image.index.v1+json');
    // a Docker manifest list without amd64: the first platform stands for it
    armOnly = await reg.push.index('acme/app', 'arm-only', [{ pushed: arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }], true);
    old = await reg.push.image('acme/app', ['0.9.0'], { layerText: 'old release', created: '2025-06-01T00:00:00Z' });
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await reg?.close();
    await database?.close();
  });

  const blobGets = () => proxy.requests.filter((r) => r.startsWith('GET /v2/acme/app/blobs/'));

  it('first sync: every tag with its digest, platforms and build facts; each digest fetched once', async () => {
    proxy.reset();
    const [s] = await syncImages(deps);
    expect(s).toMatchObject({ repository: repo, status: 'succeeded', tags: 7, added: 7, changed: 0, removed: 0, manifestsFetched: 4, error: null });

    const tags = await listInventoryTags(database.db, repo);
    expect(tags.map((t) => t.tag)).toEqual(['0.9.0', '1', '1.0', '1.0.0', '2.0.0', 'arm-only', 'latest']);
    const byTag = Object.fromEntries(tags.map((t) => [t.tag, t]));
    expect(byTag['1.0.0']).toEqual({
      tag: '1.0.0',
      digest: v1.digest,
      platforms: ['linux/amd64'],
      created: new Date('2026-01-05T08:00:00Z'),
      revision: 'aaaa111',
      version: '1.0.0',
      baseName: 'docker.io/library/debian:bookworm-slim',
      baseDigest: BASE_DIGEST,
      changedAt: T1,
    });
    expect(byTag['1']!.digest).toBe(v1.digest);
    // the index: every real platform, the facts of its linux/amd64 image, its own annotations first
    expect(byTag['latest']).toEqual({
      tag: 'latest',
      digest: multi.digest,
      platforms: ['linux/arm64/v8', 'linux/amd64'],
      created: new Date('2026-02-01T00:00:00Z'),
      revision: 'bbbb222',
      version: '2.0.0',
      baseName: 'docker.io/library/debian:trixie-slim',
      baseDigest: INDEX_BASE_DIGEST,
      changedAt: T1,
    });
    expect(byTag['arm-only']).toMatchObject({ digest: armOnly.digest, platforms: ['linux/arm64/v8'], created: new Date('2026-02-02T00:00:00Z'), revision: null, baseDigest: null });

    const manifests = (await snapshot(database.db, repo)).manifests;
    expect(Object.fromEntries(manifests.map((m) => [m.digest, m.media_type]))).toEqual({
      [v1.digest]: 'application/vnd.oci.image.manifest.v1+json',
      [multi.digest]: 'application/vnd.oci.image.index.v1+json',
      [armOnly.digest]: 'application/vnd.docker.distribution.manifest.list.v2+json',
      [old.digest]: 'application/vnd.oci.image.manifest.v1+json',
    });

    // a new tag is fetched with GET directly (no HEAD first); each config blob once, even when
    // several tags or indexes share it (1.0.0/1.0/1 share one; arm-only and latest share arm64's)
    expect(proxy.requests.filter((r) => r.startsWith('HEAD'))).toEqual([]);
    expect(proxy.requests.filter((r) => r === 'GET /v2/acme/app/tags/list')).toHaveLength(1);
    for (const t of ['0.9.0', '1', '1.0', '1.0.0', '2.0.0', 'arm-only', 'latest']) expect(proxy.requests).toContain(`GET /v2/acme/app/manifests/${t}`);
    expect(new Set(blobGets())).toEqual(new Set([v1.configDigest, amd64.configDigest, arm64.configDigest, old.configDigest].map((d) => `GET /v2/acme/app/blobs/${d}`)));
    expect(blobGets()).toHaveLength(4);

    const syncs = await database.db.selectFrom('image_syncs').selectAll().where('repository', '=', repo).execute();
    expect(syncs).toEqual([
      { id: s!.id, repository: repo, started_at: T1, finished_at: T1, status: 'succeeded', tags_total: 7, manifests_fetched: 4, tags_added: 7, tags_changed: 0, tags_removed: 0, error: null },
    ]);
    expect(await listInventoryRepositories(database.db)).toEqual([{ name: repo, lastSyncAt: T1, lastSuccessAt: T1, lastError: null, tagCount: 7 }]);
  });

  it('re-sync of unchanged tags sends one listing and one HEAD per tag, and fetches nothing', async () => {
    now = T2;
    const before = await snapshot(database.db, repo);
    proxy.reset();
    const [s] = await syncImages(deps);
    expect(s).toMatchObject({ status: 'succeeded', tags: 7, added: 0, changed: 0, removed: 0, manifestsFetched: 0 });
    expect(proxy.requests.filter((r) => !r.startsWith('HEAD')).sort()).toEqual(['GET /v2/acme/app/tags/list']);
    expect(proxy.requests.filter((r) => r.startsWith('HEAD')).sort()).toEqual(['0.9.0', '1', '1.0', '1.0.0', '2.0.0', 'arm-only', 'latest'].map((t) => `HEAD /v2/acme/app/manifests/${t}`));
    const after = await snapshot(database.db, repo);
    expect(after.manifests).toEqual(before.manifests);
    expect(after.tags).toEqual(before.tags.map((t) => ({ ...t, seen_at: T2 })));
  });

  it('a moved tag gets its new digest (changed_at moves, first_seen_at stays); only the new digest is fetched', async () => {
    now = T3;
    const v101 = await reg.push.image('acme/app', ['1.0.1', '1.0', '1'], { layerText: 'fixed', created: '2026-03-01T00:00:00Z', labels: { 'org.opencontainers.image.version': '1.0.1' } });
    proxy.reset();
    const [s] = await syncImages(deps);
    expect(s).toMatchObject({ status: 'succeeded', tags: 8, added: 1, changed: 2, removed: 0, manifestsFetched: 1 });
    expect(blobGets()).toEqual([`GET /v2/acme/app/blobs/${v101.configDigest}`]);
    expect(proxy.requests).toContain('GET /v2/acme/app/manifests/1.0.1');
    expect(proxy.requests.filter((r) => r.startsWith('HEAD')).sort()).toEqual(['0.9.0', '1', '1.0', '1.0.0', '2.0.0', 'arm-only', 'latest'].map((t) => `HEAD /v2/acme/app/manifests/${t}`));
    // at most one more GET: the moved tags' new digest, when a HEAD saw it before 1.0.1's GET did
    expect(proxy.requests.filter((r) => r.startsWith('GET /v2/acme/app/manifests/') && r !== 'GET /v2/acme/app/manifests/1.0.1').every((r) => r.endsWith(v101.digest))).toBe(true);

    const rows = Object.fromEntries((await snapshot(database.db, repo)).tags.map((t) => [t.tag, t]));
    expect(rows['1']).toMatchObject({ digest: v101.digest, first_seen_at: T1, changed_at: T3, seen_at: T3 });
    expect(rows['1.0.0']).toMatchObject({ digest: v1.digest, first_seen_at: T1, changed_at: T1, seen_at: T3 });
    expect(rows['1.0.1']).toMatchObject({ digest: v101.digest, first_seen_at: T3, changed_at: T3 });
    const tags = await listInventoryTags(database.db, repo);
    expect(tags.find((t) => t.tag === '1.0')).toMatchObject({ version: '1.0.1', created: new Date('2026-03-01T00:00:00Z'), changedAt: T3 });
  });

  it('a deleted tag is removed from the inventory', async () => {
    const del = await fetch(`${reg.url}/v2/acme/app/manifests/${old.digest}`, { method: 'DELETE' });
    await del.arrayBuffer();
    expect(del.status).toBe(202);
    const [s] = await syncImages(deps);
    expect(s).toMatchObject({ status: 'succeeded', tags: 7, added: 0, changed: 0, removed: 1, manifestsFetched: 0 });
    expect((await listInventoryTags(database.db, repo)).map((t) => t.tag)).not.toContain('0.9.0');
  });

  it('an unreachable registry fails that repository only, with the error recorded and the previous inventory intact', async () => {
    const closed = `127.0.0.1:${await freePort()}/acme/gone`;
    const before = await snapshot(database.db, repo);
    await proxy.close();
    const down = { ...deps, policy: policyOf(repo, closed) };
    const out = await syncImages(down);
    expect(out.map((s) => [s.repository, s.status])).toEqual([
      [repo, 'failed'],
      [closed, 'failed'],
    ]);
    // ("after 2 attempts" is added when the retry, too, found the port closed)
    expect(out[0]!.error).toMatch(new RegExp(`^registry ${proxy.host.replace(/\./g, '\\.')} could not be reached for repository acme/app, tag list page 1: connection refused`));
    expect(await snapshot(database.db, repo)).toEqual(before);
    const repos = Object.fromEntries((await listInventoryRepositories(database.db)).map((r) => [r.name, r]));
    expect(repos[repo]).toEqual({ name: repo, lastSyncAt: T3, lastSuccessAt: T3, lastError: out[0]!.error, tagCount: 7 });
    expect(repos[closed]).toMatchObject({ lastSuccessAt: null, tagCount: 0 });
    const failed = await database.db.selectFrom('image_syncs').selectAll().where('status', '=', 'failed').orderBy('repository').execute();
    expect(failed.map((f) => [f.repository, f.error])).toEqual(
      [
        [repo, out[0]!.error],
        [closed, out[1]!.error],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
  });

  it('one repository failing does not stop the next', async () => {
    const other = await countingProxy(reg.host);
    try {
      const good = `${other.host}/acme/app`;
      const out = await syncImages({ ...deps, policy: policyOf(`127.0.0.1:${await freePort()}/acme/none`, good) });
      expect(out.map((s) => s.status)).toEqual(['failed', 'succeeded']);
      expect(out[1]).toMatchObject({ repository: good, tags: 7, added: 7 });
    } finally {
      await other.close();
    }
  });
});

