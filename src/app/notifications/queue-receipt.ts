import type { Db } from '../../adapters/db/open-database.js';
import { enqueueMail, type OutboxDeps } from './outbox.js';

/**
 * The acknowledgement of a new report, written in the report's own transaction: only there is the
 * reporter's tracking link still known (the desk keeps only its hash), so this is the one chance to
 * put it in a mail. The link is sealed in the outbox row and erased once the mail is sent. No
 * address, no mail: the reporter then has only the link the form or the API showed them.
 */
export async function queueReceipt(
  trx: Db,
  deps: OutboxDeps,
  report: { id: string; reporterEmail: string | null; language: string; token: string },
  now: Date,
): Promise<boolean> {
  if (!report.reporterEmail) return false;
  const link = new URL(`r/${report.token}`, deps.config.baseUrl).toString();
  const created = await enqueueMail(
    trx,
    deps,
    [{ dedupeKey: `ack:${report.id}`, kind: 'ack', audience: 'reporter', reportId: report.id, userId: null, recipient: report.reporterEmail, language: report.language, payload: {}, secret: link }],
    now,
  );
  return created > 0;
}
