import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { describeInventory } from '../../app/images/describe-inventory.js';
import type { Context } from '../../context.js';
import { sendPage } from '../render.js';
import { requireTeam } from '../team-session.js';
import { TeamImagesPage } from '../views/team-images-page.js';

/** Tags per repository on the overview; a repository's own view shows all of them. */
const OVERVIEW_TAGS = 100;

/** The image inventory for members and admins: each repository's last sync and its tags with their support status. */
export async function registerTeamImages(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get('/team/images', async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: ['admin', 'member'] });
    const q = z.object({ repository: z.string().max(300).optional() }).safeParse(req.query);
    // a repository the policy does not name shows the overview rather than an error
    const repository = q.success && ctx.policy.project.images.some((i) => i.name === q.data.repository) ? q.data.repository : undefined;
    const repositories = await describeInventory(ctx, repository ? { repository } : { limit: OVERVIEW_TAGS });
    return sendPage(
      reply,
      <TeamImagesPage
        projectName={ctx.policy.project.name}
        principal={principal}
        csrf={reply.generateCsrf()}
        timeZone={ctx.policy.calendar.timeZone}
        syncCron={ctx.config.registry.syncCron}
        repositories={repositories}
        limit={repository ? null : OVERVIEW_TAGS}
      />,
    );
  });
}
