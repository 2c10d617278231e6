import { announcePublished } from '../app/announcements/announce-published.js';
import { expireSubscriptions } from '../app/announcements/confirm-subscription.js';
import { deliverWebhooks } from '../app/announcements/deliver-webhooks.js';
import type { Context } from '../context.js';
import type { ScheduledTask } from './scheduler.js';

/**
 * Announcements of published advisories (issue #5). Each publication is announced once however
 * many processes run this (the announcements row's key); the mail goes out with the outbox
 * (mail-outbox task), the webhook deliveries here, each claimed with SKIP LOCKED.
 */
export function announcementTasks(ctx: Context): ScheduledTask[] {
  return [
    {
      // Every minute and at start: newly published advisories become outbox rows and deliveries,
      // due deliveries are sent, and confirmation links that expired unconfirmed are deleted.
      name: 'announcements',
      schedule: { everyMs: 60_000 },
      runAtStart: true,
      run: async ({ now }) => {
        const deps = { ...ctx, clock: () => now };
        await announcePublished(deps);
        await expireSubscriptions(deps);
        await deliverWebhooks(ctx);
      },
    },
  ];
}
