import { z } from 'zod';
import { backfillGitLabIssues } from '../app/forges/backfill-gitlab.js';
import { forgeSources } from '../app/forges/forge-sources.js';
import { MIRROR_QUEUE, MIRROR_RETRY, postMirroredComment } from '../app/forges/mirror-comment.js';
import { pollGitHubAdvisories } from '../app/forges/poll-github.js';
import { pollFailure } from '../app/forges/source-status.js';
import type { Context } from '../context.js';
import type { ScheduledTask } from './scheduler.js';
import { defineQueue, type QueueHandler } from './worker.js';

/**
 * The forge channels' scheduled work: GitHub's triage advisories and GitLab's confidential issues
 * (the webhook's back-fill) on CVDESK_FORGE_POLL_CRON, and at every start. Only the sources the
 * policy names; none when it names none. A run whose source failed records the failure in
 * job_runs (and the source's row and an admin notice say it in words).
 */
export function forgeTasks(ctx: Context): ScheduledTask[] {
  const cron = ctx.config.forges.pollCron;
  if (!cron) return [];
  const sources = forgeSources(ctx.policy, ctx.config.forges);
  const tasks: ScheduledTask[] = [];
  if (sources.github.length > 0) {
    tasks.push({
      name: 'github-advisories-poll',
      schedule: { cron, timeZone: 'UTC' },
      runAtStart: true,
      run: async ({ now }) => {
        const failure = pollFailure(await pollGitHubAdvisories({ ...ctx, clock: () => now }));
        if (failure) throw new Error(failure);
      },
    });
  }
  if (sources.gitlab.length > 0) {
    tasks.push({
      name: 'gitlab-issues-backfill',
      schedule: { cron, timeZone: 'UTC' },
      runAtStart: true,
      run: async ({ now }) => {
        const failure = pollFailure(await backfillGitLabIssues({ ...ctx, clock: () => now }));
        if (failure) throw new Error(failure);
      },
    });
  }
  return tasks;
}

/** The queue that posts team messages to GitLab as comments. */
export function forgeQueues(ctx: Context): QueueHandler<unknown>[] {
  const mirror = defineQueue({
    queue: MIRROR_QUEUE,
    payload: z.object({ messageId: z.uuid() }),
    retry: MIRROR_RETRY,
    leaseMs: 120_000,
    handle: async (payload, job) => {
      await postMirroredComment(ctx, payload.messageId, job);
    },
  });
  return [mirror as QueueHandler<unknown>];
}
