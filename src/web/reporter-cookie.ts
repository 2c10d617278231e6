import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import type { Context } from '../context.js';

/**
 * The reporter's device remembers their tracking token in this cookie, so the token leaves the
 * address bar (and the history, and any Referer) after the first visit. HttpOnly: no script reads
 * it; SameSite=Lax: other sites cannot post with it; Secure whenever the desk is served over https.
 */
export const REPORTER_COOKIE = 'cvdesk_reporter';
const MAX_AGE_DAYS = 90;

const options = (ctx: Context) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: ctx.config.baseUrl.protocol === 'https:',
  path: '/',
});

export function setReporterCookie(reply: FastifyReply, ctx: Context, token: string): void {
  reply.setCookie(REPORTER_COOKIE, token, { ...options(ctx), maxAge: MAX_AGE_DAYS * 86_400 });
}

export function clearReporterCookie(reply: FastifyReply, ctx: Context): void {
  reply.clearCookie(REPORTER_COOKIE, options(ctx));
}

export const reporterCookie = (req: FastifyRequest): string | undefined => req.cookies[REPORTER_COOKIE];

/** The tracking link of a report: the only place its token is ever shown. */
export const trackingUrl = (ctx: Context, token: string): string => new URL(`r/${token}`, ctx.config.baseUrl).toString();
