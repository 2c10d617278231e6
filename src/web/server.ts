import { createHmac } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Context } from '../context.js';
import { sendProblem, toProblem, wantsJson } from './errors.js';
import { registerRoutes } from './routes/index.js';
import { registerSecurityHeaders } from './security-headers.js';
import { teamRedirect } from './team-session.js';
import { sendErrorPage } from './views/error-page.js';

/** The package's own assets folder, found from this file in src/ (tsx) as in dist/ (built). */
const ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets');

declare module 'fastify' {
  interface FastifyInstance {
    ctx: Context;
    /** Every route the desk serves (method and URL pattern), for the authorization test that must cover them all. */
    routeTable: Array<{ method: string; url: string }>;
  }
}

export async function buildServer(ctx: Context): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.limits.bodyBytes,
    trustProxy: trustHops(ctx.config.trustProxy),
    routerOptions: { maxParamLength: 200 },
  });
  app.decorate('ctx', ctx);
  const routeTable: Array<{ method: string; url: string }> = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routeTable.push({ method, url: r.url });
  });

  const https = ctx.config.baseUrl.protocol === 'https:';
  await registerSecurityHeaders(app, https);
  await app.register(cookie, { secret: createHmac('sha256', ctx.secretKey).update('cvdesk cookie signing').digest() });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'cvdesk_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', path: '/', secure: https },
    getToken: csrfTokenOf,
  });
  await app.register(formbody, { bodyLimit: ctx.config.limits.bodyBytes });
  // Multipart fields land on req.body ({ value } for fields, file parts with toBuffer()), so the CSRF check can read them.
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: ctx.config.limits.attachmentBytes, files: ctx.config.limits.attachmentsPerReport, fields: 50, fieldSize: 1024 * 1024, parts: 80 },
  });
  await app.register(fastifyStatic, { root: ASSETS, prefix: '/assets/', index: false, maxAge: '1h', decorateReply: false });

  app.setErrorHandler((error, req, reply) => {
    const signIn = teamRedirect(req, error); // a team page asked for while signed out: to the sign-in form
    if (signIn) return reply.redirect(signIn, 303);
    const problem = toProblem(error);
    if (problem.status >= 500) req.log.error({ err: error }, 'request failed');
    if (wantsJson(req)) return sendProblem(reply, problem);
    return sendErrorPage(reply, req, problem);
  });
  app.setNotFoundHandler((req, reply) => {
    const problem = { status: 404, code: 'not_found', message: 'There is nothing at this address.' };
    if (wantsJson(req)) return sendProblem(reply, problem);
    return sendErrorPage(reply, req, problem);
  });

  await registerRoutes(app, ctx);
  return app;
}

/**
 * Behind N reverse proxies the client is the N-th address from the right of X-Forwarded-For (each
 * proxy appends the address it saw); entries further left are whatever the client sent, so they are
 * never believed. 0: no proxy, the socket's address is the client's and X-Forwarded-* is ignored.
 */
const trustHops = (n: number) => (n > 0 ? (_address: string, hop: number) => hop < n : false);

/** The CSRF token of a form post (field `_csrf`, urlencoded or multipart) or of a script's request (header). */
function csrfTokenOf(req: FastifyRequest): string | void {
  const field = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof field === 'string') return field;
  if (field && typeof field === 'object' && typeof (field as { value?: unknown }).value === 'string') return (field as { value: string }).value;
  const header = req.headers['x-csrf-token'];
  return typeof header === 'string' ? header : undefined;
}
