/**
 * A generic webhook: cvdesk POSTs the payload as JSON and signs it with HMAC-SHA256, keyed with
 * CVDESK_REBUILD_TOKEN. Headers:
 *
 *   X-Cvdesk-Event: rebuild
 *   X-Cvdesk-Delivery: <run id>
 *   X-Cvdesk-Timestamp: <Unix seconds when sent>
 *   X-Cvdesk-Signature-256: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">
 *
 * The timestamp is part of the signed material, so a receiver that checks the signature over
 * "<timestamp>.<raw body>" (constant-time compare) and refuses timestamps more than 5 minutes
 * away from its clock cannot be fed a recorded request again later. Sign the raw bytes received:
 * re-serialised JSON does not match.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RebuildTrigger } from '../../domain/policy/schema-releases.js';
import { REDACTED, USER_AGENT, jsonBody, type PreparedRequest, type RebuildPayload } from './common.js';
import type { Prepared } from './github-workflow.js';

type Webhook = Extract<RebuildTrigger, { type: 'webhook' }>;

export const SIGNATURE_HEADER = 'x-cvdesk-signature-256';
export const TIMESTAMP_HEADER = 'x-cvdesk-timestamp';
/** How far a receiver should accept a timestamp from its own clock. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The check a receiver makes, for receivers written in TypeScript (and as the reference for others). */
export function verifyWebhookSignature(input: { secret: string; body: string; timestamp: string | undefined; signature: string | undefined; now: Date; toleranceSeconds?: number }): { ok: true } | { ok: false; reason: string } {
  const { timestamp, signature } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed timestamp' };
  if (Math.abs(input.now.getTime() / 1000 - Number(timestamp)) > (input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)) return { ok: false, reason: 'timestamp too far from now (a replay?)' };
  if (!signature || !/^sha256=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'missing or malformed signature' };
  const expected = Buffer.from(webhookSignature(input.secret, timestamp, input.body));
  return timingSafeEqual(expected, Buffer.from(signature)) ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

export function prepareWebhook(trigger: Webhook, payload: RebuildPayload, secret: string, now: Date): Prepared {
  const body = JSON.stringify({ event: 'rebuild', ...payload });
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const headers = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'x-cvdesk-event': 'rebuild',
    'x-cvdesk-delivery': payload.run,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: webhookSignature(secret, timestamp, body),
  };
  const host = new URL(trigger.url).host;
  const request: PreparedRequest = {
    method: 'POST',
    url: trigger.url,
    headers,
    body,
    // The signature reveals nothing of the key, but it would let anyone who reads the record replay it within the tolerance.
    summary: { method: 'POST', url: trigger.url, headers: { ...headers, [SIGNATURE_HEADER]: `sha256=${REDACTED}` }, body: jsonBody(body) },
    service: `The webhook at ${host}`,
    explain: (status, text) => {
      const excerpt = text.trim().slice(0, 200);
      const why = status === 401 || status === 403 ? ': the receiver refused the signature; does it use the same key as CVDESK_REBUILD_TOKEN and sign "<timestamp>.<raw body>"?' : '';
      return `The webhook at ${host} answered ${status}${excerpt ? ` (${excerpt})` : ''}${why}`;
    },
  };
  return { ok: true, request };
}
