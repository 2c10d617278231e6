import { mailTasks } from './mail-tasks.js';
import { announcementTasks } from './announcement-tasks.js';
import { announcePublished } from '../app/announcements/announce-published.js';
import { renewExpiringSecurityTxt } from '../app/renew-expiring-security-txt.js';
import { remindBeforeWindow } from '../app/releases/remind-before-window.js';
import { runRebuild } from '../app/rebuilds/run-rebuild.js';
import { syncImagesOnSchedule } from '../app/images/sync-images.js';
import { publishDueAdvisories } from '../app/advisories/publish-due-advisories.js';
import { warnExpiringEmbargoes } from '../app/advisories/warn-embargo.js';
import type { Context } from '../context.js';
import { forgeTasks } from './forge-tasks.js';
import { imapTasks } from './imap-tasks.js';
import type { ScheduledTask } from './scheduler.js';

const DAY_MS = 86_400_000;
/** How long finished runs and finished queued jobs stay in the database for inspection. */
export const KEEP_JOB_RUNS_DAYS = 90;
export const KEEP_DONE_JOBS_DAYS = 30;

/** The desk's own scheduled tasks. Later work (SLA reminders, rebuild checks) adds its tasks here. */
export function deskTasks(ctx: Context): ScheduledTask[] {
  const timeZone = ctx.policy.calendar.timeZone;
  return [
    {
      // Daily, in the morning of the team's time zone, and at every start: a desk that was down
      // for weeks must not wait for the next morning to notice an expiring file.
      name: 'security-txt-expiry',
      schedule: { cron: '0 6 * * *', timeZone },
      runAtStart: true,
      run: async ({ now }) => {
        await renewExpiringSecurityTxt({ ...ctx, clock: () => now });
      },
    },
    {
      // Hourly and at start: the reminder is due from releases.remindBeforeWindow before a security
      // window; a row per window (not the slot) makes it go out once.
      name: 'release-window-reminder',
      schedule: { cron: '10 * * * *', timeZone },
      runAtStart: true,
      run: async ({ now }) => {
        await remindBeforeWindow({ ...ctx, clock: () => now });
      },
    },
    {
      // Every minute and at start: scheduled advisories whose time has come are published. Each is
      // claimed by a conditional UPDATE, so with several desk processes it is published once.
      name: 'advisory-publish',
      schedule: { cron: '* * * * *', timeZone: 'UTC' },
      runAtStart: true,
      run: async ({ now }) => {
        const run = await publishDueAdvisories({ ...ctx, clock: () => now });
        // announced at once rather than at the announcement task's next minute
        if (run.published.length) await announcePublished({ ...ctx, clock: () => now });
      },
    },
    {
      // Hourly and at start: an admin notice for each unpublished advisory near (or past) the
      // policy's maximum embargo; one notice per advisory, refreshed.
      name: 'advisory-embargo-warning',
      schedule: { cron: '40 * * * *', timeZone },
      runAtStart: true,
      run: async ({ now }) => {
        await warnExpiringEmbargoes({ ...ctx, clock: () => now });
      },
    },
    {
      // Keeps job_runs and jobs from growing without bound; failed jobs that gave up are kept as long.
      name: 'prune-job-history',
      schedule: { cron: '30 4 * * *', timeZone },
      run: async ({ now }) => {
        await pruneJobHistory(ctx, now);
      },
    },
    // Outgoing mail: notifications, deadline reminders, the daily digest (src/jobs/mail-tasks.ts).
    ...mailTasks(ctx),
    // Announcements of published advisories: subscribers' mail and signed webhooks (src/jobs/announcement-tasks.ts).
    ...announcementTasks(ctx),
    // The policy's rebuild schedule (Mautic: Monday 00:00 UTC): drift of every supported tag, then the
    // project's CI. Not runAtStart: a slot missed while the desk was down runs at its first tick
    // anyway (the scheduler runs an unclaimed latest slot), while a start run would trigger the CI
    // again on every restart.
    ...(ctx.policy.releases.rebuild
      ? [
          {
            name: 'image-rebuild',
            schedule: { cron: ctx.policy.releases.rebuild.cron, timeZone: ctx.policy.releases.rebuild.timeZone },
            run: async ({ slot }: { slot: Date }) => {
              const r = await runRebuild(ctx, { slot, source: 'schedule' });
              // an admin's run was in progress: it did this slot's work moments ago; say so in job_runs
              if (r.kind === 'busy') throw new Error(`skipped: another rebuild run (started ${r.since.toISOString()}) was in progress`);
            },
          },
        ]
      : []),
    // The registry inventory of the policy's images (CVDESK_IMAGE_SYNC_CRON, UTC; hourly at :20 by
    // default), and at start so that tag status and drift never read a long-stale inventory. Only
    // new digests are fetched, so a run is cheap; a repository that failed is named in job_runs.
    ...(ctx.config.registry.syncCron && ctx.policy.project.images.length
      ? [
          {
            name: 'image-sync',
            schedule: { cron: ctx.config.registry.syncCron, timeZone: 'UTC' },
            runAtStart: true,
            run: async () => {
              await syncImagesOnSchedule(ctx);
            },
          },
        ]
      : []),
    // GitHub private vulnerability reports and GitLab confidential issues (issue #6), when the policy names them.
    ...forgeTasks(ctx),
    // Mail from an IMAP folder elsewhere (CVDESK_IMAP_URL), when one is configured.
    ...imapTasks(ctx),
  ];
}

export async function pruneJobHistory(ctx: Pick<Context, 'db'>, now: Date): Promise<{ runs: number; jobs: number }> {
  const runs = await ctx.db
    .deleteFrom('job_runs')
    .where('finished_at', '<', new Date(now.getTime() - KEEP_JOB_RUNS_DAYS * DAY_MS))
    .executeTakeFirst();
  const jobs = await ctx.db
    .deleteFrom('jobs')
    .where('done_at', '<', new Date(now.getTime() - KEEP_DONE_JOBS_DAYS * DAY_MS))
    .executeTakeFirst();
  return { runs: Number(runs.numDeletedRows), jobs: Number(jobs.numDeletedRows) };
}
