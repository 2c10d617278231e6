import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { countRequest, dropEndedWindows, windowOf, type RateWindow } from '../app/rate-limit-counters.js';
import type { RateLimitSurface } from '../config.js';
import type { Context } from '../context.js';
import { addressKey } from './client-address.js';
import { sendProblem, wantsJson } from './errors.js';
import { offeredLanguages, pickLanguage } from './i18n/languages.js';
import { duration } from './i18n/rate-limits.js';
import { sendPage } from './render.js';
import { RateLimitedPage } from './views/rate-limited-page.js';

/**
 * Request rate limits: for each surface (config.rateLimits) at most `perAddress` requests per client
 * address and `overall` from all addresses together in each fixed window. The counters are in the
 * database (rate_limit_counters), so the limits hold across every desk process sharing it. A key
 * found over its limit is also remembered in this process until its window ends, so a flood is
 * turned away without a query: the database sees at most about `overall` requests per surface and
 * window, however many are sent. Checked in onRequest, before the body is read: a refused request
 * costs no parsing and stores nothing.
 *
 * Client addresses: req.ip (see CVDESK_TRUST_PROXY in server.ts), an IPv6 address as its network
 * (CVDESK_LIMIT_IPV6_PREFIX, /64), stored only as a keyed hash and only for the window.
 */
export type Verdict = { allowed: true } | { allowed: false; scope: 'address' | 'overall'; retryAfterSeconds: number };

/** Remembered refusals beyond this many are forgotten (the database still counts them, at the cost of a query). */
const MAX_REMEMBERED = 100_000;

export class RequestLimiter {
  private readonly blocked = new Map<string, RateWindow>();
  private readonly swept = new Map<RateLimitSurface, number>();
  private readonly hashKey: Buffer;

  constructor(private readonly ctx: Context) {
    this.hashKey = createHmac('sha256', ctx.secretKey).update('cvdesk rate limit keys').digest();
  }

  async check(surface: RateLimitSurface, ip: string): Promise<Verdict> {
    const limit = this.ctx.config.rateLimits[surface];
    const now = this.ctx.clock();
    const window = windowOf(now, limit.windowMs);
    const refused = (scope: 'address' | 'overall'): Verdict => ({ allowed: false, scope, retryAfterSeconds: Math.max(1, Math.ceil((window.end.getTime() - now.getTime()) / 1000)) });
    const address = `${surface}:${createHmac('sha256', this.hashKey).update(addressKey(ip, this.ctx.config.rateLimits.ipv6PrefixLength)).digest('base64url').slice(0, 22)}`;
    const overall = `${surface}:*`;
    if (this.isBlocked(address, now)) return refused('address');
    if (this.isBlocked(overall, now)) return refused('overall');

    if (this.swept.get(surface) !== window.start.getTime()) {
      this.swept.set(surface, window.start.getTime());
      await dropEndedWindows(this.ctx.db, now);
    }
    const counts = await countRequest(this.ctx.db, { address, overall, perAddress: limit.perAddress }, window);
    if (counts.address > limit.perAddress) {
      this.block(address, window, now);
      return refused('address');
    }
    if (counts.overall !== null && counts.overall > limit.overall) {
      if (this.block(overall, window, now)) this.ctx.log.warn({ surface, limit: limit.overall, windowEnd: window.end.toISOString() }, 'overall rate limit reached');
      return refused('overall');
    }
    return { allowed: true };
  }

  private isBlocked(key: string, now: Date): boolean {
    const w = this.blocked.get(key);
    return w !== undefined && w.start <= now && now < w.end;
  }

  /** Remembers a key over its limit until its window ends; true when it was not remembered yet. */
  private block(key: string, window: RateWindow, now: Date): boolean {
    const fresh = !this.isBlocked(key, now);
    if (this.blocked.size >= MAX_REMEMBERED) {
      for (const [k, w] of this.blocked) if (!(w.start <= now && now < w.end)) this.blocked.delete(k);
      if (this.blocked.size >= MAX_REMEMBERED) this.blocked.clear();
    }
    this.blocked.set(key, window);
    return fresh;
  }
}

const limiters = new WeakMap<Context, RequestLimiter>();

/** The desk's limiter (one per context, that is per process). */
export function limiterOf(ctx: Context): RequestLimiter {
  let limiter = limiters.get(ctx);
  if (!limiter) limiters.set(ctx, (limiter = new RequestLimiter(ctx)));
  return limiter;
}

/** An onRequest hook that counts the request against each surface's limits and answers 429 over one. */
export function rateLimit(ctx: Context, ...surfaces: RateLimitSurface[]): onRequestAsyncHookHandler {
  const limiter = limiterOf(ctx);
  return async (req, reply) => {
    for (const surface of surfaces) {
      const verdict = await limiter.check(surface, req.ip);
      if (!verdict.allowed) return sendRateLimited(req, reply, surface, verdict);
    }
  };
}

const API_MESSAGES: Record<RateLimitSurface, Record<'address' | 'overall', string>> = {
  submit: { address: 'Too many reports from your address.', overall: 'The desk is receiving more reports than it accepts right now.' },
  reply: { address: 'Too many messages from your address.', overall: 'The desk is receiving more messages than it accepts right now.' },
  reporter: { address: 'Too many requests from your address.', overall: 'The desk is receiving more requests than it answers right now.' },
  login: { address: 'Too many sign-in requests from your address.', overall: 'The desk is receiving more sign-in requests than it answers right now.' },
};

/** 429 with Retry-After: the API's JSON error, or a page in the visitor's language. */
function sendRateLimited(req: FastifyRequest, reply: FastifyReply, surface: RateLimitSurface, v: Extract<Verdict, { allowed: false }>): FastifyReply {
  reply.header('retry-after', String(v.retryAfterSeconds)).header('cache-control', 'no-store');
  if (wantsJson(req)) {
    const message = `${API_MESSAGES[surface][v.scope]} Nothing was stored; try again in ${duration(v.retryAfterSeconds, 'en')} (Retry-After).`;
    return sendProblem(reply, { status: 429, code: 'rate_limited', message });
  }
  const policy = reply.server.ctx.policy;
  const lang = pickLanguage(req, offeredLanguages(policy.languages));
  return sendPage(reply, <RateLimitedPage lang={lang} projectName={policy.project.name} surface={surface} scope={v.scope} retryAfterSeconds={v.retryAfterSeconds} />, 429);
}
