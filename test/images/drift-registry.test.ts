import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDrift, imageDrift } from '../../src/app/images/check-drift.js';
import { AppError } from '../../src/app/errors.js';
import { freePort, registryMissing, startRegistry, type Pushed, type TestRegistry } from '../support/registry.js';
import { BASE_DIGEST, BASE_NAME, countingRegistries, pushAnnotatedIndex, pushMultiArch, type CountingRegistries } from './image-fixtures.js';

const skip = registryMissing();

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe.skipIf(skip)('base-image drift against docker-registry', () => {
  let reg: TestRegistry;
  let registries: CountingRegistries;
  let base: { amd64: Pushed; arm64: Pushed; index: Pushed };
  let slim: Pushed;
  let baseName: string;

  beforeAll(async () => {
    reg = await startRegistry('none');
    registries = countingRegistries();
    baseName = `${reg.host}/base/php:8.3-apache`;
    // the base: a multi-arch index in another repository of the same registry, and a single-arch tag
    base = await pushMultiArch(reg, 'base/php', '8.3-apache', 'first');
    slim = await reg.push.image('base/debian', ['bookworm-slim'], { layerText: 'debian first' });
    // images built on it, recording the base in the ways build tools do
    await reg.push.image('acme/app', ['1.0-index'], { annotations: { [BASE_NAME]: baseName, [BASE_DIGEST]: base.index.digest }, layerText: 'app index' });
    await reg.push.image('acme/app', ['1.0-platform'], { annotations: { [BASE_NAME]: baseName, [BASE_DIGEST]: base.amd64.digest }, layerText: 'app platform' });
    await reg.push.image('acme/app', ['1.0-labels'], { labels: { [BASE_NAME]: baseName, [BASE_DIGEST]: base.index.digest }, layerText: 'app labels' });
    await reg.push.image('acme/app', ['1.0-slim'], { annotations: { [BASE_NAME]: `${reg.host}/base/debian:bookworm-slim`, [BASE_DIGEST]: slim.digest }, layerText: 'app slim' });
    await reg.push.image('acme/app', ['1.0-nobase'], { labels: { 'org.opencontainers.image.version': '1.0' }, layerText: 'app nobase' });
    await reg.push.image('acme/app', ['1.0-gone'], { annotations: { [BASE_NAME]: `${reg.host}/base/php:7.0`, [BASE_DIGEST]: base.index.digest }, layerText: 'app gone' });
    // a multi-arch app whose index carries the base, and one whose images do (the index says nothing)
    const a = await reg.push.image('acme/multi', [], { platform: { os: 'linux', architecture: 'amd64' }, layerText: 'multi amd64' });
    const b = await reg.push.image('acme/multi', [], { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layerText: 'multi arm64' });
    await pushAnnotatedIndex(reg, 'acme/multi', '2.0', [
      { pushed: a, platform: { os: 'linux', architecture: 'amd64' } },
      { pushed: b, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ], { [BASE_NAME]: baseName, [BASE_DIGEST]: base.index.digest });
    await pushMultiArch(reg, 'acme/perplatform', '3.0', 'x', { annotations: { [BASE_NAME]: baseName, [BASE_DIGEST]: base.index.digest } });
  }, 60_000);
  afterAll(() => reg?.close());

  it('up to date when the recorded digest is the base index: one HEAD', async () => {
    registries.calls.length = 0;
    const r = await checkDrift(registries, { baseName, recordedBaseDigest: base.index.digest });
    expect(r).toMatchObject({ status: 'up-to-date', baseName, recordedBaseDigest: base.index.digest, currentBaseDigest: base.index.digest });
    expect(registries.calls).toEqual(['HEAD base/php 8.3-apache']);
  });

  it('up to date when the recorded digest is a platform image of the base index: HEAD, then the index', async () => {
    registries.calls.length = 0;
    const r = await checkDrift(registries, { baseName, recordedBaseDigest: base.arm64.digest });
    expect(r).toMatchObject({ status: 'up-to-date', recordedBaseDigest: base.arm64.digest, currentBaseDigest: base.index.digest });
    expect(registries.calls).toEqual(['HEAD base/php 8.3-apache', `GET base/php ${base.index.digest}`]);
  });

  it('no base recorded is unknown, without asking any registry', async () => {
    registries.calls.length = 0;
    expect(await checkDrift(registries, { baseName: null, recordedBaseDigest: null })).toMatchObject({ status: 'unknown', currentBaseDigest: null });
    expect(registries.calls).toEqual([]);
  });

  it('reads the base from manifest annotations, config labels, index annotations or the images of an index', async () => {
    for (const tag of ['1.0-index', '1.0-platform', '1.0-labels']) {
      const r = await imageDrift(registries, `${reg.host}/acme/app:${tag}`);
      expect(r.status, tag).toBe('up-to-date');
      expect(r.baseName, tag).toBe(baseName);
    }
    registries.calls.length = 0;
    expect((await imageDrift(registries, `${reg.host}/acme/multi:2.0`)).status).toBe('up-to-date');
    // the index's own annotations answer: no image manifest or config is read
    expect(registries.calls).toEqual(['GET acme/multi 2.0', 'HEAD base/php 8.3-apache']);
    expect(await imageDrift(registries, `${reg.host}/acme/perplatform:3.0`, { platform: 'linux/arm64/v8' })).toMatchObject({ status: 'up-to-date', recordedBaseDigest: base.index.digest });
    expect(await imageDrift(registries, `${reg.host}/acme/app:1.0-slim`)).toMatchObject({ status: 'up-to-date', currentBaseDigest: slim.digest });
  });

  it('an image without a base is unknown', async () => {
    const r = await imageDrift(registries, `${reg.host}/acme/app:1.0-nobase`);
    expect(r).toEqual({ status: 'unknown', baseName: null, recordedBaseDigest: null, currentBaseDigest: null, reason: expect.stringContaining('records no base image') });
  });

  it('when the base tag moves, images built on the old base need a rebuild (both digests named)', async () => {
    const before = await imageDrift(registries, `${reg.host}/acme/app:1.0-platform`);
    expect(before.status).toBe('up-to-date');
    const moved = await pushMultiArch(reg, 'base/php', '8.3-apache', 'second');
    const movedSlim = await reg.push.image('base/debian', ['bookworm-slim'], { layerText: 'debian second' });
    for (const tag of ['1.0-index', '1.0-platform', '1.0-labels']) {
      const r = await imageDrift(registries, `${reg.host}/acme/app:${tag}`);
      expect(r.status, tag).toBe('rebuild-needed');
      expect(r.currentBaseDigest, tag).toBe(moved.index.digest);
      expect(r.reason, tag).toContain(moved.index.digest);
    }
    expect(await imageDrift(registries, `${reg.host}/acme/app:1.0-platform`)).toMatchObject({ recordedBaseDigest: base.amd64.digest });
    expect(await imageDrift(registries, `${reg.host}/acme/multi:2.0`)).toMatchObject({ status: 'rebuild-needed', recordedBaseDigest: base.index.digest, currentBaseDigest: moved.index.digest });
    expect(await imageDrift(registries, `${reg.host}/acme/app:1.0-slim`)).toMatchObject({ status: 'rebuild-needed', recordedBaseDigest: slim.digest, currentBaseDigest: movedSlim.digest });
    // an image built on the new base is up to date again
    await reg.push.image('acme/app', ['1.1'], { annotations: { [BASE_NAME]: baseName, [BASE_DIGEST]: moved.arm64.digest }, layerText: 'app 1.1' });
    expect((await imageDrift(registries, `${reg.host}/acme/app:1.1`)).status).toBe('up-to-date');
  });

  it('a base tag that no longer exists is an error naming the base image', async () => {
    const e = await failure(imageDrift(registries, `${reg.host}/acme/app:1.0-gone`));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain(`cannot read the base image ${reg.host}/base/php:7.0`);
  });

  it('bad input and an unreachable registry are clear errors', async () => {
    expect((await failure(imageDrift(registries, 'Not A Reference'))).message).toMatch(/"Not A Reference" is not an image reference/);
    expect((await failure(imageDrift(registries, `${reg.host}/acme/app:nope`))).code).toBe('not_found');
    expect((await failure(imageDrift(registries, `${reg.host}/acme/multi:2.0`, { platform: 'linux' }))).message).toContain('the platform must be os/arch');
    const closed = `127.0.0.1:${await freePort()}`;
    const e = await failure(checkDrift(registries, { baseName: `${closed}/base/php:8.3`, recordedBaseDigest: base.index.digest }));
    expect(e.code).toBe('unreadable');
    expect(e.message).toContain(`cannot read the base image ${closed}/base/php:8.3`);
  });
});
