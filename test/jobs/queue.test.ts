import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database } from '../../src/adapters/db/open-database.js';
import { createLogger } from '../../src/context.js';
import { backoffMs, claimJobs, enqueueJob, type RetryRule } from '../../src/jobs/queue.js';
import { createQueueRunner, defineQueue, workQueueOnce } from '../../src/jobs/worker.js';
import { openTestDatabaseTwice, testEngine } from '../support/database.js';

const log = createLogger('silent');
const T0 = new Date('2026-11-23T10:00:00Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);
const RULE: RetryRule = { maxAttempts: 4, baseDelayMs: 60_000, maxDelayMs: 3_600_000 };

describe(`job queue on ${testEngine()}`, () => {
  let database: Database & { url?: string };
  /** A second connection to the same database, as another desk process would have. */
  let other: Database;
  let closeBoth: () => Promise<void>;
  beforeAll(async () => {
    ({ database, other, close: closeBoth } = await openTestDatabaseTwice());
  });
  afterAll(() => closeBoth?.());
  beforeEach(async () => {
    await database.db.deleteFrom('jobs').execute();
  });

  const job = (id: number) => database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('backoff doubles per attempt up to its cap', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(RULE, n))).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000]);
  });

  it('a failing job is retried after an exponential backoff, then succeeds; not before it is due', async () => {
    const seen: number[] = [];
    let failuresLeft = 2;
    const mail = defineQueue({
      queue: 'mail',
      payload: z.object({ to: z.string() }),
      retry: RULE,
      handle: async (p, j) => {
        expect(p.to).toBe('a@example.org');
        seen.push(j.attempts);
        if (failuresLeft-- > 0) throw new Error(`smtp 451 (try ${j.attempts})`);
      },
    });
    let now = T0;
    const deps = { db: database.db, log, clock: () => now };
    const { id } = await enqueueJob(database.db, { queue: 'mail', payload: { to: 'a@example.org' } }, T0);

    expect(await workQueueOnce(deps, mail)).toEqual([{ id, outcome: 'retry', error: 'smtp 451 (try 1)' }]);
    let row = await job(id);
    expect(row.run_at).toEqual(plus(60_000));
    expect(row.locked_until).toBeNull();
    expect(row.last_error).toBe('smtp 451 (try 1)');

    now = plus(59_000);
    expect(await workQueueOnce(deps, mail)).toEqual([]); // not due yet
    now = plus(60_000);
    expect(await workQueueOnce(deps, mail)).toEqual([{ id, outcome: 'retry', error: 'smtp 451 (try 2)' }]);
    expect((await job(id)).run_at).toEqual(plus(60_000 + 120_000));
    now = plus(180_000);
    expect(await workQueueOnce(deps, mail)).toEqual([{ id, outcome: 'done' }]);
    row = await job(id);
    expect(seen).toEqual([1, 2, 3]);
    expect(row).toMatchObject({ attempts: 3, done_at: plus(180_000), last_error: null, locked_until: null });
    expect(await workQueueOnce(deps, mail)).toEqual([]);
  });

  it('gives up after maxAttempts and keeps the last error; an invalid payload gives up at once', async () => {
    let now = T0;
    const deps = { db: database.db, log, clock: () => now };
    const always = defineQueue({ queue: 'hook', payload: z.object({ url: z.url() }), retry: { ...RULE, maxAttempts: 2 }, handle: async () => Promise.reject(new Error('HTTP 500')) });
    const good = await enqueueJob(database.db, { queue: 'hook', payload: { url: 'https://ci.example.org/hook' } }, T0);
    expect((await workQueueOnce(deps, always))[0]?.outcome).toBe('retry');
    now = plus(60_000);
    expect((await workQueueOnce(deps, always))[0]?.outcome).toBe('gave_up');
    expect(await job(good.id)).toMatchObject({ attempts: 2, done_at: plus(60_000), last_error: 'HTTP 500' });

    const bad = await enqueueJob(database.db, { queue: 'hook', payload: { url: 'not a url' } }, now);
    const [o] = await workQueueOnce(deps, always);
    expect(o).toMatchObject({ id: bad.id, outcome: 'gave_up' });
    expect((await job(bad.id)).last_error).toMatch(/^invalid payload: url: /);
    expect((await job(bad.id)).attempts).toBe(1);
  });

  it('dedupe: enqueuing the same key again returns the first job, even after it is done', async () => {
    const a = await enqueueJob(database.db, { queue: 'mail', payload: { n: 1 }, dedupeKey: 'ack:report-1' }, T0);
    const b = await enqueueJob(database.db, { queue: 'mail', payload: { n: 2 }, dedupeKey: 'ack:report-1' }, T0);
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    const deps = { db: database.db, log, clock: () => T0 };
    await workQueueOnce(deps, defineQueue({ queue: 'mail', payload: z.object({ n: z.number() }), handle: async () => {} }));
    expect(await enqueueJob(database.db, { queue: 'mail', payload: { n: 3 }, dedupeKey: 'ack:report-1' }, T0)).toEqual({ id: a.id, created: false });
    const rows = await database.db.selectFrom('jobs').select(['payload']).execute();
    expect(rows).toEqual([{ payload: { n: 1 } }]);
    // without a key, every enqueue is a job of its own
    await enqueueJob(database.db, { queue: 'mail', payload: {} }, T0);
    await enqueueJob(database.db, { queue: 'mail', payload: {} }, T0);
    expect(await database.db.selectFrom('jobs').select('id').execute()).toHaveLength(3);
  });

  it('run_at in the future waits; another queue is not touched; a claimed job is leased until its lease ends', async () => {
    const later = await enqueueJob(database.db, { queue: 'mail', payload: {}, runAt: plus(3_600_000) }, T0);
    await enqueueJob(database.db, { queue: 'other', payload: {} }, T0);
    expect(await claimJobs(database.db, { queue: 'mail', limit: 10, leaseMs: 60_000 }, T0)).toEqual([]);
    const [claimed] = await claimJobs(database.db, { queue: 'mail', limit: 10, leaseMs: 60_000 }, plus(3_600_000));
    expect(claimed).toMatchObject({ id: later.id, attempts: 1 });
    expect(await claimJobs(database.db, { queue: 'mail', limit: 10, leaseMs: 60_000 }, plus(3_600_000 + 59_000))).toEqual([]);
    // the worker died: after the lease another worker takes the job, counting the attempt
    expect(await claimJobs(database.db, { queue: 'mail', limit: 10, leaseMs: 60_000 }, plus(3_600_000 + 60_000))).toMatchObject([{ id: later.id, attempts: 2 }]);
  });

  it('concurrent claims from two processes give each job to exactly one worker', async () => {
    for (let i = 0; i < 60; i++) await enqueueJob(database.db, { queue: 'mail', payload: { i } }, T0);
    const claimers = Array.from({ length: 12 }, (_, i) => claimJobs((i % 2 ? other : database).db, { queue: 'mail', limit: 7, leaseMs: 60_000 }, T0));
    const claimed = (await Promise.all(claimers)).flat();
    const ids = claimed.map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    // every job went to someone (12 × 7 ≥ 60) and each was claimed once
    expect(ids.length).toBe(60);
    const attempts = await database.db.selectFrom('jobs').select('attempts').execute();
    expect(attempts.every((r) => r.attempts === 1)).toBe(true);
  });

  it('two running queue workers process every job exactly once', async () => {
    const handled: number[] = [];
    const q = defineQueue({
      queue: 'work',
      payload: z.object({ i: z.number() }),
      handle: async (p) => {
        handled.push(p.i);
        await new Promise((r) => setTimeout(r, 2));
      },
    });
    for (let i = 0; i < 40; i++) await enqueueJob(database.db, { queue: 'work', payload: { i } }, T0);
    const a = createQueueRunner({ db: database.db, log, clock: () => T0 }, [q], { pollMs: 20, batch: 5 });
    const b = createQueueRunner({ db: other.db, log, clock: () => T0 }, [q], { pollMs: 20, batch: 5 });
    a.start();
    b.start();
    await expect.poll(() => handled.length, { timeout: 10_000 }).toBe(40);
    await Promise.all([a.stop(), b.stop()]);
    expect([...handled].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const open = await database.db.selectFrom('jobs').select('id').where('done_at', 'is', null).execute();
    expect(open).toEqual([]);
  });
});
