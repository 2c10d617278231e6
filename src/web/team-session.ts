import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import type { Db } from '../adapters/db/open-database.js';
import { AppError, isAppError } from '../app/errors.js';
import { resolveSession, type ResolvedSession, type Role, type SessionStage } from '../app/team-sessions.js';
import { wantsJson } from './errors.js';

/**
 * The team's guard. Every team route calls `requireTeam(req, reply, { roles })` first.
 *
 * Failures are thrown as AppError ('unauthenticated' without a usable session, 'forbidden' for a
 * role that may not) and answered by the one error handler: 401/403 for JSON and form posts. For a
 * page (GET/HEAD of HTML) a signed-out visitor should land on the sign-in form instead, so the
 * error carries `details.teamRedirect` and the error handler asks `teamRedirect(req, error)` (the
 * one line in server.ts) and answers 303 to it: `/team/login?next=<this page>`, the TOTP step
 * for a half-finished sign-in, or `/team/account` for an admin who must set up TOTP first.
 */

export type { Role } from '../app/team-sessions.js';

export interface TeamPrincipal {
  user: { id: string; name: string; email: string; role: Role };
  /** The session's stored id (the hash of the cookie's token, never the token). */
  sessionId: string;
}

export const SESSION_COOKIE = 'cvdesk_session';

export interface RequireTeamOptions {
  roles?: readonly Role[];
  /** Only the account page: reachable by an admin who has yet to set up TOTP. */
  allowEnrolment?: boolean;
}

const sessions = new WeakMap<FastifyRequest, Promise<ResolvedSession | null>>();

/** This request's session (looked up once per request), whatever its stage; null when signed out. */
export function currentSession(req: FastifyRequest): Promise<ResolvedSession | null> {
  let found = sessions.get(req);
  if (!found) {
    const token = req.cookies[SESSION_COOKIE];
    found = token ? resolveSession(req.server.ctx.db, token, req.server.ctx.clock()) : Promise.resolve(null);
    sessions.set(req, found);
  }
  return found;
}

export async function requireTeam(req: FastifyRequest, reply: FastifyReply, opts: RequireTeamOptions = {}): Promise<TeamPrincipal> {
  const session = await currentSession(req);
  if (!session) {
    if (req.cookies[SESSION_COOKIE]) clearSessionCookie(reply);
    throw new AppError('unauthenticated', 'Sign in to continue.', { teamRedirect: `/team/login?next=${encodeURIComponent(req.url)}` });
  }
  // Team pages hold confidential reports: never kept by the browser's or a proxy's cache.
  reply.header('cache-control', 'no-store');
  const stageProblem = problemOfStage(session.stage, opts, req.url);
  if (stageProblem) throw stageProblem;
  if (opts.roles && !opts.roles.includes(session.user.role)) throw new AppError('forbidden', 'Your role does not allow this.');
  return { user: session.user, sessionId: session.sessionId };
}

function problemOfStage(stage: SessionStage, opts: RequireTeamOptions, url: string): AppError | null {
  if (stage === 'code_needed') return new AppError('unauthenticated', 'Enter the code from your authenticator app to finish signing in.', { teamRedirect: `/team/login/code?next=${encodeURIComponent(url)}` });
  if (stage === 'enrolment_needed' && !opts.allowEnrolment) return new AppError('forbidden', 'Admins must set up two-factor sign-in first: see your account page.', { teamRedirect: '/team/account' });
  return null;
}

/** Where the error handler sends a page request that failed the guard; null for anything else. */
export function teamRedirect(req: FastifyRequest, error: unknown): string | null {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || wantsJson(req) || !isAppError(error)) return null;
  const to = (error.details as { teamRedirect?: unknown } | undefined)?.teamRedirect;
  return typeof to === 'string' ? to : null;
}

/** Admins and members see every report; a coordinator only the reports they were invited to. */
export async function canSeeReport(db: Db, principal: TeamPrincipal, reportId: string): Promise<boolean> {
  if (principal.user.role !== 'coordinator') return true;
  const grant = await db.selectFrom('coordinator_grants').select('report_id').where('user_id', '=', principal.user.id).where('report_id', '=', reportId).executeTakeFirst();
  return !!grant;
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: reply.server.ctx.config.baseUrl.protocol === 'https:', path: '/', expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: reply.server.ctx.config.baseUrl.protocol === 'https:', path: '/' });
}

/**
 * A `next` target after sign-in: a path on this site only. Anything else (another host,
 * `//host`, `/\host`, a scheme, control characters) falls back to the inbox: no open redirect.
 */
export function safeNext(next: unknown, fallback = '/team'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\') || /[\p{Cc}]/u.test(next)) return fallback;
  const base = 'https://desk.invalid';
  const url = new URL(next, base);
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
