import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

/**
 * Per-IP limits on what an anonymous visitor can create. Counted per process (in memory): enough
 * to stop a script flooding the inbox; several desk processes each allow this much.
 */
export const SUBMIT_LIMIT = { max: 10, timeWindow: 15 * 60_000 };
export const REPLY_LIMIT = { max: 30, timeWindow: 15 * 60_000 };

/** Registers the limiter inside a route module's own scope, so modules never clash over it. */
export const registerRateLimit = (scope: FastifyInstance) => scope.register(rateLimit, { global: false });
