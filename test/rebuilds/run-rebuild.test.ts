import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAdminNotices } from '../../src/app/admin-notices.js';
import { syncRepository } from '../../src/app/images/sync-images.js';
import { listRebuildRuns } from '../../src/app/rebuilds/list-rebuild-runs.js';
import { REBUILD_NOTICE_KEY, runRebuild, STALE_RUN_MS, type RunRebuildResult } from '../../src/app/rebuilds/run-rebuild.js';
import type { Context } from '../../src/context.js';
import { rebuildTriggerSchema } from '../../src/domain/policy/schema-releases.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { startFakeGitHub, startWebhookReceiver, type FakeServer } from '../support/forges.js';
import { freePort, registryMissing, startRegistry, type TestRegistry } from '../support/registry.js';
import { writeRebuildPolicy } from './rebuild-policy.js';

const skip = registryMissing();
const TOKEN = 'ghp_RebuildJobToken0123456789abcdefXYZ';
const FAST = { retryDelaysMs: [5, 10], timeoutMs: 5_000 };
const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

const ran = (r: RunRebuildResult) => {
  if (r.kind !== 'ran') throw new Error(`expected a run, got ${r.kind}`);
  return r.run;
};

describe.skipIf(skip)(`the rebuild job against docker-registry on ${testEngine()}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-rebuild-'));
  let reg: TestRegistry;
  let github: FakeServer;
  let desk: TestDesk;
  let app: string;
  let tool: string;
  let never: string;
  let baseRef: string;
  let baseV1: string;

  /** The desk's context with another rebuild section or token. */
  function variant(rebuild: Record<string, unknown>, token: string | null = TOKEN): Context {
    const current = desk.ctx.policy.releases.rebuild!;
    const next = { ...current, ...rebuild, trigger: rebuild.trigger === undefined ? current.trigger : rebuild.trigger ? rebuildTriggerSchema.parse(rebuild.trigger) : undefined };
    return { ...desk.ctx, policy: { ...desk.ctx.policy, releases: { ...desk.ctx.policy.releases, rebuild: next } }, config: { ...desk.ctx.config, rebuildToken: token } };
  }
  const sync = (repository: string) => syncRepository(desk.ctx, repository);
  const rowsAsText = async () => JSON.stringify(await desk.ctx.db.selectFrom('rebuild_runs').selectAll().execute());

  beforeAll(async () => {
    reg = await startRegistry('none');
    app = `${reg.host}/acme/app`;
    tool = `${reg.host}/acme/tool`;
    never = `${reg.host}/acme/never`;
    baseRef = `${reg.host}/library/base:bookworm`;
    baseV1 = (await reg.push.image('library/base', ['bookworm'], { layerText: 'base v1' })).digest;
    const onBase = { labels: { [BASE_NAME]: baseRef, [BASE_DIGEST]: baseV1 } };
    await reg.push.image('acme/app', ['5.2.1-apache', '5-apache'], { ...onBase, layerText: 'app 5.2.1 on base v1' });
    await reg.push.image('acme/app', ['5.1.0-apache'], { ...onBase, layerText: 'app 5.1.0' }); // not the newest minor: unsupported
    await reg.push.image('acme/app', ['4.4.0'], { ...onBase, layerText: 'app 4.4.0' }); // major 4: unsupported
    await reg.push.image('acme/app', ['6.0.0-fpm'], { layerText: 'app 6.0.0 without base labels' });
    // a tag whose base lives on a registry nobody answers on
    const gone = `127.0.0.1:${await freePort()}`;
    await reg.push.image('acme/tool', ['5.0.0'], { labels: { [BASE_NAME]: `${gone}/library/x:1`, [BASE_DIGEST]: baseV1 }, layerText: 'tool' });

    github = await startFakeGitHub({ token: TOKEN, repositories: { 'acme/images': { workflows: { 'rebuild.yml': { id: 7, inputs: ['cvdesk', 'platforms'] } } } } });
    const policy = writeRebuildPolicy(dir, {
      images: [app, tool, never],
      rebuild: { when: 'drift', trigger: { type: 'github-workflow', repository: 'acme/images', workflow: 'rebuild.yml', inputs: { platforms: 'linux/amd64' }, apiUrl: github.url } },
    });
    desk = await startTestDesk({ env: { CVDESK_POLICY: policy, CVDESK_REBUILD_TOKEN: TOKEN } });
    expect((await sync(app)).status).toBe('succeeded');
    expect((await sync(tool)).status).toBe('succeeded');
  }, 60_000);
  afterAll(async () => {
    await desk?.close();
    await github?.close();
    await reg?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('base unchanged and when: drift: every supported tag checked, nothing triggered, and the run says why', async () => {
    const run = ran(await runRebuild(desk.ctx, { slot: new Date('2026-11-23T00:00:00Z'), source: 'schedule' }, FAST));
    expect(run).toMatchObject({ status: 'not-needed', source: 'schedule', slot: new Date('2026-11-23T00:00:00Z'), when: 'drift', triggerKind: 'github-workflow', request: null, responseStatus: null, triggeredAt: null, error: null });
    const byTag = Object.fromEntries(run.tags.map((t) => [`${t.repository.split('/').at(-1)}:${t.tag}`, t]));
    expect(Object.keys(byTag).sort()).toEqual(['app:5-apache', 'app:5.2.1-apache', 'app:6.0.0-fpm', 'tool:5.0.0']);
    expect(byTag['app:5.2.1-apache']).toMatchObject({ status: 'up-to-date', baseName: baseRef, recordedBaseDigest: baseV1, currentBaseDigest: baseV1 });
    expect(byTag['app:5-apache']).toMatchObject({ status: 'up-to-date', kind: 'rolling' });
    expect(byTag['app:6.0.0-fpm']).toMatchObject({ status: 'unknown', baseName: null });
    expect(byTag['tool:5.0.0']!.status).toBe('error');
    expect(byTag['tool:5.0.0']!.reason).toMatch(/^cannot read the base image 127\.0\.0\.1:\d+\/library\/x:1/);
    expect(run.reason).toBe("No supported tag's base image moved (4 supported tags: 2 up to date, 1 unknown (no base recorded), 1 could not be checked), and the policy rebuilds only on drift.");
    expect(run.repositories.find((r) => r.name === never)!.note).toMatch(/^Not in the inventory yet/);
    expect(run.repositories.find((r) => r.name === app)).toMatchObject({ tags: 5, supported: 3, note: null });
    expect(github.requests).toHaveLength(0);
  });

  it('the base moved: the tags on it need a rebuild, the workflow is dispatched with them, and the run is recorded without the token', async () => {
    const baseV2 = (await reg.push.image('library/base', ['bookworm'], { layerText: 'base v2' })).digest;
    const run = ran(await runRebuild(desk.ctx, { slot: new Date('2026-11-30T00:00:00Z'), source: 'schedule' }, FAST));
    expect(run.status).toBe('triggered');
    expect(run.tags.filter((t) => t.status === 'rebuild-needed').map((t) => [t.tag, t.recordedBaseDigest, t.currentBaseDigest])).toEqual([
      ['5-apache', baseV1, baseV2],
      ['5.2.1-apache', baseV1, baseV2],
    ]);
    expect(run.reason).toMatch(/^2 supported tags need a rebuild: 4 supported tags: 2 rebuild needed, 1 unknown \(no base recorded\), 1 could not be checked\. Triggered the GitHub Actions workflow rebuild.yml in acme\/images on main\.$/);
    expect(github.requests).toHaveLength(1);
    const sent = github.requests[0]!;
    expect(sent.url).toBe('/repos/acme/images/actions/workflows/rebuild.yml/dispatches');
    expect(sent.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const body = JSON.parse(sent.body);
    expect(body.inputs.platforms).toBe('linux/amd64');
    expect(JSON.parse(body.inputs.cvdesk)).toEqual({ run: run.id, reason: 'drift', images: { [app]: ['5-apache', '5.2.1-apache'] } });
    expect(run).toMatchObject({ responseStatus: 204, attempts: 1, error: null, triggerKind: 'github-workflow' });
    expect(run.request).toMatchObject({ method: 'POST', url: `${github.url}/repos/acme/images/actions/workflows/rebuild.yml/dispatches`, headers: { authorization: 'Bearer [redacted]' } });
    expect(run.triggeredAt).toBeInstanceOf(Date);
    expect(await rowsAsText()).not.toContain(TOKEN);
    expect(desk.logs.join('')).not.toContain(TOKEN);
    expect(desk.logs.join('')).toContain('rebuild run finished');

    // the CI rebuilds on the new base and pushes; the next sync sees the new digests: the run's builds
    await reg.push.image('acme/app', ['5.2.1-apache', '5-apache'], { labels: { [BASE_NAME]: baseRef, [BASE_DIGEST]: baseV2 }, layerText: 'app 5.2.1 on base v2' });
    const synced = await sync(app);
    expect(synced).toMatchObject({ status: 'succeeded', changed: 2 });
    const { runs } = await listRebuildRuns(desk.ctx);
    const listed = runs.find((r) => r.id === run.id)!;
    expect(listed.builds.map((b) => b.tag)).toEqual(['5-apache', '5.2.1-apache']);
    expect(runs.find((r) => r.status === 'not-needed')!.builds).toEqual([]);
    // and the next run finds them up to date again
    const after = ran(await runRebuild(desk.ctx, { slot: new Date('2026-12-07T00:00:00Z'), source: 'schedule' }, FAST));
    expect(after.status).toBe('not-needed');
    expect(after.tags.filter((t) => t.repository === app && t.status === 'up-to-date').map((t) => t.tag)).toEqual(['5-apache', '5.2.1-apache']);
    expect(github.requests).toHaveLength(1);
  });

  it('a wrong token: the 401 is recorded with a clear message, the admins are told, the token is nowhere', async () => {
    const before = github.requests.length;
    const run = ran(await runRebuild(variant({ when: 'always' }, 'ghp_wrongWrongWrong'), { slot: null, source: 'schedule' }, FAST));
    expect(run).toMatchObject({ status: 'failed', responseStatus: 401, attempts: 1, triggeredAt: null });
    expect(run.error).toBe('GitHub refused the token with 401 (Bad credentials): CVDESK_REBUILD_TOKEN is wrong, expired or revoked.');
    expect(JSON.parse(run.responseBody!)).toMatchObject({ message: 'Bad credentials' });
    expect(github.requests.length - before).toBe(1);
    const notice = (await listAdminNotices(desk.ctx.db)).find((n) => n.key === REBUILD_NOTICE_KEY)!;
    expect(notice.level).toBe('bad');
    expect(notice.message).toContain('could not start the GitHub Actions workflow rebuild.yml in acme/images on main: GitHub refused the token with 401');
    expect(await rowsAsText()).not.toContain('ghp_wrongWrongWrong');
    expect(desk.logs.join('')).not.toContain('ghp_wrongWrongWrong');
    expect(desk.logs.join('')).toContain('rebuild run could not start the CI');
  });

  it('no token configured, or no trigger in the policy: recorded as not triggered with the reason, and the admins are told', async () => {
    const before = github.requests.length;
    const noToken = ran(await runRebuild(variant({ when: 'always' }, null), { slot: null, source: 'schedule' }, FAST));
    expect(noToken.status).toBe('not-triggered');
    expect(noToken.reason).toMatch(/Not triggered: CVDESK_REBUILD_TOKEN is not set; the GitHub Actions workflow rebuild.yml in acme\/images on main needs a GitHub token with the "Actions: write" permission\.$/);
    expect((await listAdminNotices(desk.ctx.db)).find((n) => n.key === REBUILD_NOTICE_KEY)!.message).toMatch(/set CVDESK_REBUILD_TOKEN to a GitHub token/);

    const noTrigger = ran(await runRebuild(variant({ when: 'always', trigger: null }), { slot: null, source: 'schedule' }, FAST));
    expect(noTrigger).toMatchObject({ status: 'not-triggered', triggerKind: null, request: null });
    expect(noTrigger.reason).toMatch(/^The policy rebuilds on every run \(when: always\); 4 supported tags: .*Not triggered: the policy names no releases\.rebuild\.trigger/);
    const notice = (await listAdminNotices(desk.ctx.db)).find((n) => n.key === REBUILD_NOTICE_KEY)!;
    expect(notice).toMatchObject({ level: 'warn' });
    expect(notice.message).toContain('the policy names no releases.rebuild.trigger');
    expect(github.requests.length).toBe(before);
  });

  it('a signed webhook as the trigger: the receiver verifies what the run sent', async () => {
    const receiver = await startWebhookReceiver({ secret: TOKEN });
    try {
      const run = ran(await runRebuild(variant({ when: 'always', trigger: { type: 'webhook', url: `${receiver.url}/rebuild` } }), { slot: null, source: 'schedule' }, FAST));
      expect(run).toMatchObject({ status: 'triggered', responseStatus: 202, triggerKind: 'webhook' });
      expect(receiver.deliveries).toHaveLength(1);
      expect(receiver.deliveries[0]).toMatchObject({ verified: true });
      expect(JSON.parse(receiver.deliveries[0]!.body)).toMatchObject({ event: 'rebuild', run: run.id, reason: 'scheduled', images: {} });
      expect(run.request!.headers['x-cvdesk-signature-256']).toBe('sha256=[redacted]');
    } finally {
      await receiver.close();
    }
  });

  it('one run at a time: a run in progress makes another wait its turn; one left behind by a stopped process is closed', async () => {
    const now = desk.ctx.clock();
    const id = crypto.randomUUID();
    await desk.ctx.db.insertInto('rebuild_runs').values({ id, source: 'schedule', started_at: now, status: 'running', rebuild_when: 'drift' }).execute();
    const busy = await runRebuild(desk.ctx, { slot: null, source: 'schedule' }, FAST);
    expect(busy).toEqual({ kind: 'busy', since: now });

    await desk.ctx.db.updateTable('rebuild_runs').set({ started_at: new Date(now.getTime() - STALE_RUN_MS - 1000) }).where('id', '=', id).execute();
    const run = ran(await runRebuild(desk.ctx, { slot: null, source: 'schedule' }, FAST));
    expect(run.status).toBe('not-needed');
    const stale = await desk.ctx.db.selectFrom('rebuild_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(stale).toMatchObject({ status: 'failed', error: 'The desk process stopped before this run finished.' });
  });

  it('a policy without releases.rebuild has nothing to run', async () => {
    const { rebuild: _drop, ...releases } = desk.ctx.policy.releases;
    expect(await runRebuild({ ...desk.ctx, policy: { ...desk.ctx.policy, releases } }, { slot: null, source: 'manual' })).toEqual({ kind: 'not_scheduled' });
  });
});
