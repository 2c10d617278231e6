import { pollImap } from '../app/mail/poll-imap.js';
import type { Context } from '../context.js';
import type { ScheduledTask } from './scheduler.js';

/**
 * The IMAP intake's schedule (CVDESK_IMAP_POLL_CRON, every minute by default, and at start), when
 * CVDESK_IMAP_URL names a folder. A run whose folder could not be read, or that left a message for
 * the next run, records that in job_runs (an admin notice says it in words).
 */
export function imapTasks(ctx: Context): ScheduledTask[] {
  const c = ctx.config.imap;
  if (!c?.pollCron) return [];
  return [
    {
      name: 'imap-intake',
      schedule: { cron: c.pollCron, timeZone: 'UTC' },
      runAtStart: true,
      run: async ({ now }) => {
        const r = await pollImap({ ...ctx, clock: () => now });
        const trouble = [r?.error, ...(r?.problems ?? [])].filter(Boolean);
        if (trouble.length > 0) throw new Error(trouble.join('\n'));
      },
    },
  ];
}
