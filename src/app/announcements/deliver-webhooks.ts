import type { Selectable } from 'kysely';
import { jsonBody, REDACTED, sendTrigger, type PreparedRequest } from '../../adapters/ci/common.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from '../../adapters/ci/webhook.js';
import type { WebhookDeliveriesTable } from '../../adapters/db/tables.js';
import type { Context } from '../../context.js';
import { PUBLISHED_EVENT, webhookBody } from '../../formats/announcement.js';
import { addAdminNotice } from '../admin-notices.js';
import { mailBackoffMs } from '../notifications/send-due-mail.js';
import { publishedAnnouncement } from './announcement-content.js';
import { openWebhookSecret } from './webhooks.js';
import { claimDue } from '../claim-due.js';

/**
 * Sends the pending webhook deliveries: claimed like outbox mail (FOR UPDATE SKIP LOCKED and a
 * lease, so two desk processes never send one delivery at once), each a JSON POST signed with the
 * webhook's key in the CI webhook's scheme (X-Cvdesk-Timestamp, X-Cvdesk-Signature-256 over
 * "<timestamp>.<body>"), X-Cvdesk-Delivery naming the delivery so that a receiver can drop a
 * repeat. Anything but a 2xx answer is tried again after 1, 2, 4, 8 and 16 minutes; after the
 * sixth attempt the delivery is failed, an admin notice says so and /team/webhooks shows why.
 */
export const WEBHOOK_RETRY = { maxAttempts: 6, baseDelayMs: 60_000, maxDelayMs: 3_600_000 };
export const WEBHOOK_LEASE_MS = 5 * 60_000;
export const ANNOUNCE_USER_AGENT = 'cvdesk-announce';

type Deps = Pick<Context, 'db' | 'clock' | 'log' | 'policy' | 'config' | 'secretKey'>;
type DeliveryRow = Selectable<WebhookDeliveriesTable>;

export interface DeliveryOutcome {
  id: string;
  outcome: 'delivered' | 'retry' | 'failed' | 'cancelled';
  status: number | null;
  error: string | null;
}

export interface DeliverOptions {
  limit?: number;
  rule?: typeof WEBHOOK_RETRY;
  /** Per request (default 15 s). */
  timeoutMs?: number;
}

export async function deliverWebhooks(deps: Deps, options: DeliverOptions = {}): Promise<DeliveryOutcome[]> {
  const rows = await claimDue(deps.db, 'webhook_deliveries', options.limit ?? 20, deps.clock(), WEBHOOK_LEASE_MS);
  const outcomes: DeliveryOutcome[] = [];
  for (const row of rows) outcomes.push(await deliverOne(deps, row, options));
  return outcomes;
}

async function deliverOne(deps: Deps, row: DeliveryRow, options: DeliverOptions): Promise<DeliveryOutcome> {
  const [hook, advisory] = await Promise.all([
    deps.db.selectFrom('webhooks').select(['id', 'url', 'secret', 'active']).where('id', '=', row.webhook_id).executeTakeFirst(),
    deps.db.selectFrom('advisories').select('ident').where('id', '=', row.advisory_id).executeTakeFirst(),
  ]);
  if (!hook?.active) return finish(deps, row, 'cancelled', null, 'the webhook was removed');
  const announcement = advisory ? await publishedAnnouncement(deps, advisory.ident) : null;
  if (!announcement) return finish(deps, row, 'cancelled', null, 'the advisory is no longer published (withdrawn)');
  const secret = openWebhookSecret(deps.secretKey, hook.id, hook.secret);
  const request = prepare(hook.url, webhookBody(announcement, row.id), row.id, secret, deps.clock());
  const outcome = await sendTrigger(request, secret, { retryDelaysMs: [], timeoutMs: options.timeoutMs ?? 15_000 });
  if (outcome.ok) return finish(deps, row, 'delivered', outcome.status, null);
  const error = (outcome.error ?? 'not delivered').slice(0, 2000);
  const rule = options.rule ?? WEBHOOK_RETRY;
  if (row.attempts >= rule.maxAttempts) {
    const done = await finish(deps, row, 'failed', outcome.status, error);
    await addAdminNotice(deps.db, { key: 'webhook-failed', level: 'bad', message: `An announcement could not be delivered to the webhook at ${new URL(hook.url).host}; see Webhooks (/team/webhooks) for why.` }, deps.clock());
    deps.log.error({ delivery: row.id, webhook: hook.id, attempts: row.attempts, error }, 'webhook delivery failed; given up');
    return done;
  }
  const retryAt = new Date(deps.clock().getTime() + mailBackoffMs(row.attempts, rule));
  await deps.db.updateTable('webhook_deliveries').set({ next_attempt_at: retryAt, locked_until: null, last_status: outcome.status, last_error: error }).where('id', '=', row.id).execute();
  deps.log.warn({ delivery: row.id, webhook: hook.id, attempts: row.attempts, retryAt: retryAt.toISOString(), error }, 'webhook not delivered; will retry');
  return { id: row.id, outcome: 'retry', status: outcome.status, error };
}

async function finish(deps: Deps, row: DeliveryRow, status: 'delivered' | 'failed' | 'cancelled', httpStatus: number | null, error: string | null): Promise<DeliveryOutcome> {
  await deps.db
    .updateTable('webhook_deliveries')
    .set({ status, locked_until: null, last_status: httpStatus, last_error: error, delivered_at: status === 'delivered' ? deps.clock() : null })
    .where('id', '=', row.id)
    .execute();
  return { id: row.id, outcome: status, status: httpStatus, error };
}

/** The signed request, in the CI webhook's scheme (src/adapters/ci/webhook.ts); the record's copy has no signature. */
function prepare(url: string, body: string, delivery: string, secret: string, now: Date): PreparedRequest {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const headers = {
    'content-type': 'application/json',
    'user-agent': ANNOUNCE_USER_AGENT,
    'x-cvdesk-event': PUBLISHED_EVENT,
    'x-cvdesk-delivery': delivery,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: webhookSignature(secret, timestamp, body),
  };
  const host = new URL(url).host;
  return {
    method: 'POST',
    url,
    headers,
    body,
    summary: { method: 'POST', url, headers: { ...headers, [SIGNATURE_HEADER]: `sha256=${REDACTED}` }, body: jsonBody(body) },
    service: `The webhook at ${host}`,
    explain: (status, text) => {
      const excerpt = text.trim().slice(0, 200);
      return `The webhook at ${host} answered ${status}${excerpt ? ` (${excerpt})` : ''}${status === 401 || status === 403 ? ': does it check the signature with the key shown when the webhook was added?' : ''}`;
    },
  };
}
