import type { Logger } from 'pino';
import type { Db } from '../adapters/db/open-database.js';
import { latestSlot, type TaskSchedule } from './slots.js';

export type { TaskSchedule } from './slots.js';

export interface ScheduledTask {
  /** Unique and stable: it is the key of the task's runs in job_runs. */
  name: string;
  schedule: TaskSchedule;
  /** Also run when this process starts, even if the latest slot already ran (once per start). */
  runAtStart?: boolean;
  run(input: { now: Date; slot: Date }): Promise<void>;
}

export interface TickOutcome {
  name: string;
  slot: Date;
  outcome: 'ran' | 'failed';
  error?: string;
}

export interface Scheduler {
  /** One pass: claims and runs every task whose latest slot nobody has claimed yet. */
  tick(now?: Date): Promise<TickOutcome[]>;
  /** Runs the first tick (with the start runs) at once, then one every `tickMs`. */
  start(): void;
  /** No new ticks; resolves when the tick in progress has finished. */
  stop(): Promise<void>;
  /** Resolves when the tick in progress (if any) has finished. */
  idle(): Promise<void>;
}

export interface SchedulerDeps {
  db: Db;
  log: Logger;
  clock: () => Date;
}

/**
 * Scheduled tasks that several desk processes on one database run once per slot: each process
 * computes a task's latest due slot and claims it by inserting (name, slot) into job_runs; the
 * primary key lets exactly one insert through, and only that process runs the task. A process that
 * dies mid-run leaves its claim unfinished (finished_at null): the slot is not run again, so a task
 * runs at most once per slot and must tolerate a missed slot (the next one catches up).
 */
export function createScheduler(deps: SchedulerDeps, tasks: readonly ScheduledTask[], options: { tickMs?: number } = {}): Scheduler {
  const names = new Set<string>();
  for (const t of tasks) {
    if (names.has(t.name)) throw new Error(`two scheduled tasks are named ${t.name}`);
    names.add(t.name);
    latestSlot(t.schedule, new Date(0)); // a bad schedule fails here, at start, not on every tick
  }
  const tickMs = options.tickMs ?? 30_000;
  let started = false;
  let startRunsPending = true;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> = Promise.resolve();
  let busy = false;

  async function claim(name: string, slot: Date, now: Date): Promise<boolean> {
    const won = await deps.db
      .insertInto('job_runs')
      .values({ name, slot, started_at: now })
      .onConflict((oc) => oc.columns(['name', 'slot']).doNothing())
      .returning('name')
      .executeTakeFirst();
    return won !== undefined;
  }

  async function runClaimed(task: ScheduledTask, slot: Date, now: Date): Promise<TickOutcome> {
    let error: string | null = null;
    try {
      await task.run({ now, slot });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      deps.log.error({ task: task.name, slot: slot.toISOString(), err: e }, 'scheduled task failed');
    }
    await deps.db.updateTable('job_runs').set({ finished_at: deps.clock(), error }).where('name', '=', task.name).where('slot', '=', slot).execute();
    return error === null ? { name: task.name, slot, outcome: 'ran' } : { name: task.name, slot, outcome: 'failed', error };
  }

  async function tick(now = deps.clock()): Promise<TickOutcome[]> {
    const firstOfProcess = startRunsPending;
    startRunsPending = false;
    const outcomes: TickOutcome[] = [];
    for (const task of tasks) {
      try {
        const slot = latestSlot(task.schedule, now);
        if (slot && (await claim(task.name, slot, now))) {
          outcomes.push(await runClaimed(task, slot, now));
        } else if (firstOfProcess && task.runAtStart && (await claim(task.name, now, now))) {
          // The latest slot ran already (another process, or before a restart): a start run of its own.
          outcomes.push(await runClaimed(task, now, now));
        }
      } catch (e) {
        // The database is unreachable, say: log it and try again next tick.
        deps.log.error({ task: task.name, err: e }, 'could not schedule a task');
      }
    }
    return outcomes;
  }

  function guardedTick(): void {
    if (busy) return; // a long task: this tick is skipped, not stacked
    busy = true;
    current = tick()
      .catch((e: unknown) => deps.log.error({ err: e }, 'scheduler tick failed'))
      .finally(() => (busy = false));
  }

  return {
    tick,
    start() {
      if (started) return;
      started = true;
      guardedTick();
      timer = setInterval(guardedTick, tickMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await current;
    },
    idle: async () => {
      await current;
    },
  };
}
