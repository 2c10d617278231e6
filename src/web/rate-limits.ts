import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/**
 * Per-IP limits on what an anonymous visitor can create. Counted per process (in memory): enough
 * to stop a script flooding the inbox; several desk processes each allow this much.
 */
export const submitLimit = (config: Config) => ({ max: config.rateLimits.submit.perAddress, timeWindow: config.rateLimits.submit.windowMs });
export const replyLimit = (config: Config) => ({ max: config.rateLimits.reply.perAddress, timeWindow: config.rateLimits.reply.windowMs });

/** Registers the limiter inside a route module's own scope, so modules never clash over it. */
export const registerRateLimit = (scope: FastifyInstance) => scope.register(rateLimit, { global: false });
