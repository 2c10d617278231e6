import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { migrateToLatest } from '../src/adapters/db/migrate.js';
import { openDatabase } from '../src/adapters/db/open-database.js';
import { createRegistries } from '../src/adapters/registry/registries.js';
import { syncImages, type SyncSummary } from '../src/app/images/sync-images.js';
import { registryMissing, startRegistry, type TestRegistry } from '../test/support/registry.js';
import type { Bench, BenchResult } from './measure.js';

/**
 * `cvdesk images sync` of a repository with 2,000 tags in Debian's docker-registry on 127.0.0.1,
 * first (every digest fetched: manifest and config) and incremental (one listing and a HEAD per
 * tag), side by side with what a script would do with skopeo: `skopeo list-tags`, then
 * `skopeo inspect` per tag (same parallelism as cvdesk's client, 8). The registry's storage is
 * pushed once and reused (CVDESK_BENCH_DIR, default a folder under the system's temp dir).
 */
const TAGS = Number(process.env.CVDESK_BENCH_IMAGE_TAGS ?? 2000);
const PARALLEL = 8;
const REPO = 'bench/app';

const run = promisify(execFile);

async function pushOnce(root: string): Promise<void> {
  const done = join(root, `pushed-${TAGS}`);
  if (existsSync(done)) return;
  await mkdir(root, { recursive: true });
  const reg = await startRegistry('none', { rootDirectory: join(root, 'storage') });
  try {
    const tags = Array.from({ length: TAGS }, (_, i) => `1.${Math.floor(i / 100)}.${i % 100}`);
    // distinct images, 8 pushes at a time
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < tags.length) {
          const tag = tags[next++]!;
          await reg.push.image(REPO, [tag], {
            created: '2026-01-01T00:00:00Z',
            labels: { 'org.opencontainers.image.version': tag, 'org.opencontainers.image.revision': `rev-${tag}`, 'org.opencontainers.image.base.digest': `sha256:${'b'.repeat(64)}` },
            layerText: `layer of ${tag}`, // one blob per image: concurrent uploads of one blob race in docker-registry
          });
        }
      }),
    );
  } finally {
    await reg.close();
  }
  await writeFile(done, new Date().toISOString());
}

async function skopeoMissing(): Promise<string | null> {
  try {
    await run('skopeo', ['--version']);
    return null;
  } catch {
    return 'skopeo is not installed (apt-get install -y skopeo): only cvdesk was measured';
  }
}

/** skopeo list-tags, then skopeo inspect --no-tags per tag, PARALLEL processes at a time; seconds. */
async function skopeoPass(reg: TestRegistry): Promise<number> {
  const start = performance.now();
  const { stdout } = await run('skopeo', ['list-tags', '--tls-verify=false', `docker://${reg.host}/${REPO}`], { maxBuffer: 64 * 1024 * 1024 });
  const tags = (JSON.parse(stdout) as { Tags: string[] }).Tags;
  let next = 0;
  const digests = new Map<string, string>();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < tags.length) {
        const tag = tags[next++]!;
        // --no-tags: without it every inspect lists all 2,000 tags again
        const out = await run('skopeo', ['inspect', '--tls-verify=false', '--no-tags', `docker://${reg.host}/${REPO}:${tag}`], { maxBuffer: 16 * 1024 * 1024 });
        digests.set(tag, (JSON.parse(out.stdout) as { Digest: string }).Digest);
      }
    }),
  );
  if (digests.size !== TAGS) throw new Error(`skopeo saw ${digests.size} tags, expected ${TAGS}`);
  return (performance.now() - start) / 1000;
}

const bench: Bench = async () => {
  const noRegistry = registryMissing();
  if (noRegistry) return [{ name: 'image sync', opsPerSec: null, note: noRegistry }];
  const root = process.env.CVDESK_BENCH_DIR ?? join(tmpdir(), 'cvdesk-bench-image-sync');
  const pushStart = performance.now();
  await pushOnce(root);
  const pushed = (performance.now() - pushStart) / 1000;
  const reg = await startRegistry('none', { rootDirectory: join(root, 'storage') });
  const database = await openDatabase({ kind: 'pglite', dataDir: null });
  try {
    await migrateToLatest(database.db);
    const repository = `${reg.host}/${REPO}`;
    const deps = {
      db: database.db,
      registries: createRegistries({ credentials: new Map(), plainHttp: [] }),
      policy: { project: { name: 'bench', url: 'https://example.org/', goals: [], images: [{ name: repository }] } },
      clock: () => new Date(),
      newId: randomUUID,
    };
    const timed = async (): Promise<{ s: number; summary: SyncSummary }> => {
      const start = performance.now();
      const [summary] = await syncImages(deps);
      if (summary?.status !== 'succeeded') throw new Error(`sync failed: ${summary?.error}`);
      return { s: (performance.now() - start) / 1000, summary };
    };
    const first = await timed();
    const incremental = await timed();
    const rows: BenchResult[] = [
      {
        name: `cvdesk images sync, first (${TAGS} tags)`,
        opsPerSec: TAGS / first.s,
        note: `${first.s.toFixed(2)} s; ${first.summary.manifestsFetched} digests fetched (manifest + config)${pushed > 1 ? `; pushing them took ${pushed.toFixed(0)} s, once` : ''}`,
      },
      { name: `cvdesk images sync, incremental (${TAGS} tags)`, opsPerSec: TAGS / incremental.s, note: `${incremental.s.toFixed(2)} s; ${incremental.summary.manifestsFetched} fetched, one HEAD per tag` },
    ];
    const missing = await skopeoMissing();
    if (missing) return [...rows, { name: 'skopeo list-tags + inspect per tag', opsPerSec: null, note: missing }];
    const skopeo = await skopeoPass(reg);
    rows.push({
      name: `skopeo list-tags + inspect per tag (${TAGS})`,
      opsPerSec: TAGS / skopeo,
      note: `${skopeo.toFixed(2)} s (${PARALLEL} at a time, --no-tags); ${(skopeo / first.s).toFixed(1)}x cvdesk's first sync, ${(skopeo / incremental.s).toFixed(1)}x its incremental sync`,
    });
    return rows;
  } finally {
    await database.close();
    await reg.close();
  }
};

export default bench;
