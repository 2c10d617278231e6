import { DateTime } from 'luxon';
import type { Context } from '../../context.js';
import { enqueueMail } from './outbox.js';
import { activeTeam } from './team-recipients.js';

type Deps = Pick<Context, 'db' | 'clock' | 'newId' | 'secretKey' | 'config' | 'policy'>;

/**
 * The daily digest: one mail per team account and day (in the policy's time zone), written when
 * the digest's cron slot comes. What it says is read when it is sent; one with nothing to say (no
 * open report, no failed mail) is cancelled rather than sent.
 */
export async function queueDigests(deps: Deps, slot: Date): Promise<{ date: string; queued: number }> {
  const now = deps.clock();
  const date = DateTime.fromJSDate(slot, { zone: deps.policy.calendar.timeZone }).toISODate() ?? slot.toISOString().slice(0, 10);
  const team = await activeTeam(deps.db);
  const queued = await enqueueMail(
    deps.db,
    deps,
    team.map((u) => ({ dedupeKey: `digest:${date}:${u.id}`, kind: 'digest', audience: 'team', reportId: null, userId: u.id, recipient: u.email, language: 'en', payload: { date, slot: slot.toISOString() } })),
    now,
  );
  return { date, queued };
}
