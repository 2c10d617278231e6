import type { FastifyInstance } from 'fastify';
import { AppError } from '../../app/errors.js';
import { gitlabTokenMatches, receiveGitLabHook } from '../../app/forges/receive-gitlab-hook.js';
import type { Context } from '../../context.js';
import { sendProblem, toProblem } from '../errors.js';

/** GitLab caps a description at 1 MB of text; the rest of an issue event is small. */
const HOOK_BODY_LIMIT = 4 * 1024 * 1024;

/**
 * The GitLab webhook (project → Settings → Webhooks: URL <desk>/hooks/gitlab, the secret token
 * CVDESK_GITLAB_WEBHOOK_SECRET, trigger "Confidential issues events"). The token is checked before
 * the body is read; a wrong or missing one is a 401. GitLab only needs a 2xx: the answer says what
 * became of the event, ignored ones included, for the project's "Recent events" view.
 */
export async function registerForgeWebhooks(app: FastifyInstance, ctx: Context): Promise<void> {
  await app.register(async (hooks) => {
    // A machine calls here: faults are JSON problems, never the desk's HTML error page.
    hooks.setErrorHandler((error, req, reply) => {
      const problem = toProblem(error);
      if (problem.status >= 500) req.log.error({ err: error }, 'webhook failed');
      return sendProblem(reply, problem);
    });
    registerGitLab(hooks, ctx);
  });
}

function registerGitLab(app: FastifyInstance, ctx: Context): void {
  app.post(
    '/hooks/gitlab',
    {
      bodyLimit: HOOK_BODY_LIMIT,
      onRequest: async (req) => {
        const token = req.headers['x-gitlab-token'];
        if (!gitlabTokenMatches(ctx.config, typeof token === 'string' ? token : undefined)) {
          if (!ctx.config.forges.gitlabWebhookSecret) req.log.warn('a GitLab webhook call came in, but CVDESK_GITLAB_WEBHOOK_SECRET is not set: refused');
          throw new AppError('unauthenticated', 'The X-Gitlab-Token header does not match this desk’s webhook secret.');
        }
      },
    },
    async (req, reply) => {
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new AppError('invalid_input', 'A GitLab webhook sends JSON (Content-Type: application/json).');
      const r = await receiveGitLabHook(ctx, req.body);
      return reply.status(200).header('cache-control', 'no-store').send(r.outcome === 'ignored' ? r : { outcome: r.outcome });
    },
  );
}
