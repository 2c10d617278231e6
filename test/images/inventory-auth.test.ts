/**
 * Syncing registries that require credentials, read from a Docker-style credentials file as the
 * desk reads CVDESK_REGISTRY_AUTH_FILE: htpasswd Basic auth and the Bearer token flow against
 * docker-registry. Wrong credentials fail the repository with a clear error that never holds the
 * password, and leave its inventory as it was.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/open-database.js';
import { registriesFromConfig } from '../../src/adapters/registry/registries.js';
import { listInventoryTags } from '../../src/app/images/inventory.js';
import { syncImages } from '../../src/app/images/sync-images.js';
import { openTestDatabase, testEngine } from '../support/database.js';
import { registryMissing, startRegistry, type TestRegistry } from '../support/registry.js';
import { policyOf, snapshot } from './inventory-support.js';

const skip = registryMissing();

async function authFile(dir: string, name: string, host: string, username: string, password: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } }), { mode: 0o600 });
  return file;
}

describe.skipIf(skip).each(['basic', 'token'] as const)(`image sync with %s auth on ${testEngine()}`, (auth) => {
  let database: Database;
  let reg: TestRegistry;
  let dir: string;
  let repo: string;
  beforeAll(async () => {
    database = await openTestDatabase();
    reg = await startRegistry(auth);
    dir = await mkdtemp(join(tmpdir(), 'cvdesk-inventory-auth-'));
    repo = `${reg.host}/private/app`;
    await reg.push.image('private/app', ['1.0.0', 'latest'], { labels: { 'org.opencontainers.image.revision': 'cafe123' } });
  }, 60_000);
  afterAll(async () => {
    await reg?.close();
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const sync = async (file: string | null) => {
    const registries = await registriesFromConfig({ authFile: file, plainHttp: [] }, { clientOptions: { timeoutMs: 3000, retry: { retries: 0 } } });
    return syncImages({ db: database.db, registries, policy: policyOf(repo), clock: () => new Date(), newId: randomUUID });
  };

  it('syncs with the credentials of the file', async () => {
    const [s] = await sync(await authFile(dir, 'good.json', reg.host, reg.username, reg.password));
    expect(s).toMatchObject({ status: 'succeeded', tags: 2, added: 2, manifestsFetched: 1, error: null });
    expect((await listInventoryTags(database.db, repo)).map((t) => [t.tag, t.revision])).toEqual([
      ['1.0.0', 'cafe123'],
      ['latest', 'cafe123'],
    ]);
    if (auth === 'token') expect(reg.tokenRequests.filter((t) => t.authorized).map((t) => t.scope)).toContain('repository:private/app:pull');
  });

  it('wrong credentials: a clear error without the password, the inventory as it was', async () => {
    const before = await snapshot(database.db, repo);
    const wrong = `wrong-${randomUUID()}`;
    const [s] = await sync(await authFile(dir, 'wrong.json', reg.host, reg.username, wrong));
    expect(s!.status).toBe('failed');
    // the registry (Basic) or its token service (Bearer) refuses them; the message says which
    expect(s!.error).toBe(
      auth === 'basic'
        ? `registry ${reg.host} refused the configured credentials for repository private/app, tag list page 1 (401 Unauthorized)`
        : `registry ${reg.host}: the token service refused the configured credentials (401 Unauthorized)`,
    );
    expect(s!.error).not.toContain(wrong);
    expect(await snapshot(database.db, repo)).toEqual(before);
    const rows = await database.db.selectFrom('image_repositories').select(['last_error']).where('name', '=', repo).execute();
    expect(rows[0]!.last_error).toBe(s!.error);
    expect(JSON.stringify(await database.db.selectFrom('image_syncs').selectAll().execute())).not.toContain(wrong);
  });

  it('no credentials at all: says the registry requires them', async () => {
    const [s] = await sync(null);
    expect(s!.status).toBe('failed');
    expect(s!.error).toBe(
      auth === 'basic'
        ? `registry ${reg.host} requires a username and password, and none are configured`
        : `registry ${reg.host} requires credentials for repository private/app, tag list page 1 (401 Unauthorized)`,
    );
  });
});
