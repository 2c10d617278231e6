import type { Context } from '../context.js';
import { createScheduler, type ScheduledTask } from './scheduler.js';
import { deskTasks } from './tasks.js';
import { createQueueRunner, type QueueHandler } from './worker.js';

export interface JobsOptions {
  /** How often the scheduler looks for due slots (default 30 s). */
  tickMs?: number;
  /** How often idle queues are polled (default 5 s). */
  pollMs?: number;
  /** Tasks in addition to the desk's own (tests; later features). */
  tasks?: ScheduledTask[];
  /** The queues this process works. */
  queues?: QueueHandler<unknown>[];
}

export interface RunningJobs {
  /** Stops ticking and polling; resolves when the work in progress has finished. */
  stop(): Promise<void>;
  /** Resolves when the scheduler's tick in progress (the start runs, at first) has finished. */
  idle(): Promise<void>;
}

/** Starts the scheduled tasks and the queue workers of one desk process (`cvdesk serve`). */
export function startJobs(ctx: Context, options: JobsOptions = {}): RunningJobs {
  const deps = { db: ctx.db, log: ctx.log, clock: ctx.clock };
  const scheduler = createScheduler(deps, [...deskTasks(ctx), ...(options.tasks ?? [])], options.tickMs === undefined ? {} : { tickMs: options.tickMs });
  const runner = createQueueRunner(deps, options.queues ?? [], options.pollMs === undefined ? {} : { pollMs: options.pollMs });
  scheduler.start();
  runner.start();
  return {
    async stop() {
      await Promise.all([scheduler.stop(), runner.stop()]);
    },
    idle: () => scheduler.idle(),
  };
}
