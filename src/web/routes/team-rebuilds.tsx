import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { describeTrigger } from '../../adapters/ci/index.js';
import { listRebuildRuns } from '../../app/rebuilds/list-rebuild-runs.js';
import { runRebuild } from '../../app/rebuilds/run-rebuild.js';
import type { Context } from '../../context.js';
import { nextCronRuns } from '../../domain/calendar/index.js';
import { formatInstant } from '../format.js';
import { sendPage } from '../render.js';
import { requireTeam, type TeamPrincipal } from '../team-session.js';
import { RebuildsPage, type RebuildSchedule, type RebuildsPageProps } from '../views/team-rebuilds-page.js';

const DONE: Record<string, RebuildsPageProps['notice']> = {
  triggered: { level: 'ok', text: "The run started the project's CI. Its builds show below once the inventory has synced them." },
  'not-needed': { level: 'ok', text: "No supported tag's base image moved, so the CI was not started (the policy rebuilds only on drift)." },
  'not-triggered': { level: 'warn', text: 'The run could not start the CI: see its outcome below.' },
  failed: { level: 'bad', text: 'The CI did not accept the request: see the run below.' },
};

/** The rebuild job's record for members and admins; admins may start a run now. */
export async function registerTeamRebuilds(app: FastifyInstance, ctx: Context): Promise<void> {
  function schedule(): RebuildSchedule | null {
    const r = ctx.policy.releases.rebuild;
    if (!r) return null;
    return {
      cron: r.cron,
      timeZone: r.timeZone,
      when: r.when,
      next: nextCronRuns({ cron: r.cron, timeZone: r.timeZone }, ctx.clock(), 1)[0] ?? null,
      trigger: r.trigger ? describeTrigger(r.trigger) : null,
      webhook: r.trigger?.type === 'webhook',
      tokenSet: ctx.config.rebuildToken !== null,
    };
  }

  async function render(reply: FastifyReply, principal: TeamPrincipal, extra: { before?: Date; notice?: RebuildsPageProps['notice'] } = {}, status = 200) {
    const { runs, more } = await listRebuildRuns(ctx, extra.before ? { before: extra.before } : {});
    return sendPage(
      reply,
      <RebuildsPage
        projectName={ctx.policy.project.name}
        principal={principal}
        csrf={reply.generateCsrf()}
        timeZone={ctx.policy.calendar.timeZone}
        schedule={schedule()}
        runs={runs}
        olderThan={more ? (runs.at(-1)?.startedAt ?? null) : null}
        notice={extra.notice}
      />,
      status,
    );
  }

  app.get('/team/rebuilds', async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: ['admin', 'member'] });
    const q = z.object({ before: z.iso.datetime({ offset: true }).optional(), done: z.string().max(40).optional() }).safeParse(req.query);
    const query = q.success ? q.data : {};
    return render(reply, principal, { ...(query.before ? { before: new Date(query.before) } : {}), notice: query.done ? DONE[query.done] : undefined });
  });

  app.post('/team/rebuilds/run', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: ['admin'] });
    const r = await runRebuild(ctx, { slot: null, source: 'manual', requestedBy: principal.user.id });
    if (r.kind === 'not_scheduled') return render(reply, principal, { notice: { level: 'bad', text: 'The policy schedules no rebuilds (releases.rebuild), so there is nothing to run.' } }, 409);
    if (r.kind === 'busy') {
      const since = formatInstant(r.since, ctx.policy.calendar.timeZone);
      return render(reply, principal, { notice: { level: 'warn', text: `A run started ${since} is still in progress; wait for it to finish.` } }, 409);
    }
    return reply.redirect(`/team/rebuilds?done=${r.run.status}#run-${r.run.id}`, 303);
  });
}
