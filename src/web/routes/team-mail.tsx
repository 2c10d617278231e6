import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { listOutbox, OUTBOX_STATUSES } from '../../app/notifications/list-outbox.js';
import type { OutboxStatus } from '../../app/notifications/outbox.js';
import { retryMail } from '../../app/notifications/retry-mail.js';
import type { Context } from '../../context.js';
import { sendPage } from '../render.js';
import { formFields } from '../team-form.js';
import { requireTeam, type TeamPrincipal } from '../team-session.js';
import { MailPage, type MailPageProps } from '../views/team-mail-page.js';
import { TeamNav } from '../views/team-nav.js';

const DONE: Record<string, MailPageProps['notice']> = {
  queued: { level: 'ok', text: 'The mail is due again and goes out with the next round (within a minute).' },
};

/** The team's view of outgoing mail (admins see all of it) and sending a failed mail again. */
export async function registerTeamMail(app: FastifyInstance, ctx: Context): Promise<void> {
  async function render(reply: FastifyReply, principal: TeamPrincipal, status: OutboxStatus | null, notice?: MailPageProps['notice'], code = 200) {
    const view = await listOutbox(ctx, principal.user, status ? { status } : {});
    return sendPage(
      reply,
      <MailPage
        projectName={ctx.policy.project.name}
        timeZone={ctx.policy.calendar.timeZone}
        nav={<TeamNav user={principal.user} csrf={reply.generateCsrf()} current="mail" />}
        csrf={reply.generateCsrf()}
        view={view}
        status={status}
        mayRetry={principal.user.role !== 'coordinator'}
        notice={notice}
      />,
      code,
    );
  }

  app.get('/team/mail', async (req, reply) => {
    const principal = await requireTeam(req, reply);
    const q = z.object({ status: z.enum(OUTBOX_STATUSES).optional().catch(undefined), done: z.string().optional().catch(undefined) }).parse(req.query ?? {});
    return render(reply, principal, q.status ?? null, q.done ? DONE[q.done] : undefined);
  });

  app.post('/team/mail/retry', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: ['admin', 'member'] });
    const result = await retryMail(ctx, { id: formFields(req.body).id ?? '', viewer: principal.user });
    if (result.kind === 'not_found') return render(reply, principal, null, { level: 'bad', text: 'There is no such mail.' }, 404);
    if (result.kind === 'not_retryable') return render(reply, principal, null, { level: 'bad', text: `That mail is ${result.status}; only waiting or failed mail can be sent again.` }, 409);
    return reply.redirect('/team/mail?done=queued', 303);
  });
}
