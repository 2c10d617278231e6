import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { createScheduler, type ScheduledTask } from '../../src/jobs/scheduler.js';
import { deskTasks } from '../../src/jobs/tasks.js';
import { openTestDatabaseTwice, testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { startFakeGitHub, type FakeServer } from '../support/forges.js';
import { writeRebuildPolicy } from './rebuild-policy.js';

const TOKEN = 'ghp_ScheduleToken0123456789abcdef';
const MONDAY = new Date('2026-11-23T00:00:00Z');
const TUESDAY_MORNING = new Date('2026-11-24T09:00:00Z');

const rebuildTask = (ctx: Context): ScheduledTask => {
  const task = deskTasks(ctx).find((t) => t.name === 'image-rebuild');
  if (!task) throw new Error('deskTasks has no image-rebuild task');
  return task;
};
const schedulerOf = (desk: TestDesk) => createScheduler({ db: desk.ctx.db, log: desk.ctx.log, clock: desk.ctx.clock }, [rebuildTask(desk.ctx)]);

describe(`the rebuild schedule on ${testEngine()}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-rebuild-schedule-'));
  let github: FakeServer;
  /** Two desk processes on one database (on PGlite: one database, two desks). */
  let one: TestDesk;
  let two: TestDesk;
  let closeDatabases: () => Promise<void>;

  beforeAll(async () => {
    github = await startFakeGitHub({ token: TOKEN, repositories: { 'acme/images': {} } });
    const policy = writeRebuildPolicy(dir, { images: [], rebuild: { cron: '0 0 * * 1', timeZone: 'UTC', when: 'always', trigger: { type: 'github-dispatch', repository: 'acme/images', apiUrl: github.url } } });
    const { database, other, close } = await openTestDatabaseTwice();
    closeDatabases = close;
    const env = { CVDESK_POLICY: policy, CVDESK_REBUILD_TOKEN: TOKEN };
    one = await startTestDesk({ database, env, now: TUESDAY_MORNING });
    two = await startTestDesk({ database: other, env, now: TUESDAY_MORNING });
  }, 60_000);
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await closeDatabases?.();
    await github?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await one.ctx.db.deleteFrom('job_runs').execute();
    await one.ctx.db.deleteFrom('rebuild_runs').execute();
    github.requests.splice(0);
    one.setNow(TUESDAY_MORNING);
    two.setNow(TUESDAY_MORNING);
  });

  const runs = () => one.ctx.db.selectFrom('rebuild_runs').select(['slot', 'status', 'source']).orderBy('started_at').execute();

  it("is a desk task on the policy's cron and time zone, and not a start run (a restart must not rebuild again)", () => {
    const task = rebuildTask(one.ctx);
    expect(task.schedule).toEqual({ cron: '0 0 * * 1', timeZone: 'UTC' });
    expect(task.runAtStart ?? false).toBe(false);
  });

  it('a desk that was down at Monday 00:00 runs the missed rebuild when it starts, once; a restart does not run it again', async () => {
    const first = schedulerOf(one);
    first.start();
    await first.idle();
    await first.stop();
    expect(await runs()).toEqual([{ slot: MONDAY, status: 'triggered', source: 'schedule' }]);
    expect(github.requests).toHaveLength(1);
    expect(JSON.parse(github.requests[0]!.body).client_payload).toMatchObject({ slot: MONDAY.toISOString(), reason: 'scheduled', source: 'schedule' });
    const job = await one.ctx.db.selectFrom('job_runs').selectAll().where('name', '=', 'image-rebuild').executeTakeFirstOrThrow();
    expect(job).toMatchObject({ slot: MONDAY, started_at: TUESDAY_MORNING, error: null });
    expect(job.finished_at).not.toBeNull();

    // the desk restarts an hour later: Monday's slot ran, so nothing runs
    one.setNow(new Date('2026-11-24T10:00:00Z'));
    const restarted = schedulerOf(one);
    restarted.start();
    await restarted.idle();
    await restarted.stop();
    expect(github.requests).toHaveLength(1);

    // the next Monday: the next slot runs
    const nextMonday = new Date('2026-11-30T00:00:30Z');
    one.setNow(nextMonday);
    expect((await restarted.tick(nextMonday)).map((o) => [o.name, o.outcome, o.slot.toISOString()])).toEqual([['image-rebuild', 'ran', '2026-11-30T00:00:00.000Z']]);
    expect((await runs()).map((r) => r.slot?.toISOString())).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
    expect(github.requests).toHaveLength(2);
  });

  it('two desk processes ticking at the same moment run each slot once: one run recorded, one request to the CI', async () => {
    const at = new Date('2026-11-30T00:00:05Z');
    one.setNow(at);
    two.setNow(at);
    const a = schedulerOf(one);
    const b = schedulerOf(two);
    const outcomes = (await Promise.all([a.tick(at), b.tick(at), a.tick(at), b.tick(at)])).flat();
    expect(outcomes.map((o) => [o.outcome, o.slot.toISOString()])).toEqual([['ran', '2026-11-30T00:00:00.000Z']]);
    expect(await runs()).toEqual([{ slot: new Date('2026-11-30T00:00:00Z'), status: 'triggered', source: 'schedule' }]);
    expect(github.requests).toHaveLength(1);
    expect(await one.ctx.db.selectFrom('job_runs').select('slot').where('name', '=', 'image-rebuild').execute()).toEqual([{ slot: new Date('2026-11-30T00:00:00Z') }]);
  });

  it('a slot that finds an admin\'s run in progress is recorded as skipped in job_runs, not run twice', async () => {
    const at = new Date('2026-11-30T00:00:05Z');
    one.setNow(at);
    await one.ctx.db.insertInto('rebuild_runs').values({ id: crypto.randomUUID(), source: 'manual', started_at: at, status: 'running', rebuild_when: 'always' }).execute();
    const [outcome] = await schedulerOf(one).tick(at);
    expect(outcome).toMatchObject({ name: 'image-rebuild', outcome: 'failed', error: `skipped: another rebuild run (started ${at.toISOString()}) was in progress` });
    expect(github.requests).toHaveLength(0);
  });
});
