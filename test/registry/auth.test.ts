import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/app/errors.js';
import { createRegistryClient } from '../../src/adapters/registry/index.js';
import { registryMissing, startRegistry, type TestRegistry } from '../support/registry.js';

const skip = registryMissing();

/** Everything an error could show: message, String(), JSON, stack and details. */
function everything(e: unknown): string {
  const err = e as AppError;
  return [String(e), err.message, err.stack, JSON.stringify(e), JSON.stringify(err.details ?? null)].join('\n');
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe.skipIf(skip)('registry client with htpasswd Basic auth', () => {
  let reg: TestRegistry;
  let digest: string;
  beforeAll(async () => {
    reg = await startRegistry('basic');
    digest = (await reg.push.image('team/app', ['1.0'], { labels: { 'org.opencontainers.image.version': '1.0' } })).digest;
  }, 60_000);
  afterAll(() => reg?.close());

  it('answers the challenge with the configured username and password', async () => {
    const client = createRegistryClient({ registry: reg.host, credentials: { username: reg.username, password: reg.password } });
    await expect(client.ping()).resolves.toEqual({ auth: 'basic' });
    const m = await client.getManifest('team/app', '1.0');
    expect(m.digest).toBe(digest);
    if (m.kind !== 'manifest') throw new Error('expected a manifest');
    expect((await client.getConfig('team/app', m.manifest)).oci.version).toBe('1.0');
    expect(await client.listTags('team/app')).toEqual(['1.0']);
  });

  it('says forbidden for a wrong password, and the password shows nowhere in the error', async () => {
    const secret = 'Sup3r-Secret-Pa55word';
    const lines: string[] = [];
    const client = createRegistryClient({ registry: reg.host, credentials: { username: reg.username, password: secret }, log: { warn: (f, m) => lines.push(JSON.stringify(f) + m) } });
    const e = await failure(client.getManifest('team/app', '1.0'));
    expect(e.code).toBe('forbidden');
    expect(e.message).toContain(reg.host);
    expect(e.message).toContain('team/app');
    expect(e.message).toMatch(/401/);
    const shown = everything(e) + lines.join('\n');
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(Buffer.from(`${reg.username}:${secret}`).toString('base64'));
  });

  it('says forbidden, asking for credentials, when none are configured', async () => {
    const e = await failure(createRegistryClient({ registry: reg.host }).getManifest('team/app', '1.0'));
    expect(e.code).toBe('forbidden');
    expect(e.message).toMatch(/requires a username and password/);
  });
});

describe.skipIf(skip)('registry client with token auth (Bearer)', () => {
  let reg: TestRegistry;
  let digest: string;
  beforeAll(async () => {
    reg = await startRegistry('token');
    digest = (await reg.push.image('team/app', ['1.0', '1'], {})).digest;
    await reg.push.image('team/other', ['x'], { layerText: 'other' });
  }, 60_000);
  afterAll(() => reg?.close());

  it('fetches a pull token for the repository from the realm, with Basic credentials, and reuses it', async () => {
    const client = createRegistryClient({ registry: reg.host, credentials: { username: reg.username, password: reg.password } });
    reg.tokenRequests.length = 0;
    const m = await client.getManifest('team/app', '1.0');
    expect(m.digest).toBe(digest);
    expect(reg.tokenRequests).toEqual([{ scope: 'repository:team/app:pull', authorized: true }]);
    // cached: more requests on the same repository need no new token
    await client.getManifest('team/app', '1');
    await client.headManifest('team/app', '1.0');
    if (m.kind === 'manifest') await client.getConfig('team/app', m.manifest);
    expect(await client.listTags('team/app')).toEqual(expect.arrayContaining(['1', '1.0']));
    expect(reg.tokenRequests).toHaveLength(1);
    // another repository is another scope
    await client.getManifest('team/other', 'x');
    expect(reg.tokenRequests.map((r) => r.scope)).toEqual(['repository:team/app:pull', 'repository:team/other:pull']);
  });

  it('shares one token request among concurrent requests', async () => {
    const client = createRegistryClient({ registry: reg.host, credentials: { username: reg.username, password: reg.password } });
    await client.getManifest('team/app', '1.0'); // learns the challenge
    reg.tokenRequests.length = 0;
    const fresh = createRegistryClient({ registry: reg.host, credentials: { username: reg.username, password: reg.password } });
    await fresh.ping();
    reg.tokenRequests.length = 0;
    await Promise.all(Array.from({ length: 8 }, () => fresh.getManifest('team/app', '1.0')));
    expect(reg.tokenRequests).toHaveLength(1);
  });

  it('pings with a token and reports the scheme', async () => {
    const client = createRegistryClient({ registry: reg.host, credentials: { username: reg.username, password: reg.password } });
    await expect(client.ping()).resolves.toEqual({ auth: 'bearer' });
  });

  it('says forbidden for wrong credentials at the token service, without the password', async () => {
    const secret = 'another-Secret-42';
    const e = await failure(createRegistryClient({ registry: reg.host, credentials: { username: reg.username, password: secret } }).getManifest('team/app', '1.0'));
    expect(e.code).toBe('forbidden');
    expect(e.message).toContain(reg.host);
    expect(everything(e)).not.toContain(secret);
    expect(everything(e)).not.toContain(Buffer.from(`${reg.username}:${secret}`).toString('base64'));
  });

  it('says forbidden when an anonymous token grants no access', async () => {
    const e = await failure(createRegistryClient({ registry: reg.host }).getManifest('team/app', '1.0'));
    expect(e.code).toBe('forbidden');
    expect(e.message).toMatch(/requires credentials for repository team\/app/);
  });

  it('sends a configured static token as Bearer and says forbidden when the registry rejects it, without the token', async () => {
    const token = 'static-token-abcdef0123456789';
    const e = await failure(createRegistryClient({ registry: reg.host, credentials: { token } }).getManifest('team/app', '1.0'));
    expect(e.code).toBe('forbidden');
    expect(everything(e)).not.toContain(token);
  });
});
