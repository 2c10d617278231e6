import { randomBytes } from 'node:crypto';
import { deriveKey, open, seal } from '../../adapters/crypto/secret-box.js';
import type { Context } from '../../context.js';
import { appendAudit } from '../audit.js';

/**
 * The webhooks that receive announcements, managed by admins. Each has its own HMAC key, made by
 * the desk and shown once when it is added; it is kept sealed with the desk's key, bound to the
 * row, because the desk must read it back to sign. Only http(s) URLs without credentials: a key
 * in the URL would be stored and shown in clear.
 */
const PURPOSE = 'webhook-secret';
const MAX_URL = 2000;

export const sealWebhookSecret = (secretKey: Buffer, id: string, secret: string): string => seal(deriveKey(secretKey, PURPOSE), secret, id);
export const openWebhookSecret = (secretKey: Buffer, id: string, box: string): string => open(deriveKey(secretKey, PURPOSE), box, id);

/** A URL a webhook may have, or why not. */
export function checkWebhookUrl(input: unknown): { ok: true; url: string } | { ok: false; message: string } {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!text) return { ok: false, message: 'Enter the URL that should receive the announcements.' };
  if (text.length > MAX_URL) return { ok: false, message: `At most ${MAX_URL} characters.` };
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { ok: false, message: 'This is not a URL (it should look like https://hooks.example.org/cvdesk).' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, message: 'Only http and https URLs can receive webhooks.' };
  if (u.username || u.password) return { ok: false, message: 'The URL must not contain a user name or password: the requests are signed instead.' };
  if (!u.hostname) return { ok: false, message: 'The URL needs a host.' };
  u.hash = '';
  return { ok: true, url: u.toString() };
}

export type AddWebhookResult = { kind: 'added'; id: string; url: string; secret: string } | { kind: 'invalid'; message: string };

export async function addWebhook(deps: Pick<Context, 'db' | 'clock' | 'newId' | 'secretKey'>, input: { actorId: string; url: unknown }): Promise<AddWebhookResult> {
  const checked = checkWebhookUrl(input.url);
  if (!checked.ok) return { kind: 'invalid', message: checked.message };
  const now = deps.clock();
  const id = deps.newId();
  const secret = randomBytes(32).toString('base64url');
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('webhooks').values({ id, url: checked.url, secret: sealWebhookSecret(deps.secretKey, id, secret), active: true, created_at: now, created_by: input.actorId, removed_at: null, removed_by: null }).execute();
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'webhook.add', detail: { webhook: id, url: checked.url } }, now);
  });
  return { kind: 'added', id, url: checked.url, secret };
}

/** Removes a webhook: no new deliveries, and the ones still waiting are cancelled. Its history stays. */
export async function removeWebhook(deps: Pick<Context, 'db' | 'clock'>, input: { actorId: string; id: string }): Promise<{ kind: 'removed' } | { kind: 'not_found' }> {
  if (!/^[0-9a-f-]{36}$/i.test(input.id)) return { kind: 'not_found' };
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('webhooks').set({ active: false, removed_at: now, removed_by: input.actorId }).where('id', '=', input.id).where('active', '=', true).returning(['id', 'url']).executeTakeFirst();
    if (!row) return { kind: 'not_found' as const };
    await trx.updateTable('webhook_deliveries').set({ status: 'cancelled', locked_until: null, last_error: 'the webhook was removed' }).where('webhook_id', '=', row.id).where('status', '=', 'pending').execute();
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'webhook.remove', detail: { webhook: row.id, url: row.url } }, now);
    return { kind: 'removed' as const };
  });
}

export interface WebhookView {
  id: string;
  url: string;
  createdAt: Date;
  createdBy: string | null;
}

export interface DeliveryView {
  id: string;
  url: string;
  webhookActive: boolean;
  ident: string;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** The active webhooks and the latest deliveries (newest first), for the admins' page. */
export async function listWebhooks(deps: Pick<Context, 'db'>, limit = 100): Promise<{ webhooks: WebhookView[]; deliveries: DeliveryView[] }> {
  const [hooks, deliveries] = await Promise.all([
    deps.db.selectFrom('webhooks as w').leftJoin('users as u', 'u.id', 'w.created_by').select(['w.id', 'w.url', 'w.created_at', 'u.name']).where('w.active', '=', true).orderBy('w.created_at').execute(),
    deps.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .innerJoin('advisories as a', 'a.id', 'd.advisory_id')
      .select(['d.id', 'w.url', 'w.active', 'a.ident', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_status', 'd.last_error', 'd.created_at', 'd.delivered_at'])
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id')
      .limit(limit)
      .execute(),
  ]);
  return {
    webhooks: hooks.map((h) => ({ id: h.id, url: h.url, createdAt: h.created_at, createdBy: h.name ?? null })),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      url: d.url,
      webhookActive: d.active,
      ident: d.ident,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.next_attempt_at,
      lastStatus: d.last_status,
      lastError: d.last_error,
      createdAt: d.created_at,
      deliveredAt: d.delivered_at,
    })),
  };
}
