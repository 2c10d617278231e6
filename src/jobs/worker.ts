import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Db } from '../adapters/db/open-database.js';
import { claimJobs, completeJob, DEFAULT_RETRY, failJob, type QueuedJob, type RetryRule } from './queue.js';

/** A kind of queued work: the payload is checked with its schema before the handler sees it. */
export interface QueueHandler<P = unknown> {
  queue: string;
  payload: z.ZodType<P>;
  handle(payload: P, job: QueuedJob): Promise<void>;
  retry?: RetryRule;
  /** How long a claimed job is held; the handler must finish within it (default 5 minutes). */
  leaseMs?: number;
}

/** Typed helper: `defineQueue({ queue: 'mail', payload: z.object(...), handle })`. */
export const defineQueue = <P>(h: QueueHandler<P>): QueueHandler<P> => h;

export interface WorkerDeps {
  db: Db;
  log: Logger;
  clock: () => Date;
}

export interface DrainOutcome {
  id: number;
  outcome: 'done' | 'retry' | 'gave_up';
  error?: string;
}

/**
 * Claims one batch of due jobs of a queue and works them one after another. Returns what happened
 * to each, so tests and callers can see it; errors of handlers never escape (they are the job's).
 */
export async function workQueueOnce<P>(deps: WorkerDeps, handler: QueueHandler<P>, options: { batch?: number; now?: Date } = {}): Promise<DrainOutcome[]> {
  const rule = handler.retry ?? DEFAULT_RETRY;
  const jobs = await claimJobs(deps.db, { queue: handler.queue, limit: options.batch ?? 10, leaseMs: handler.leaseMs ?? 300_000 }, options.now ?? deps.clock());
  const outcomes: DrainOutcome[] = [];
  for (const job of jobs) {
    const parsed = handler.payload.safeParse(job.payload);
    if (!parsed.success) {
      const error = `invalid payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
      await failJob(deps.db, job, error, deps.clock(), rule, { permanent: true });
      deps.log.error({ queue: handler.queue, job: job.id, error }, 'queued job has an invalid payload; it will not be retried');
      outcomes.push({ id: job.id, outcome: 'gave_up', error });
      continue;
    }
    try {
      await handler.handle(parsed.data, job);
      await completeJob(deps.db, job.id, deps.clock());
      outcomes.push({ id: job.id, outcome: 'done' });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const { retryAt } = await failJob(deps.db, job, error, deps.clock(), rule);
      const level = retryAt ? 'warn' : 'error';
      deps.log[level]({ queue: handler.queue, job: job.id, attempts: job.attempts, retryAt: retryAt?.toISOString(), error }, retryAt ? 'queued job failed; will retry' : 'queued job failed for the last time');
      outcomes.push({ id: job.id, outcome: retryAt ? 'retry' : 'gave_up', error });
    }
  }
  return outcomes;
}

/** Polls each queue every `pollMs` until stopped; a poll that finds a full batch polls again at once. */
export function createQueueRunner(deps: WorkerDeps, handlers: readonly QueueHandler<unknown>[], options: { pollMs?: number; batch?: number } = {}) {
  const pollMs = options.pollMs ?? 5_000;
  const batch = options.batch ?? 10;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();

  async function pass(): Promise<void> {
    for (const h of handlers) {
      try {
        while (!stopped && (await workQueueOnce(deps, h, { batch })).length === batch);
      } catch (e) {
        deps.log.error({ queue: h.queue, err: e }, 'could not work the queue');
      }
    }
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      current = pass().finally(() => schedule(pollMs));
    }, delay);
    timer.unref();
  }

  return {
    start: () => schedule(0),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
