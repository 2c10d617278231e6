import { createHmac } from 'node:crypto';
import { deriveKey } from '../../adapters/crypto/secret-box.js';
import type { Context } from '../../context.js';
import { hashToken } from '../tokens.js';

/**
 * The secret links of a subscription. The confirmation token is random (its hash is stored, the
 * link travels sealed in the outbox row until sent). The unsubscribe token is derived from the
 * desk's key and the subscriber's id, so every announcement can carry it while the database holds
 * only its hash: a copy of the database unsubscribes nobody, and a changed CVDESK_SECRET_KEY
 * changes the links (the old ones then answer "not valid").
 */
const PURPOSE = 'subscriber-unsubscribe';

export const CONFIRM_PATH = '/advisories/confirm/';
export const UNSUBSCRIBE_PATH = '/advisories/unsubscribe/';

/** How long a confirmation link works; an unconfirmed subscription is deleted after it. */
export const CONFIRM_VALID_MS = 48 * 3_600_000;
/** A new confirmation mail for an address at most this often, however often someone asks. */
export const CONFIRM_RESEND_MS = 10 * 60_000;

const keys = new WeakMap<Buffer, Buffer>();

export function unsubscribeToken(secretKey: Buffer, subscriberId: string): string {
  let key = keys.get(secretKey);
  if (!key) keys.set(secretKey, (key = deriveKey(secretKey, PURPOSE)));
  return createHmac('sha256', key).update(subscriberId, 'utf8').digest('base64url');
}

export const unsubscribeHash = (secretKey: Buffer, subscriberId: string): string => hashToken(unsubscribeToken(secretKey, subscriberId));

export const unsubscribeUrl = (deps: Pick<Context, 'config' | 'secretKey'>, subscriberId: string): string =>
  new URL(`${UNSUBSCRIBE_PATH}${unsubscribeToken(deps.secretKey, subscriberId)}`, deps.config.baseUrl).toString();

export const confirmUrl = (deps: Pick<Context, 'config'>, token: string): string => new URL(`${CONFIRM_PATH}${token}`, deps.config.baseUrl).toString();

/** Tokens are 43 base64url characters (32 bytes); anything else is not looked up. */
export const looksLikeToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);
