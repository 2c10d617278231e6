import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addWebhook, listWebhooks, removeWebhook } from '../../app/announcements/webhooks.js';
import type { Context } from '../../context.js';
import { sendPage } from '../render.js';
import { formFields } from '../team-form.js';
import { requireTeam, type TeamPrincipal } from '../team-session.js';
import { WebhooksPage, type WebhooksPageProps } from '../views/team-webhooks-page.js';

type Extra = Partial<Pick<WebhooksPageProps, 'notice' | 'created' | 'values' | 'urlProblem'>>;

const DONE: Record<string, WebhooksPageProps['notice']> = {
  removed: { level: 'ok', text: 'The webhook is removed; deliveries still waiting for it are cancelled.' },
};

/** Announcements (issue #5): the admins add and remove webhooks and see every delivery. */
export async function registerTeamWebhooks(app: FastifyInstance, ctx: Context): Promise<void> {
  const admin = (req: FastifyRequest, reply: FastifyReply) => requireTeam(req, reply, { roles: ['admin'] });

  async function render(reply: FastifyReply, principal: TeamPrincipal, extra: Extra = {}, status = 200) {
    const [{ webhooks, deliveries }, counts] = await Promise.all([
      listWebhooks(ctx),
      ctx.db.selectFrom('subscribers').select(['state', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('state').execute(),
    ]);
    const count = (state: string) => Number(counts.find((c) => c.state === state)?.n ?? 0);
    return sendPage(
      reply,
      <WebhooksPage
        projectName={ctx.policy.project.name}
        principal={principal}
        csrf={reply.generateCsrf()}
        timeZone={ctx.policy.calendar.timeZone}
        webhooks={webhooks}
        deliveries={deliveries}
        subscribers={{ confirmed: count('confirmed'), pending: count('pending') }}
        {...extra}
      />,
      status,
    );
  }

  app.get('/team/webhooks', async (req, reply) => {
    const principal = await admin(req, reply);
    const done = (req.query as Record<string, unknown>).done;
    return render(reply, principal, { notice: typeof done === 'string' ? DONE[done] : undefined });
  });

  app.post('/team/webhooks', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await admin(req, reply);
    const f = formFields(req.body);
    const result = await addWebhook(ctx, { actorId: principal.user.id, url: f.url });
    if (result.kind === 'invalid') return render(reply, principal, { values: { url: f.url ?? '' }, urlProblem: result.message }, 400);
    // The key is shown on this answer only (not after a redirect): the desk keeps it sealed and never shows it again.
    return render(reply, principal, { created: { url: result.url, secret: result.secret } });
  });

  app.post('/team/webhooks/remove', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await admin(req, reply);
    const result = await removeWebhook(ctx, { actorId: principal.user.id, id: formFields(req.body).id ?? '' });
    if (result.kind === 'not_found') return render(reply, principal, { notice: { level: 'bad', text: 'There is no such webhook (any more).' } }, 404);
    return reply.redirect('/team/webhooks?done=removed', 303);
  });
}
