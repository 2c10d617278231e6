import type { Context } from '../context.js';
import { newToken } from './tokens.js';

export const SETUP_LINK_HOURS = 24;

/**
 * While the desk has no account, each start makes a one-time link that creates the first admin
 * (and voids the links of earlier starts). Returns null once any account exists.
 */
export async function firstAdminLink(ctx: Pick<Context, 'db' | 'clock' | 'config'>): Promise<string | null> {
  return ctx.db.transaction().execute(async (trx) => {
    const anyUser = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (anyUser) return null;
    const now = ctx.clock();
    await trx.deleteFrom('invitations').where('role', '=', 'admin').where('invited_by', 'is', null).where('accepted_at', 'is', null).execute();
    const { token, hash } = newToken();
    await trx
      .insertInto('invitations')
      .values({ token_hash: hash, email: null, role: 'admin', report_id: null, invited_by: null, created_at: now, expires_at: new Date(now.getTime() + SETUP_LINK_HOURS * 3600_000) })
      .execute();
    return new URL(`team/setup/${token}`, ctx.config.baseUrl).toString();
  });
}
