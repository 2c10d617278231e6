import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/app/errors.js';
import { createRegistryClient, type RegistryClient } from '../../src/adapters/registry/index.js';
import { registryMissing, startRegistry, type Pushed, type TestRegistry } from '../support/registry.js';

const skip = registryMissing();

describe.skipIf(skip)('registry client against docker-registry (open)', () => {
  let reg: TestRegistry;
  let client: RegistryClient;
  let single: Pushed & { configDigest: string };
  let amd64: Pushed;
  let arm64: Pushed;
  let multi: Pushed;
  let dockerList: Pushed;
  const baseDigest = `sha256:${'b'.repeat(64)}`;

  beforeAll(async () => {
    reg = await startRegistry('none');
    client = createRegistryClient({ registry: reg.host });
    single = await reg.push.image('demo/app', ['1.0', '1'], {
      labels: { 'org.opencontainers.image.version': '1.0', 'org.opencontainers.image.revision': 'abc123', 'com.example.team': 'sec' },
      annotations: { 'org.opencontainers.image.base.name': 'docker.io/library/debian:bookworm-slim', 'org.opencontainers.image.base.digest': baseDigest, 'org.opencontainers.image.created': '2025-03-03T00:00:01Z' },
      created: '2025-03-03T00:00:00Z',
    });
    amd64 = await reg.push.image('demo/multi', [], { platform: { os: 'linux', architecture: 'amd64' }, layerText: 'amd64' });
    arm64 = await reg.push.image('demo/multi', [], { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layerText: 'arm64' });
    multi = await reg.push.index('demo/multi', '2.0', [
      { pushed: amd64, platform: { os: 'linux', architecture: 'amd64' } },
      { pushed: arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ]);
    const dAmd = await reg.push.image('demo/docker', [], { docker: true, layerText: 'd-amd64' });
    dockerList = await reg.push.index('demo/docker', 'latest', [{ pushed: dAmd, platform: { os: 'linux', architecture: 'amd64' } }], true);
  }, 60_000);
  afterAll(() => reg?.close());

  it('pings /v2/ anonymously', async () => {
    await expect(client.ping()).resolves.toEqual({ auth: 'none' });
  });

  it('reads a single-arch OCI manifest with its registry digest, verified against the body', async () => {
    const m = await client.getManifest('demo/app', '1.0');
    expect(m.kind).toBe('manifest');
    expect(m.digest).toBe(single.digest);
    expect(m.digest).toBe(`sha256:${createHash('sha256').update(single.body).digest('hex')}`);
    expect(m.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(m.size).toBe(single.size);
    if (m.kind !== 'manifest') return;
    expect(m.manifest.config.digest).toBe(single.configDigest);
    // by digest too
    const again = await client.getManifest('demo/app', single.digest);
    expect(again.digest).toBe(single.digest);
  });

  it('reads labels, annotations and the OCI keys from the config blob and the manifest', async () => {
    const m = await client.getManifest('demo/app', '1');
    if (m.kind !== 'manifest') throw new Error('expected an image manifest');
    const c = await client.getConfig('demo/app', m.manifest);
    expect(c.digest).toBe(single.configDigest);
    expect(c.created).toBe('2025-03-03T00:00:00Z');
    expect(c.os).toBe('linux');
    expect(c.architecture).toBe('amd64');
    expect(c.labels['com.example.team']).toBe('sec');
    expect(c.oci).toEqual({
      baseName: 'docker.io/library/debian:bookworm-slim',
      baseDigest,
      version: '1.0',
      revision: 'abc123',
      created: '2025-03-03T00:00:01Z',
    });
  });

  it('returns a multi-arch index as such, and the image of a chosen platform from it', async () => {
    const idx = await client.getManifest('demo/multi', '2.0');
    expect(idx.kind).toBe('index');
    expect(idx.digest).toBe(multi.digest);
    if (idx.kind !== 'index') return;
    expect(idx.index.manifests.map((d) => d.platform?.architecture)).toEqual(['amd64', 'arm64']);

    const arm = await client.getManifest('demo/multi', '2.0', { platform: { os: 'linux', architecture: 'arm64' } });
    expect(arm.kind).toBe('manifest');
    expect(arm.digest).toBe(arm64.digest);
    expect(arm.kind === 'manifest' && arm.index?.digest).toBe(multi.digest);
    if (arm.kind !== 'manifest') return;
    const cfg = await client.getConfig('demo/multi', arm.manifest);
    expect([cfg.architecture, cfg.variant]).toEqual(['arm64', 'v8']);

    const amd = await client.getManifest('demo/multi', '2.0', { platform: { os: 'linux', architecture: 'amd64' } });
    expect(amd.digest).toBe(amd64.digest);

    const err = await client.getManifest('demo/multi', '2.0', { platform: { os: 'linux', architecture: 's390x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('not_found');
    expect((err as AppError).message).toContain('linux/s390x');
  });

  it('reads Docker manifest lists and schema 2 manifests', async () => {
    const list = await client.getManifest('demo/docker', 'latest');
    expect(list.kind).toBe('index');
    expect(list.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    expect(list.digest).toBe(dockerList.digest);
    const img = await client.getManifest('demo/docker', 'latest', { platform: { os: 'linux', architecture: 'amd64' } });
    expect(img.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
  });

  it('heads a manifest for its digest without the body', async () => {
    await expect(client.headManifest('demo/multi', '2.0')).resolves.toEqual({ digest: multi.digest, mediaType: 'application/vnd.oci.image.index.v1+json', size: multi.size });
    await expect(client.headManifest('demo/app', '1.0')).resolves.toMatchObject({ digest: single.digest });
  });

  it('says not_found for an unknown repository and an unknown tag, naming both', async () => {
    const repo = await client.getManifest('demo/nothing', '1.0').catch((e: unknown) => e);
    expect(repo).toMatchObject({ code: 'not_found' });
    expect((repo as Error).message).toMatch(new RegExp(`registry ${reg.host} has no .*demo/nothing`));
    const tag = await client.getManifest('demo/app', '9.9').catch((e: unknown) => e);
    expect(tag).toMatchObject({ code: 'not_found' });
    expect((tag as Error).message).toContain(':9.9');
    await expect(client.headManifest('demo/app', '9.9')).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.listTags('demo/nothing')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses bad repository names and references before asking the registry', async () => {
    await expect(client.getManifest('Demo/App', '1.0')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(client.getManifest('demo/app', '../../v2')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(client.getManifest('demo/app', 'sha256:abc')).rejects.toMatchObject({ code: 'invalid_input' });
  });

  // distribution 2.8 pages only /v2/_catalog and ignores `n` on tag lists (tag pagination came with
  // distribution 3), so the Link-following path is tested in tag-pagination.test.ts against a
  // small server that pages as the OCI distribution spec says; here the real registry's long list
  it('lists all ~600 tags of a repository', async () => {
    const tags = Array.from({ length: 600 }, (_, i) => `1.${Math.floor(i / 10)}.${i % 10}`);
    const one = await reg.push.image('demo/many', [], { layerText: 'many' });
    for (let i = 0; i < tags.length; i += 50) {
      await Promise.all(tags.slice(i, i + 50).map((t) => reg.push.manifest('demo/many', t, one.body, 'application/vnd.oci.image.manifest.v1+json')));
    }
    const listed = await createRegistryClient({ registry: reg.host, tagPageSize: 100 }).listTags('demo/many');
    expect(listed).toHaveLength(600);
    expect(new Set(listed)).toEqual(new Set(tags));
    expect((await client.listTags('demo/app')).sort()).toEqual(['1', '1.0']);
  }, 120_000);
});
