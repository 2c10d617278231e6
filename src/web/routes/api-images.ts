import type { FastifyInstance } from 'fastify';
import { AppError } from '../../app/errors.js';
import { publishedAdvisoriesFor } from '../../app/advisories/advisories-for-tag.js';
import { tagStatusFromInventory } from '../../app/images/tag-status.js';
import type { Context } from '../../context.js';
import { tagStatusSchema } from '../api/image-api-schemas.js';

/** <repository>/tags/<tag>/status, where the repository may hold slashes and a host:port; the last "/tags/" splits. */
export function splitTagPath(rest: string, suffix: '/status' | ''): { repository: string; tag: string } | null {
  const m = new RegExp(`^(.+)/tags/([^/]+)${suffix}$`).exec(rest);
  return m ? { repository: m[1]!, tag: m[2]! } : null;
}

/**
 * The image API for operators: is a tag supported, what affects it, where to move. Answered from
 * the desk's inventory of the policy's repositories (cvdesk images sync), never from a registry
 * on request, so a caller cannot make the desk fetch anything.
 */
export async function registerImagesApi(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get('/api/v1/images/*', async (req, reply) => {
    const rest = (req.params as { '*'?: string })['*'] ?? '';
    const parts = splitTagPath(rest, '/status');
    if (!parts) throw new AppError('not_found', 'No such address: ask GET /api/v1/images/<repository>/tags/<tag>/status, e.g. /api/v1/images/docker.io/mautic/mautic/tags/5.2.1-apache/status');
    const { repository, report } = await tagStatusFromInventory(ctx.db, ctx.policy, parts.repository, parts.tag, publishedAdvisoriesFor(ctx));
    return reply.header('cache-control', 'public, max-age=60').send(tagStatusSchema.parse({ ...report, repository }));
  });
}
