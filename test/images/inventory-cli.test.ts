/**
 * `cvdesk images sync` through the real entry point: the policy's repositories synced into the
 * configured database (the embedded one in CVDESK_DATA_DIR, or DATABASE_URL on the PostgreSQL
 * pass), a summary table or --json, progress lines on a non-terminal stderr, credentials from
 * CVDESK_REGISTRY_AUTH_FILE, exit 1 naming a repository that failed while the others sync, exit 2
 * for a repository the policy does not name.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/adapters/db/open-database.js';
import { listInventoryTags } from '../../src/app/images/inventory.js';
import { openTestDatabase, testEngine } from '../support/database.js';
import { freePort, registryMissing, startRegistry, type TestRegistry } from '../support/registry.js';
import { runCli } from '../support/run-cli.js';
import { policyYaml } from './inventory-support.js';

const skip = registryMissing();

interface Summary {
  repository: string;
  status: string;
  tags: number;
  added: number;
  changed: number;
  removed: number;
  manifestsFetched: number;
  error: string | null;
}

describe.skipIf(skip)(`cvdesk images sync on ${testEngine()}`, () => {
  let dir: string;
  let reg: TestRegistry;
  let locked: TestRegistry;
  let testDb: (Database & { url?: string }) | null = null;
  let env: Record<string, string>;
  let repo: string;
  let policy: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cvdesk-images-cli-'));
    [reg, locked] = await Promise.all([startRegistry('none'), startRegistry('basic')]);
    repo = `${reg.host}/acme/app`;
    await reg.push.image('acme/app', ['1.0.0', '1.0', 'latest'], { labels: { 'org.opencontainers.image.revision': 'f00d' } });
    await locked.push.image('acme/private', ['2.0.0'], {});
    policy = join(dir, 'policy.yaml');
    await writeFile(policy, policyYaml([repo]));
    if (testEngine() === 'postgres') {
      testDb = await openTestDatabase();
      env = { DATABASE_URL: testDb.url! };
    } else {
      env = { CVDESK_DATA_DIR: join(dir, 'data') };
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all([reg?.close(), locked?.close()]);
    await testDb?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('syncs the policy\'s repositories and prints a summary; progress goes to stderr as plain lines', async () => {
    const r = await runCli(['images', 'sync', '--policy', policy], { env });
    expect(r.stderr).toContain(`${repo}: listing tags`);
    expect(r.stderr).toContain(`${repo}: 3/3 (100%)`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^repository\\s+status\\s+tags\\s+added\\s+changed\\s+removed\\s+manifests fetched\\n`));
    expect(r.stdout).toMatch(new RegExp(`${repo.replace(/\./g, '\\.')}\\s+succeeded\\s+3\\s+3\\s+0\\s+0\\s+1\\n`));
    expect(r.stdout).toContain('1 of 1 repository synced.');
  }, 60_000);

  it('--json prints the summaries; a re-sync fetches nothing; CVDESK_POLICY names the policy', async () => {
    const r = await runCli(['images', 'sync', '--json'], { env: { ...env, CVDESK_POLICY: policy } });
    expect(r.code).toBe(0);
    const out = r.json() as Summary[];
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ repository: repo, status: 'succeeded', tags: 3, added: 0, changed: 0, removed: 0, manifestsFetched: 0, error: null });
    expect(Object.keys(out[0]!)).toEqual(['id', 'repository', 'status', 'tags', 'added', 'changed', 'removed', 'manifestsFetched', 'error', 'startedAt', 'finishedAt']);
  }, 60_000);

  it('a repository that fails exits 1 with a clear message, and the others still sync; credentials come from CVDESK_REGISTRY_AUTH_FILE', async () => {
    const down = `127.0.0.1:${await freePort()}/acme/gone`;
    const privateRepo = `${locked.host}/acme/private`;
    const both = join(dir, 'both.yaml');
    await writeFile(both, policyYaml([down, privateRepo, repo]));
    const auth = join(dir, 'auth.json');
    await writeFile(auth, JSON.stringify({ auths: { [locked.host]: { username: locked.username, password: locked.password } } }));
    const r = await runCli(['images', 'sync', '--policy', both, '--json'], { env: { ...env, CVDESK_REGISTRY_AUTH_FILE: auth } });
    expect(r.code).toBe(1);
    const out = r.json() as Summary[];
    expect(out.map((s) => [s.repository, s.status])).toEqual([
      [down, 'failed'],
      [privateRepo, 'succeeded'],
      [repo, 'succeeded'],
    ]);
    expect(r.stderr).toContain(`cvdesk: ${down} was not synced: registry ${down.replace('/acme/gone', '')} could not be reached for repository acme/gone, tag list page 1: connection refused`);
    expect(r.stderr).not.toContain(locked.password);
    expect(r.stdout).not.toContain(locked.password);

    // the same without credentials: the private repository fails too, and says why
    const text = await runCli(['images', 'sync', '--policy', both, '--repository', privateRepo], { env });
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`cvdesk: ${privateRepo} was not synced: registry ${locked.host} requires a username and password, and none are configured`);
    expect(text.stdout).toContain('0 of 1 repository synced; 1 failed and keeps the inventory of its last successful sync.');
  }, 60_000);

  it('a repository the policy does not name is bad input (exit 2)', async () => {
    const r = await runCli(['images', 'sync', '--policy', policy, '--repository', 'docker.io/acme/other'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cvdesk: docker.io/acme/other is not an image repository of the policy: it names ${repo}\n`);
  }, 60_000);

  it('what it stored is the inventory the desk reads', async () => {
    const database = testDb ?? (await openDatabase({ kind: 'pglite', dataDir: join(dir, 'data', 'db') }));
    try {
      const tags = await listInventoryTags(database.db, repo);
      expect(tags.map((t) => [t.tag, t.revision])).toEqual([
        ['1.0', 'f00d'],
        ['1.0.0', 'f00d'],
        ['latest', 'f00d'],
      ]);
    } finally {
      if (!testDb) await database.close();
    }
  }, 60_000);
});
