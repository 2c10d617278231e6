import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldProblem } from '../../app/accounts.js';
import { changePassword } from '../../app/change-password.js';
import { disableTotp } from '../../app/disable-totp.js';
import { confirmTotpEnrolment, pendingTotp, startTotpEnrolment } from '../../app/enroll-totp.js';
import type { Context } from '../../context.js';
import { sendPage } from '../render.js';
import { formFields } from '../team-form.js';
import { currentSession, requireTeam, setSessionCookie, type TeamPrincipal } from '../team-session.js';
import { AccountPage, type AccountPageProps } from '../views/team-account-page.js';

const DONE: Record<string, AccountPageProps['notice']> = {
  password: { level: 'ok', text: 'Your password is changed. Your other sessions have ended.' },
  totp_on: { level: 'ok', text: 'Two-factor sign-in is on. From now on you sign in with your password and a code.' },
  totp_off: { level: 'ok', text: 'Two-factor sign-in is off.' },
};

/** The member's own account: password and TOTP. The one team page an admin without TOTP may reach. */
export async function registerTeamAccount(app: FastifyInstance, ctx: Context): Promise<void> {
  const guard = (req: FastifyRequest, reply: FastifyReply) => requireTeam(req, reply, { allowEnrolment: true });

  async function render(req: FastifyRequest, reply: FastifyReply, principal: TeamPrincipal, extra: Pick<AccountPageProps, 'notice' | 'problems'> = {}, status = 200) {
    const session = await currentSession(req);
    const user = await ctx.db.selectFrom('users').select('totp_enabled_at').where('id', '=', principal.user.id).executeTakeFirstOrThrow();
    const totp = { enabled: !!user.totp_enabled_at, pending: await pendingTotp(ctx, { userId: principal.user.id }) };
    // A just-confirmed enrolment changes the stage within this request: read it from the user row.
    const enrolmentNeeded = session?.stage === 'enrolment_needed' && !totp.enabled;
    return sendPage(reply, <AccountPage projectName={ctx.policy.project.name} principal={principal} csrf={reply.generateCsrf()} enrolmentNeeded={enrolmentNeeded} totp={totp} {...extra} />, status);
  }

  app.get('/team/account', async (req, reply) => {
    const principal = await guard(req, reply);
    const done = (req.query as Record<string, unknown>).done;
    return render(req, reply, principal, { notice: typeof done === 'string' ? DONE[done] : undefined });
  });

  app.post('/team/account/password', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await guard(req, reply);
    const f = formFields(req.body);
    const result = await changePassword(ctx, { userId: principal.user.id, sessionId: principal.sessionId, current: f.current ?? '', next: f.next ?? '' });
    if (result.kind === 'invalid') return render(req, reply, principal, { problems: result.problems }, 400);
    return reply.redirect('/team/account?done=password', 303);
  });

  app.post('/team/account/totp/start', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await guard(req, reply);
    await startTotpEnrolment(ctx, { userId: principal.user.id });
    return reply.redirect('/team/account', 303);
  });

  app.post('/team/account/totp/confirm', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await guard(req, reply);
    const f = formFields(req.body);
    const result = await confirmTotpEnrolment(ctx, { userId: principal.user.id, sessionId: principal.sessionId, code: f.code ?? '' });
    if (result.kind === 'wrong_code') {
      const problems: FieldProblem[] = [{ field: 'code', message: 'That code is not right. Check that the app shows this account, then enter the code it shows now.' }];
      return render(req, reply, principal, { problems }, 400);
    }
    if (result.kind === 'confirmed') {
      setSessionCookie(reply, result.sessionToken, result.expiresAt);
      return reply.redirect('/team/account?done=totp_on', 303);
    }
    return reply.redirect('/team/account', 303);
  });

  app.post('/team/account/totp/disable', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await guard(req, reply);
    const f = formFields(req.body);
    const result = await disableTotp(ctx, { userId: principal.user.id, password: f.password ?? '' });
    if (result.kind === 'admin_requires_totp') return render(req, reply, principal, { notice: { level: 'bad', text: 'Admins must keep two-factor sign-in on.' } }, 403);
    if (result.kind === 'wrong_password') return render(req, reply, principal, { problems: [{ field: 'password', message: 'This is not your password.' }] }, 400);
    return reply.redirect('/team/account?done=totp_off', 303);
  });
}
