import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { acceptInvitation, findInvitation } from '../../app/accept-invitation.js';
import { createFirstAdmin, setupLinkIsValid } from '../../app/create-first-admin.js';
import { startTotpEnrolment } from '../../app/enroll-totp.js';
import { logIn } from '../../app/log-in.js';
import { THROTTLE } from '../../app/login-throttle.js';
import { logOut } from '../../app/log-out.js';
import { verifyLoginCode } from '../../app/verify-login-code.js';
import type { Context } from '../../context.js';
import { rateLimit } from '../rate-limits.js';
import { sendPage } from '../render.js';
import { formFields, noStore } from '../team-form.js';
import { clearSessionCookie, currentSession, safeNext, SESSION_COOKIE, setSessionCookie } from '../team-session.js';
import { CodePage, InvitePage, LinkInvalidPage, LoginPage, SetupPage } from '../views/team-auth-pages.js';
import { registerTeamAccount } from './team-account.js';

const FAILED = 'The e-mail address or the password is not right.';
const THROTTLED = 'Too many failed sign-ins. Wait 15 minutes, then try again.';

/** Signing in and out, the first-admin link, invitation links; and the account page (team-account.tsx). */
export async function registerTeamAuth(app: FastifyInstance, ctx: Context): Promise<void> {
  const projectName = ctx.policy.project.name;
  const csrf = (reply: FastifyReply) => reply.generateCsrf();
  const queryNext = (req: FastifyRequest) => safeNext((req.query as Record<string, unknown>).next);

  const signingIn = rateLimit(ctx, 'login');

  app.get('/team/login', { onRequest: signingIn }, async (req, reply) => {
    const session = await currentSession(req);
    const next = queryNext(req);
    if (session?.stage === 'full') return reply.redirect(next, 303);
    if (session?.stage === 'code_needed') return reply.redirect(`/team/login/code?next=${encodeURIComponent(next)}`, 303);
    if (session?.stage === 'enrolment_needed') return reply.redirect('/team/account', 303);
    return sendPage(noStore(reply), <LoginPage projectName={projectName} csrf={csrf(reply)} next={next} />);
  });

  app.post('/team/login', { onRequest: signingIn, preHandler: app.csrfProtection }, async (req, reply) => {
    const f = formFields(req.body);
    const next = safeNext(f.next);
    const result = await logIn(ctx, { email: f.email ?? '', password: f.password ?? '', ip: req.ip });
    noStore(reply);
    if (result.kind === 'throttled') reply.header('retry-after', String(THROTTLE.windowMs / 1000)); // at most; waiting that long always helps
    if (result.kind === 'throttled' || result.kind === 'failed') {
      const text = result.kind === 'throttled' ? THROTTLED : FAILED;
      return sendPage(reply, <LoginPage projectName={projectName} csrf={csrf(reply)} next={next} email={f.email} message={{ level: 'bad', text }} />, result.kind === 'throttled' ? 429 : 401);
    }
    setSessionCookie(reply, result.sessionToken, result.expiresAt);
    return reply.redirect(result.kind === 'code_needed' ? `/team/login/code?next=${encodeURIComponent(next)}` : next, 303);
  });

  app.get('/team/login/code', { onRequest: signingIn }, async (req, reply) => {
    const session = await currentSession(req);
    if (session?.stage !== 'code_needed') return reply.redirect('/team/login', 303);
    return sendPage(noStore(reply), <CodePage projectName={projectName} csrf={csrf(reply)} next={queryNext(req)} />);
  });

  app.post('/team/login/code', { onRequest: signingIn, preHandler: app.csrfProtection }, async (req, reply) => {
    const f = formFields(req.body);
    const next = safeNext(f.next);
    const result = await verifyLoginCode(ctx, { sessionToken: req.cookies[SESSION_COOKIE] ?? '', code: f.code ?? '', ip: req.ip });
    noStore(reply);
    if (result.kind === 'no_pending_sign_in') return reply.redirect('/team/login', 303);
    if (result.kind === 'throttled') reply.header('retry-after', String(THROTTLE.windowMs / 1000));
    if (result.kind === 'throttled' || result.kind === 'failed') {
      const text = result.kind === 'throttled' ? THROTTLED : 'That code is not right (or was used already). Enter the code your app shows now.';
      return sendPage(reply, <CodePage projectName={projectName} csrf={csrf(reply)} next={next} message={{ level: 'bad', text }} />, result.kind === 'throttled' ? 429 : 401);
    }
    setSessionCookie(reply, result.sessionToken, result.expiresAt);
    return reply.redirect(next, 303);
  });

  app.post('/team/logout', { preHandler: app.csrfProtection }, async (req, reply) => {
    const session = await currentSession(req);
    if (session) await logOut(ctx, { sessionId: session.sessionId, userId: session.user.id });
    clearSessionCookie(reply);
    return reply.redirect('/team/login', 303);
  });

  // The one-time first-admin link printed at start-up.
  app.get<{ Params: { token: string } }>('/team/setup/:token', async (req, reply) => {
    noStore(reply);
    if (!(await setupLinkIsValid(ctx, req.params.token))) return sendPage(reply, <LinkInvalidPage projectName={projectName} what="setup" />, 404);
    return sendPage(reply, <SetupPage projectName={projectName} csrf={csrf(reply)} action={req.url} />);
  });

  app.post<{ Params: { token: string } }>('/team/setup/:token', { preHandler: app.csrfProtection }, async (req, reply) => {
    const f = formFields(req.body);
    const result = await createFirstAdmin(ctx, { token: req.params.token, name: f.name, email: f.email, password: f.password });
    noStore(reply);
    if (result.kind === 'invalid_link') return sendPage(reply, <LinkInvalidPage projectName={projectName} what="setup" />, 404);
    if (result.kind === 'invalid') return sendPage(reply, <SetupPage projectName={projectName} csrf={csrf(reply)} action={req.url} values={f} problems={result.problems} />, 400);
    setSessionCookie(reply, result.sessionToken, result.expiresAt);
    await startTotpEnrolment(ctx, { userId: result.userId }); // straight on to the second factor
    return reply.redirect('/team/account', 303);
  });

  app.get<{ Params: { token: string } }>('/team/invite/:token', async (req, reply) => {
    noStore(reply);
    const invitation = await findInvitation(ctx, req.params.token);
    if (!invitation) return sendPage(reply, <LinkInvalidPage projectName={projectName} what="invitation" />, 404);
    return sendPage(reply, <InvitePage projectName={projectName} csrf={csrf(reply)} action={req.url} invitation={invitation} />);
  });

  app.post<{ Params: { token: string } }>('/team/invite/:token', { preHandler: app.csrfProtection }, async (req, reply) => {
    const f = formFields(req.body);
    noStore(reply);
    const result = await acceptInvitation(ctx, { token: req.params.token, name: f.name, password: f.password });
    if (result.kind === 'invalid_link') return sendPage(reply, <LinkInvalidPage projectName={projectName} what="invitation" />, 404);
    if (result.kind === 'invalid') {
      const invitation = await findInvitation(ctx, req.params.token);
      if (!invitation) return sendPage(reply, <LinkInvalidPage projectName={projectName} what="invitation" />, 404);
      return sendPage(reply, <InvitePage projectName={projectName} csrf={csrf(reply)} action={req.url} invitation={invitation} values={f} problems={result.problems} />, 400);
    }
    setSessionCookie(reply, result.sessionToken, result.expiresAt);
    if (result.role === 'admin') {
      await startTotpEnrolment(ctx, { userId: result.userId });
      return reply.redirect('/team/account', 303);
    }
    return reply.redirect('/team', 303);
  });

  await registerTeamAccount(app, ctx);
}
