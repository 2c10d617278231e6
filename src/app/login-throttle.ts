import { sql } from 'kysely';
import type { Db } from '../adapters/db/open-database.js';

/**
 * Failed sign-ins are counted per e-mail (guessing one account's password) and per IP (trying many
 * accounts). Over the limit, attempts are refused without checking the password until the oldest
 * failures leave the window. Refused attempts are not counted, so waiting always helps.
 */
export const THROTTLE = { windowMs: 15 * 60_000, perEmail: 5, perIp: 20 } as const;

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;

export async function isThrottled(db: Db, who: { email: string; ip: string }, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - THROTTLE.windowMs);
  const rows = await db
    .selectFrom('login_attempts')
    .select(['key', sql<number>`count(*)::int`.as('n')])
    .where('key', 'in', [emailKey(who.email), ipKey(who.ip)])
    .where('at', '>', since)
    .groupBy('key')
    .execute();
  const count = (key: string) => rows.find((r) => r.key === key)?.n ?? 0;
  return count(emailKey(who.email)) >= THROTTLE.perEmail || count(ipKey(who.ip)) >= THROTTLE.perIp;
}

export async function recordFailure(trx: Db, who: { email: string; ip: string }, now: Date): Promise<void> {
  await trx.deleteFrom('login_attempts').where('at', '<=', new Date(now.getTime() - THROTTLE.windowMs)).execute();
  await trx
    .insertInto('login_attempts')
    .values([
      { key: emailKey(who.email), at: now },
      { key: ipKey(who.ip), at: now },
    ])
    .execute();
}

/** A successful sign-in forgives the account's earlier typos (the IP's count stays). */
export const clearFailures = (trx: Db, email: string) => trx.deleteFrom('login_attempts').where('key', '=', emailKey(email)).execute();
