import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/open-database.js';
import { createLogger } from '../../src/context.js';
import { createScheduler, type ScheduledTask } from '../../src/jobs/scheduler.js';
import { latestSlot } from '../../src/jobs/slots.js';
import { pruneJobHistory } from '../../src/jobs/tasks.js';
import { openTestDatabaseTwice, testEngine } from '../support/database.js';

const logs: string[] = [];
const log = createLogger(
  'info',
  new Writable({
    write(chunk, _e, done) {
      logs.push(String(chunk));
      done();
    },
  }),
);

const at = (iso: string) => new Date(iso);

/** A task that counts its runs per slot and takes a little while, so concurrent ticks overlap. */
function countingTask(name: string, schedule: ScheduledTask['schedule'], runs: string[], extra: Partial<ScheduledTask> = {}): ScheduledTask {
  return {
    name,
    schedule,
    run: async ({ slot }) => {
      runs.push(slot.toISOString());
      await new Promise((r) => setTimeout(r, 20));
    },
    ...extra,
  };
}

describe(`scheduled tasks on ${testEngine()}`, () => {
  let database: Database & { url?: string };
  /** A second connection to the same database, as another desk process would have. */
  let other: Database;
  let closeBoth: () => Promise<void>;
  beforeAll(async () => {
    ({ database, other, close: closeBoth } = await openTestDatabaseTwice());
  });
  afterAll(() => closeBoth?.());
  beforeEach(async () => {
    await database.db.deleteFrom('job_runs').execute();
  });

  const schedulerOn = (db: Database, tasks: ScheduledTask[], now: Date) => createScheduler({ db: db.db, log, clock: () => now }, tasks);

  it('latest slot: epoch-aligned intervals; cron on the wall clock of its time zone, a slot due exactly now included', () => {
    expect(latestSlot({ everyMs: 3_600_000 }, at('2026-11-23T10:59:59.999Z'))).toEqual(at('2026-11-23T10:00:00Z'));
    expect(latestSlot({ everyMs: 3_600_000 }, at('2026-11-23T11:00:00Z'))).toEqual(at('2026-11-23T11:00:00Z'));
    expect(latestSlot({ cron: '0 6 * * *', timeZone: 'Europe/Berlin' }, at('2026-11-23T05:00:00Z'))).toEqual(at('2026-11-23T05:00:00Z'));
    expect(latestSlot({ cron: '0 6 * * *', timeZone: 'Europe/Berlin' }, at('2026-11-23T04:59:59Z'))).toEqual(at('2026-11-22T05:00:00Z'));
    expect(latestSlot({ cron: '0 6 * * *', timeZone: 'Europe/Berlin' }, at('2026-07-01T12:00:00Z'))).toEqual(at('2026-07-01T04:00:00Z')); // CEST
    expect(() => latestSlot({ everyMs: 10 }, at('2026-01-01T00:00:00Z'))).toThrow(/at least 1000/);
  });

  it('two schedulers (two processes) ticking at the same moment run each slot exactly once', async () => {
    const runsA: string[] = [];
    const runsB: string[] = [];
    const now = at('2026-11-23T10:15:00Z');
    const tasks = (runs: string[]) => [countingTask('hourly', { everyMs: 3_600_000 }, runs), countingTask('daily', { cron: '0 6 * * *', timeZone: 'Europe/Berlin' }, runs)];
    const a = schedulerOn(database, tasks(runsA), now);
    const b = schedulerOn(other, tasks(runsB), now);
    for (let i = 0; i < 3; i++) await Promise.all([a.tick(now), b.tick(now), a.tick(now), b.tick(now)]);
    expect([...runsA, ...runsB].sort()).toEqual(['2026-11-23T05:00:00.000Z', '2026-11-23T10:00:00.000Z']);
    const rows = await database.db.selectFrom('job_runs').selectAll().orderBy('name').execute();
    expect(rows.map((r) => [r.name, r.slot.toISOString(), r.finished_at !== null, r.error])).toEqual([
      ['daily', '2026-11-23T05:00:00.000Z', true, null],
      ['hourly', '2026-11-23T10:00:00.000Z', true, null],
    ]);
    // the next hour's slot: again exactly one of them runs it
    const later = at('2026-11-23T11:00:30Z');
    await Promise.all([a.tick(later), b.tick(later)]);
    expect([...runsA, ...runsB].filter((s) => s === '2026-11-23T11:00:00.000Z')).toHaveLength(1);
  });

  it('a desk that was down runs the missed task once at its next tick: the latest slot, not the backlog', async () => {
    const runs: string[] = [];
    let now = at('2026-11-23T10:05:00Z');
    const s = createScheduler({ db: database.db, log, clock: () => now }, [countingTask('hourly', { everyMs: 3_600_000 }, runs)]);
    await s.tick();
    now = at('2026-11-23T13:30:00Z'); // down from 10:05 to 13:30: 11:00, 12:00 and 13:00 were missed
    await s.tick();
    await s.tick();
    expect(runs).toEqual(['2026-11-23T10:00:00.000Z', '2026-11-23T13:00:00.000Z']);
    const slots = await database.db.selectFrom('job_runs').select('slot').where('name', '=', 'hourly').orderBy('slot').execute();
    expect(slots.map((r) => r.slot.toISOString())).toEqual(['2026-11-23T10:00:00.000Z', '2026-11-23T13:00:00.000Z']);
  });

  it('a failing task records its error and does not stop the other tasks; its slot is not retried', async () => {
    const runs: string[] = [];
    const now = at('2026-11-23T10:05:00Z');
    const failing: ScheduledTask = {
      name: 'broken',
      schedule: { everyMs: 3_600_000 },
      run: async () => {
        throw new Error('registry unreachable');
      },
    };
    const s = schedulerOn(database, [failing, countingTask('fine', { everyMs: 3_600_000 }, runs)], now);
    const outcomes = await s.tick();
    expect(outcomes.map((o) => [o.name, o.outcome, o.error])).toEqual([
      ['broken', 'failed', 'registry unreachable'],
      ['fine', 'ran', undefined],
    ]);
    expect(await s.tick()).toEqual([]);
    const row = await database.db.selectFrom('job_runs').selectAll().where('name', '=', 'broken').executeTakeFirstOrThrow();
    expect(row.error).toBe('registry unreachable');
    expect(row.finished_at).not.toBeNull();
    expect(logs.join('')).toContain('scheduled task failed');
  });

  it('runAtStart: a process start runs the task even when its latest slot already ran, once per start', async () => {
    const runs: string[] = [];
    const now = at('2026-11-23T10:05:00Z');
    const task = () => countingTask('daily-check', { cron: '0 6 * * *', timeZone: 'UTC' }, runs, { runAtStart: true });
    await schedulerOn(database, [task()], now).tick(); // first start: the due 06:00 slot is its start run
    expect(runs).toEqual(['2026-11-23T06:00:00.000Z']);
    const restarted = schedulerOn(database, [task()], at('2026-11-23T10:06:00Z'));
    await restarted.tick(); // restart: the 06:00 slot ran, so a start run of its own
    await restarted.tick(); // no second start run in the same process
    expect(runs).toEqual(['2026-11-23T06:00:00.000Z', '2026-11-23T10:06:00.000Z']);
  });

  it('start() ticks at once and then every tickMs; stop() waits for the running tick', async () => {
    const runs: string[] = [];
    let now = at('2026-11-23T10:00:00Z');
    const s = createScheduler({ db: database.db, log, clock: () => now }, [countingTask('every-second', { everyMs: 1000 }, runs)], { tickMs: 50 });
    s.start();
    await s.idle();
    expect(runs).toEqual(['2026-11-23T10:00:00.000Z']);
    now = at('2026-11-23T10:00:01Z');
    await expect.poll(() => runs.length, { timeout: 2000 }).toBe(2);
    await s.stop();
    now = at('2026-11-23T10:00:02Z');
    await new Promise((r) => setTimeout(r, 150));
    expect(runs).toEqual(['2026-11-23T10:00:00.000Z', '2026-11-23T10:00:01.000Z']);
  });

  it('refuses two tasks of the same name and a bad cron expression at creation', () => {
    const t = countingTask('x', { everyMs: 1000 }, []);
    expect(() => createScheduler({ db: database.db, log, clock: () => new Date() }, [t, t])).toThrow(/two scheduled tasks are named x/);
    expect(() => createScheduler({ db: database.db, log, clock: () => new Date() }, [countingTask('y', { cron: 'nope', timeZone: 'UTC' }, [])])).toThrow();
  });

  it('pruning keeps 90 days of finished runs and 30 days of finished jobs; unfinished ones stay', async () => {
    const db = database.db;
    await db.deleteFrom('jobs').execute();
    const now = at('2026-11-23T04:30:00Z');
    const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
    await db
      .insertInto('job_runs')
      .values([
        { name: 't', slot: ago(91), started_at: ago(91), finished_at: ago(91) },
        { name: 't', slot: ago(89), started_at: ago(89), finished_at: ago(89) },
        { name: 'u', slot: ago(200), started_at: ago(200), finished_at: null }, // a run that died: kept for inspection
      ])
      .execute();
    await db
      .insertInto('jobs')
      .values([
        { queue: 'q', payload: { n: 1 }, run_at: ago(40), done_at: ago(31) },
        { queue: 'q', payload: { n: 2 }, run_at: ago(40), done_at: ago(29) },
        { queue: 'q', payload: { n: 3 }, run_at: ago(40), done_at: null },
      ])
      .execute();
    expect(await pruneJobHistory({ db }, now)).toEqual({ runs: 1, jobs: 1 });
    expect((await db.selectFrom('job_runs').select('slot').orderBy('slot').execute()).map((r) => r.slot)).toEqual([ago(200), ago(89)]);
    expect((await db.selectFrom('jobs').select('payload').orderBy('id').execute()).map((r) => r.payload)).toEqual([{ n: 2 }, { n: 3 }]);
  });
});
