/**
 * Syncing from registries that misbehave, played by a small local server: malformed manifests,
 * digests that do not match the content, broken tag lists, and a tag list of 10,000 entries. Each
 * failure is a clear error on that repository, nothing crashes, nothing is half-stored: the
 * previous inventory stays exactly as it was.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/open-database.js';
import { syncImages, type SyncDeps } from '../../src/app/images/sync-images.js';
import { openTestDatabase, testEngine } from '../support/database.js';
import { sha256 } from '../support/registry.js';
import { fakeRegistry, fastRegistries, policyOf, snapshot, type FakeRegistry } from './inventory-support.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

interface Stored {
  body: string;
  contentType: string;
  /** The Docker-Content-Digest header; the body's sha256 unless a test lies. */
  digest?: string;
}

/** What the fake registry serves for repository demo/app. */
interface State {
  tags: string[];
  /** By tag or digest. */
  manifests: Map<string, Stored>;
  blobs: Map<string, string>;
  /** Overrides the tag list answer. */
  tagList?: (res: ServerResponse) => void;
}

function image(created: string, labels: Record<string, string> = {}) {
  const config = JSON.stringify({ created, os: 'linux', architecture: 'amd64', config: { Labels: labels } });
  const body = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: Buffer.byteLength(config) }, layers: [] });
  return { config, body, digest: sha256(body) };
}

describe(`image sync from a misbehaving registry on ${testEngine()}`, () => {
  let database: Database;
  let fake: FakeRegistry;
  let state: State;
  let deps: SyncDeps;
  let repo: string;
  /** A page of the tag list (1-based) that is served cut off. */
  let brokenPage: number | null = null;
  const good = image('2026-01-01T00:00:00Z', { 'org.opencontainers.image.revision': 'good' });

  const put = (ref: string, stored: Stored) => state.manifests.set(ref, stored);
  const putImage = (tags: string[], img: ReturnType<typeof image>) => {
    state.blobs.set(sha256(img.config), img.config);
    for (const ref of [...tags, img.digest]) put(ref, { body: img.body, contentType: OCI_MANIFEST });
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    fake = await fakeRegistry();
    repo = `${fake.host}/demo/app`;
    deps = { db: database.db, registries: fastRegistries(), policy: policyOf(repo), clock: () => new Date(), newId: randomUUID };
    fake.handle((req, res, url) => {
      if (url.pathname === '/v2/') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      if (url.pathname === '/v2/demo/app/tags/list') {
        if (state.tagList) return state.tagList(res);
        const n = Number(url.searchParams.get('n') ?? 100);
        const last = url.searchParams.get('last');
        const start = last === null ? 0 : state.tags.indexOf(last) + 1;
        const page = state.tags.slice(start, start + n);
        if (brokenPage !== null && start / n + 1 === brokenPage) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"tags": ["build-');
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (start + n < state.tags.length) headers.link = `</v2/demo/app/tags/list?n=${n}&last=${encodeURIComponent(page.at(-1)!)}>; rel="next"`;
        return void res.writeHead(200, headers).end(JSON.stringify({ name: 'demo/app', tags: page }));
      }
      const m = /^\/v2\/demo\/app\/manifests\/(.+)$/.exec(url.pathname);
      if (m) {
        const stored = state.manifests.get(decodeURIComponent(m[1]!));
        if (!stored) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
        res.writeHead(200, { 'content-type': stored.contentType, 'docker-content-digest': stored.digest ?? sha256(stored.body), 'content-length': Buffer.byteLength(stored.body) });
        return void res.end(req.method === 'HEAD' ? undefined : stored.body);
      }
      const b = /^\/v2\/demo\/app\/blobs\/(.+)$/.exec(url.pathname);
      const blob = b ? state.blobs.get(decodeURIComponent(b[1]!)) : undefined;
      if (blob !== undefined) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(blob);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
    });
  });
  afterAll(async () => {
    await fake?.close();
    await database?.close();
  });

  // every test starts from a good registry and a good inventory of it
  beforeEach(async () => {
    state = { tags: ['1.0.0', 'latest'], manifests: new Map(), blobs: new Map() };
    brokenPage = null;
    putImage(['1.0.0', 'latest'], good);
    const [s] = await syncImages(deps);
    expect(s).toMatchObject({ status: 'succeeded', tags: 2 });
    fake.requests.splice(0);
  });

  /** Syncs after the test broke the registry: must fail with `message`, storing nothing. */
  async function failsCleanly(message: string | RegExp) {
    const before = await snapshot(database.db, repo);
    const syncsBefore = await database.db.selectFrom('image_syncs').select('id').execute();
    const [s] = await syncImages(deps);
    expect(s!.status).toBe('failed');
    if (typeof message === 'string') expect(s!.error).toBe(message);
    else expect(s!.error).toMatch(message);
    expect(await snapshot(database.db, repo)).toEqual(before);
    const rows = await database.db.selectFrom('image_syncs').selectAll().where('id', 'not in', syncsBefore.map((r) => r.id)).execute();
    expect(rows).toMatchObject([{ status: 'failed', error: s!.error, tags_added: 0, tags_changed: 0, tags_removed: 0 }]);
    const repoRow = await database.db.selectFrom('image_repositories').selectAll().where('name', '=', repo).executeTakeFirstOrThrow();
    expect(repoRow.last_error).toBe(s!.error);
    expect(repoRow.last_success_at).not.toBeNull();
    return s!;
  }

  it('a malformed manifest for a new tag', async () => {
    state.tags.push('2.0.0');
    put('2.0.0', { body: '{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": 7}', contentType: OCI_MANIFEST });
    await failsCleanly(`registry ${fake.host}: malformed manifest for repository demo/app, manifest :2.0.0: config: Invalid input: expected object, received number`);
  });

  it('a manifest that is not JSON', async () => {
    state.tags.push('2.0.0');
    put('2.0.0', { body: '<html>oops</html>', contentType: OCI_MANIFEST });
    await failsCleanly(`registry ${fake.host}: malformed manifest for repository demo/app, manifest :2.0.0: the body is not UTF-8 JSON`);
  });

  it('a manifest whose content does not match its digest', async () => {
    const moved = image('2026-02-01T00:00:00Z');
    putImage([], moved);
    state.tags.push('2.0.0');
    put('2.0.0', { body: moved.body, contentType: OCI_MANIFEST, digest: sha256('something else') });
    await failsCleanly(/^registry 127\.0\.0\.1:\d+: digest mismatch for repository demo\/app, manifest :2\.0\.0: /);
  });

  it('a moved tag whose new digest serves other content', async () => {
    const moved = image('2026-02-01T00:00:00Z');
    // HEAD latest says the new digest; GET by that digest serves the old bytes
    put('latest', { body: moved.body, contentType: OCI_MANIFEST });
    put(moved.digest, { body: good.body, contentType: OCI_MANIFEST, digest: moved.digest });
    await failsCleanly(/^registry 127\.0\.0\.1:\d+: digest mismatch for repository demo\/app, manifest @sha256:[0-9a-f]{64}: /);
  });

  it('a config blob that does not match its digest', async () => {
    const other = image('2026-03-01T00:00:00Z');
    putImage(['2.0.0'], other);
    state.tags.push('2.0.0');
    state.blobs.set(sha256(other.config), other.config.replace('2026', '2027'));
    await failsCleanly(/^registry 127\.0\.0\.1:\d+: digest mismatch for repository demo\/app, config blob sha256:/);
  });

  it('a tag list that is not JSON, and one that fails with 500', async () => {
    state.tagList = (res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"demo/app","tags":');
    await failsCleanly(`registry ${fake.host}: page 1 of the tag list of demo/app is not JSON`);
    state.tagList = (res) => void res.writeHead(500, { 'content-type': 'application/json' }).end('{}');
    await failsCleanly(/^registry 127\.0\.0\.1:\d+ answered 500 Internal Server Error for repository demo\/app, tag list page 1/);
  });

  it('a tag that disappears between the listing and its manifest is left out', async () => {
    state.tags.push('gone');
    const [s] = await syncImages(deps);
    expect(s).toMatchObject({ status: 'succeeded', tags: 2, added: 0, removed: 0 });
  });

  it('a tag list of 10,000 entries over 10 pages syncs; a broken 7th page later stores nothing', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `build-${String(i).padStart(5, '0')}`);
    state.tags = many;
    for (const t of many) put(t, { body: good.body, contentType: OCI_MANIFEST });
    const [s] = await syncImages(deps);
    expect(s).toMatchObject({ status: 'succeeded', tags: 10_000, added: 10_000, removed: 2, manifestsFetched: 0 });
    expect(fake.requests.filter((r) => r.startsWith('GET /v2/demo/app/tags/list'))).toHaveLength(10);
    expect((await snapshot(database.db, repo)).tags).toHaveLength(10_000);

    // the 7th page of the next listing is cut off: the 10,000 stay as they were
    fake.requests.splice(0);
    brokenPage = 7;
    await failsCleanly(`registry ${fake.host}: page 7 of the tag list of demo/app is not JSON`);
    expect(fake.requests.filter((r) => r.startsWith('GET /v2/demo/app/tags/list'))).toHaveLength(7);
    expect(fake.requests.filter((r) => r.includes('/manifests/'))).toEqual([]);
  }, 180_000); // 10,000 manifest requests: seconds alone, a minute on a busy shared machine
});
