import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncImages } from '../../src/app/images/sync-images.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { registryMissing, startRegistry, type TestRegistry } from '../support/registry.js';
import { countingRegistries } from '../images/image-fixtures.js';
import { MAUTIC, MAUTIC_TAGS, digestOf, insertInventory, writeImagesPolicy } from './images-support.js';

const LOCAL = '127.0.0.1:5000/acme/app';
const NEVER_SYNCED = 'ghcr.io/acme/never-synced';
const CHANGING = 'ghcr.io/acme/changing';

describe('GET /api/v1/images/<repository>/tags/<tag>/status (from the inventory)', () => {
  let desk: TestDesk;
  const status = (path: string) => desk.app.inject({ method: 'GET', url: `/api/v1/images/${path}` });

  beforeAll(async () => {
    desk = await startTestDesk({ env: { CVDESK_POLICY: writeImagesPolicy([MAUTIC, LOCAL, NEVER_SYNCED, CHANGING]) } });
    await insertInventory(desk.ctx.db, MAUTIC, MAUTIC_TAGS);
    await insertInventory(desk.ctx.db, LOCAL, { '5.0.0': digestOf('1'), '5.0.1': digestOf('2') });
    await insertInventory(desk.ctx.db, 'docker.io/other/app', { '5.0.0': digestOf('3') }); // in the inventory, but not the policy's
   }, 60_000);
  afterAll(() => desk?.close());

  it('answers for a release, with the contract fields first and in order', async () => {
    const r = await status('docker.io/mautic/mautic/tags/5.2.0-apache/status');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const body = r.json() as Record<string, unknown>;
    expect(Object.keys(body).slice(0, 6)).toEqual(['tag', 'kind', 'digest', 'receivesAdvisories', 'advisories', 'moveTo']);
    expect(body).toEqual({
      tag: '5.2.0-apache',
      kind: 'release',
      digest: digestOf('b'),
      receivesAdvisories: true,
      advisories: [],
      moveTo: '5.2.1-apache',
      reason: '5.2 is the newest minor of supported major 5.',
      version: '5.2.0',
      variant: 'apache',
      repository: MAUTIC,
    });
  });

  it('resolves rolling tags by the digests of the inventory', async () => {
    // 5-apache carries the 5.1.9-apache image, not the 5.2.1-apache its name suggests
    expect((await status('docker.io/mautic/mautic/tags/5-apache/status')).json()).toMatchObject({ kind: 'rolling', digest: digestOf('a'), pointsTo: '5.1.9-apache', pointsToBy: 'digest', receivesAdvisories: false, moveTo: '5.2.1-apache' });
    expect((await status('docker.io/mautic/mautic/tags/latest/status')).json()).toMatchObject({ kind: 'rolling', pointsTo: '6.0.0', receivesAdvisories: true, moveTo: '6.0.0' });
    expect((await status('docker.io/mautic/mautic/tags/4.4.13-apache/status')).json()).toMatchObject({ receivesAdvisories: false, moveTo: '6.0.0-apache' });
    expect((await status('docker.io/mautic/mautic/tags/6.1.0-rc1-apache/status')).json()).toMatchObject({ kind: 'prerelease', receivesAdvisories: false, moveTo: '6.0.0-apache' });
  });

  it('takes a familiar name and a registry with a port', async () => {
    expect((await status('mautic/mautic/tags/5.2.1-apache/status')).json()).toMatchObject({ repository: MAUTIC, tag: '5.2.1-apache', moveTo: '5.2.1-apache' });
    const local = await status(`${LOCAL}/tags/5.0.0/status`);
    expect(local.statusCode).toBe(200);
    expect(local.json()).toMatchObject({ repository: LOCAL, digest: digestOf('1'), moveTo: '5.0.1' });
  });

  it('404 with a JSON error for a repository outside the policy, an unknown tag, a repository not synced yet', async () => {
    for (const [path, message] of [
      ['docker.io/other/app/tags/5.0.0/status', 'docker.io/other/app is not one of the image repositories of this policy'],
      ['docker.io/mautic/mautic/tags/9.9.9/status', `${MAUTIC} has no tag 9.9.9`],
      [`${NEVER_SYNCED}/tags/1.0.0/status`, `no tags of ${NEVER_SYNCED} are known yet`],
      ['docker.io/mautic/mautic/tags/5.2.1-apache', 'No such address'],
      ['docker.io/mautic/mautic/status', 'No such address'],
      ['', 'No such address'],
    ] as const) {
      const r = await status(path);
      expect(r.statusCode, path).toBe(404);
      expect(r.headers['content-type'], path).toMatch(/^application\/json/);
      expect((r.json() as { error: { code: string; message: string } }).error, path).toMatchObject({ code: 'not_found', message: expect.stringContaining(message) });
    }
  });

  it('never 500 on odd input', async () => {
    const odd = [
      'docker.io/mautic/mautic/tags/..bad/status',
      'docker.io/mautic/mautic/tags/.hidden/status',
      `docker.io/mautic/mautic/tags/${'x'.repeat(200)}/status`,
      'Docker.IO/Mautic/mautic/tags/5.2.1-apache/status',
      'docker.io//mautic/tags/5.2.1-apache/status',
      '../../etc/passwd/tags/x/status',
      '%ZZ/tags/x/status',
      'docker.io/mautic/mautic/tags/5.2.1-apache%00/status',
      '%2e%2e/%2e%2e/tags/x/status',
      `${'a/'.repeat(400)}tags/x/status`,
      'docker.io/mautic/mautic/tags/tags/tags/status',
      'docker.io/mautic/mautic/tags/%F0%9F%92%A5/status',
    ];
    for (const path of odd) {
      const r = await status(path);
      expect(r.statusCode, path).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, path).toBeLessThan(500);
      expect(r.headers['content-type'], path).toMatch(/^application\/json/);
    }
    const bad = await status('docker.io/mautic/mautic/tags/..bad/status');
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { error: { message: string } }).error.message).toContain('is not an image tag');
    expect((await status('Docker.IO/Mautic/mautic/tags/5.2.1-apache/status')).statusCode).toBe(400);
  });

  it('follows every change to the inventory, by whatever writes it, on the next request', async () => {
    // the desk keeps each repository's judged tag list between requests; these writes keep the
    // tag count and the changed_at times, so only the content of the list can tell them apart
    const at = new Date('2026-11-23T11:00:00Z');
    await insertInventory(desk.ctx.db, CHANGING, { '5.0.0': digestOf('1'), '5.0.1': digestOf('2'), '5': digestOf('1') }, at);
    const get = async (tag: string) => (await status(`${CHANGING}/tags/${tag}/status`)).json() as Record<string, unknown>;
    expect(await get('5')).toMatchObject({ digest: digestOf('1'), pointsTo: '5.0.0', pointsToBy: 'digest' });
    expect(await get('5.0.0')).toMatchObject({ moveTo: '5.0.1' });

    await desk.ctx.db.updateTable('image_tags').set({ digest: digestOf('2') }).where('repository', '=', CHANGING).where('tag', '=', '5').execute();
    expect(await get('5')).toMatchObject({ digest: digestOf('2'), pointsTo: '5.0.1', pointsToBy: 'digest' });

    await desk.ctx.db.deleteFrom('image_tags').where('repository', '=', CHANGING).where('tag', '=', '5.0.1').execute();
    await desk.ctx.db.insertInto('image_tags').values({ repository: CHANGING, tag: '5.0.2', digest: digestOf('2'), first_seen_at: at, changed_at: at, seen_at: at }).execute();
    expect((await status(`${CHANGING}/tags/5.0.1/status`)).statusCode).toBe(404);
    expect(await get('5.0.0')).toMatchObject({ moveTo: '5.0.2' });
    expect(await get('5')).toMatchObject({ pointsTo: '5.0.2' });

    await desk.ctx.db.deleteFrom('image_tags').where('repository', '=', CHANGING).execute();
    expect((await status(`${CHANGING}/tags/5.0.0/status`)).json()).toMatchObject({ error: { message: expect.stringContaining(`no tags of ${CHANGING} are known yet`) } });
  });

  it('is described in the OpenAPI document, and answers match its schema', async () => {
    const doc = (await desk.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown>; components: { schemas: Record<string, object> } };
    expect(doc.paths).toHaveProperty(['/api/v1/images/{repository}/tags/{tag}/status', 'get', 'operationId'], 'getImageTagStatus');
    const ajv = new Ajv2020({ strict: false });
    for (const [id, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${id}`);
    const validate = ajv.getSchema('#/components/schemas/TagStatus')!;
    for (const tag of ['5.2.0-apache', '5-apache', 'latest', '4.4.13-apache']) {
      const body: unknown = (await status(`docker.io/mautic/mautic/tags/${tag}/status`)).json();
      expect(validate(body), `${tag}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(validate({ tag: 'x' })).toBe(false);
  });
});

const skip = registryMissing();

describe.skipIf(skip)('the API after a real sync of a local registry', () => {
  let reg: TestRegistry;
  let desk: TestDesk;

  beforeAll(async () => {
    reg = await startRegistry('none');
    desk = await startTestDesk({ env: { CVDESK_POLICY: writeImagesPolicy([`${reg.host}/acme/app`]) } });
  }, 60_000);
  afterAll(async () => {
    await desk?.close();
    await reg?.close();
  });

  it('answers with the digests the registry holds, and follows a moved rolling tag after the next sync', async () => {
    const old = await reg.push.image('acme/app', ['5.1.9-apache', '5-apache'], { layerText: '5.1.9' });
    const current = await reg.push.image('acme/app', ['5.2.1-apache'], { layerText: '5.2.1' });
    const sync = () => syncImages({ db: desk.ctx.db, policy: desk.ctx.policy, registries: countingRegistries(), clock: () => new Date(), newId: randomUUID });
    expect((await sync())[0]).toMatchObject({ status: 'succeeded' });
    const url = `/api/v1/images/${reg.host}/acme/app/tags/5-apache/status`;
    expect((await desk.app.inject({ method: 'GET', url })).json()).toMatchObject({ digest: old.digest, pointsTo: '5.1.9-apache', receivesAdvisories: false });
    await reg.push.manifest('acme/app', '5-apache', current.body, 'application/vnd.oci.image.manifest.v1+json');
    await sync();
    expect((await desk.app.inject({ method: 'GET', url })).json()).toMatchObject({ digest: current.digest, pointsTo: '5.2.1-apache', pointsToBy: 'digest', receivesAdvisories: true });
  });
});
