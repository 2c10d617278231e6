import { notifyEvents } from '../app/notifications/notify-events.js';
import { pruneOutbox } from '../app/notifications/prune-outbox.js';
import { queueDigests } from '../app/notifications/queue-digests.js';
import { remindDeadlines } from '../app/notifications/remind-deadlines.js';
import { sendDueMail } from '../app/notifications/send-due-mail.js';
import type { Context } from '../context.js';
import type { ScheduledTask } from './scheduler.js';

/**
 * Outgoing mail (issue #6). Each task runs in one process per slot; each mail still goes out once
 * when slots overlap, because outbox rows are written once per occasion and claimed with SKIP LOCKED.
 */
export function mailTasks(ctx: Context): ScheduledTask[] {
  const digest = ctx.policy.notifications.digest;
  return [
    {
      // Every minute and at start: what happened on reports becomes outbox rows, then due rows go out
      // (or, without CVDESK_MAIL_URL, wait and say why).
      name: 'mail-outbox',
      schedule: { everyMs: 60_000 },
      runAtStart: true,
      run: async ({ now }) => {
        await notifyEvents({ ...ctx, clock: () => now });
        await sendDueMail(ctx);
      },
    },
    {
      // Every quarter hour and at start: "due soon" and "overdue" for each open report's SLA clocks.
      name: 'mail-deadlines',
      schedule: { everyMs: 15 * 60_000 },
      runAtStart: true,
      run: async ({ now }) => {
        await remindDeadlines({ ...ctx, clock: () => now });
      },
    },
    {
      // Daily: sent and cancelled mail older than 90 days leaves the outbox (failed mail stays).
      name: 'mail-prune',
      schedule: { cron: '40 4 * * *', timeZone: ctx.policy.calendar.timeZone },
      run: async ({ now }) => {
        await pruneOutbox({ ...ctx, clock: () => now });
      },
    },
    // The team's daily digest at the policy's notifications.digest (policy time zone), unless "off".
    ...(digest
      ? [
          {
            name: 'mail-digest',
            schedule: { cron: digest, timeZone: ctx.policy.calendar.timeZone },
            run: async ({ slot }: { slot: Date }) => {
              await queueDigests(ctx, slot);
            },
          },
        ]
      : []),
  ];
}
