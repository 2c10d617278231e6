/**
 * The scheduled inventory sync (CVDESK_IMAGE_SYNC_CRON): a desk's tasks include it, it runs at
 * start and on each slot once (also with two desk processes on one database), a failed repository
 * is named in job_runs while the others sync, and "off" leaves it out.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInventoryTags } from '../../src/app/images/inventory.js';
import { createScheduler } from '../../src/jobs/scheduler.js';
import { deskTasks } from '../../src/jobs/tasks.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { freePort, registryMissing, startRegistry, type TestRegistry } from '../support/registry.js';
import { policyYaml } from './inventory-support.js';

const skip = registryMissing();
const T0 = new Date('2026-03-02T10:25:00Z'); // after the 10:20 slot of the default '20 * * * *'

describe.skipIf(skip)(`scheduled image sync on ${testEngine()}`, () => {
  let dir: string;
  let reg: TestRegistry;
  let desk: TestDesk;
  let repo: string;
  let down: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cvdesk-image-sync-job-'));
    reg = await startRegistry('none');
    repo = `${reg.host}/acme/app`;
    down = `127.0.0.1:${await freePort()}/acme/gone`;
    await reg.push.image('acme/app', ['1.0.0', 'latest']);
    await writeFile(join(dir, 'policy.yaml'), policyYaml([down, repo]));
    desk = await startTestDesk({ now: T0, env: { CVDESK_POLICY: join(dir, 'policy.yaml') } });
  }, 60_000);
  afterAll(async () => {
    await desk?.close();
    await reg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const silent = pino({ level: 'silent' });
  const syncTask = () => deskTasks(desk.ctx).filter((t) => t.name === 'image-sync');
  const runs = () => desk.ctx.db.selectFrom('job_runs').select(['slot', 'error']).where('name', '=', 'image-sync').orderBy('slot').execute();

  it('is a desk task on CVDESK_IMAGE_SYNC_CRON in UTC that also runs at start', () => {
    expect(syncTask()).toMatchObject([{ name: 'image-sync', schedule: { cron: '20 * * * *', timeZone: 'UTC' }, runAtStart: true }]);
  });

  it('runs each slot once across two schedulers on one database (as two desk processes); a failed repository is named, the others synced', async () => {
    const deps = { db: desk.ctx.db, log: silent, clock: () => desk.ctx.clock() };
    const one = createScheduler(deps, syncTask());
    const two = createScheduler(deps, syncTask());
    const [a, b] = await Promise.all([one.tick(T0), two.tick(T0)]);
    // the 10:20 slot ran in one process; the other, finding it claimed, made its own start run
    expect([...a, ...b].map((o) => o.outcome)).toEqual(['failed', 'failed']);
    expect([...a, ...b].map((o) => o.slot.toISOString()).sort()).toEqual(['2026-03-02T10:20:00.000Z', T0.toISOString()]);
    expect((await listInventoryTags(desk.ctx.db, repo)).map((t) => t.tag)).toEqual(['1.0.0', 'latest']);
    const recorded = await runs();
    expect(recorded).toHaveLength(2);
    for (const r of recorded) expect(r.error).toMatch(new RegExp(`^${down.replace(/\./g, '\\.')}: registry 127\\.0\\.0\\.1:\\d+ could not be reached for repository acme/gone, tag list page 1: connection refused`));

    // the same slot again: nothing runs
    expect(await one.tick(new Date('2026-03-02T10:50:00Z'))).toEqual([]);

    // the next slot picks up a new tag
    await reg.push.image('acme/app', ['1.0.1'], { layerText: 'next' });
    desk.setNow(new Date('2026-03-02T11:21:00Z'));
    const next = await two.tick(new Date('2026-03-02T11:21:00Z'));
    expect(next.map((o) => [o.slot.toISOString(), o.outcome])).toEqual([['2026-03-02T11:20:00.000Z', 'failed']]);
    expect((await listInventoryTags(desk.ctx.db, repo)).map((t) => t.tag)).toEqual(['1.0.0', '1.0.1', 'latest']);
    const syncs = await desk.ctx.db.selectFrom('image_syncs').select(['repository', 'status']).where('repository', '=', repo).execute();
    expect(syncs.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('"off", or a policy without images, has no sync task', async () => {
    const off = await startTestDesk({ database: desk.ctx.database, env: { CVDESK_POLICY: join(dir, 'policy.yaml'), CVDESK_IMAGE_SYNC_CRON: 'off' } });
    try {
      expect(deskTasks(off.ctx).map((t) => t.name)).not.toContain('image-sync');
    } finally {
      await off.close();
    }
    const none = await startTestDesk({ database: desk.ctx.database, env: { CVDESK_POLICY: 'examples/policies/minimal.yaml' } });
    try {
      expect(deskTasks(none.ctx).map((t) => t.name)).not.toContain('image-sync');
    } finally {
      await none.close();
    }
  });
});
