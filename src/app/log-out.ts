import type { Context } from '../context.js';
import { appendAudit } from './audit.js';
import { deleteSession } from './team-sessions.js';

/** Ends one session (this browser's); the member's other sessions stay. */
export async function logOut(deps: Pick<Context, 'db' | 'clock'>, input: { sessionId: string; userId: string }): Promise<void> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    await deleteSession(trx, input.sessionId);
    await appendAudit(trx, { actorKind: 'user', actorId: input.userId, action: 'session.logout' }, now);
  });
}
