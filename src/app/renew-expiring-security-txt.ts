import type { Context } from '../context.js';
import { addDuration } from '../domain/calendar/index.js';
import { calendarOf } from '../domain/reports/sla-plan.js';
import { addAdminNotice } from './admin-notices.js';
import { appendAudit } from './audit.js';
import { renewSecurityTxt, servedSecurityTxt, type ServedSecurityTxt } from './served-security-txt.js';

/** The settings row served-security-txt.ts stores the file in. */
const SECURITY_TXT_KEY = 'security_txt';

export type RenewExpiringResult =
  | { kind: 'fresh'; expires: string }
  | { kind: 'renewed'; previousExpires: string; expires: string; signed: boolean; wasExpired: boolean };

type Deps = Pick<Context, 'db' | 'policy' | 'config' | 'signingKey' | 'clock' | 'log'>;

export const SECURITY_TXT_NOTICE_KEY = 'security_txt.expiry';

/**
 * The daily look at the served security.txt (the reference policy's own file once expired
 * unnoticed). Within the policy's securityTxt.renewBefore of its Expires, or past it, the file is
 * rendered anew with a fresh Expires (and re-signed when a key is configured), the renewal is
 * audited, and the admins get a notice. The stored row is locked while this happens, so two desk
 * processes running the check at once renew it once.
 */
export async function renewExpiringSecurityTxt(deps: Deps): Promise<RenewExpiringResult> {
  const now = deps.clock();
  let result: RenewExpiringResult;
  try {
    result = await deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('settings').select('value').where('key', '=', SECURITY_TXT_KEY).forUpdate().executeTakeFirst();
      // A desk that never served the file: render it now; a first render is not a renewal.
      if (!row) return { kind: 'fresh' as const, expires: (await servedSecurityTxt({ ...deps, db: trx, clock: () => now })).expires };
      const stored = row.value as ServedSecurityTxt;
      const expires = new Date(stored.expires);
      const warnFrom = addDuration(now, deps.policy.securityTxt.renewBefore, calendarOf(deps.policy));
      if (expires > warnFrom) return { kind: 'fresh' as const, expires: stored.expires };

      const renewed = await renewSecurityTxt({ ...deps, db: trx, clock: () => now });
      const wasExpired = expires <= now;
      const r = { kind: 'renewed' as const, previousExpires: stored.expires, expires: renewed.expires, signed: renewed.signed, wasExpired };
      await appendAudit(trx, { actorKind: 'system', action: 'security_txt.renewed', detail: { previousExpires: r.previousExpires, expires: r.expires, signed: r.signed, wasExpired } }, now);
      await addAdminNotice(trx, { key: SECURITY_TXT_NOTICE_KEY, level: wasExpired ? 'bad' : 'warn', message: noticeText(r, now) }, now);
      return r;
    });
  } catch (e) {
    // The file could not be renewed (e.g. the signing key does not open): the admins must hear of it.
    const message = `The served security.txt could not be renewed: ${e instanceof Error ? e.message : String(e)}. It keeps its current Expires; fix the cause before it passes.`;
    await addAdminNotice(deps.db, { key: SECURITY_TXT_NOTICE_KEY, level: 'bad', message }, now).catch(() => {});
    throw e;
  }
  if (result.kind === 'renewed') {
    deps.log.warn({ previousExpires: result.previousExpires, expires: result.expires, signed: result.signed, wasExpired: result.wasExpired }, 'security.txt was about to expire and has been renewed');
  }
  return result;
}

function noticeText(r: Extract<RenewExpiringResult, { kind: 'renewed' }>, now: Date): string {
  const was = r.wasExpired ? `had expired on ${day(r.previousExpires)}` : `was due to expire on ${day(r.previousExpires)}`;
  const how = r.signed ? 'rendered and signed again' : 'rendered again, unsigned (set CVDESK_SIGNING_KEY_FILE to have it signed)';
  return `The served security.txt ${was}; on ${day(now.toISOString())} it was ${how} with Expires ${day(r.expires)}. Copies of the file published elsewhere need the same update.`;
}

const day = (iso: string) => iso.slice(0, 10);
