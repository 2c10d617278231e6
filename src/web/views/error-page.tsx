import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpProblem } from '../errors.js';
import { common } from '../i18n/common.js';
import { offeredLanguages, pickLanguage } from '../i18n/languages.js';
import { sendPage } from '../render.js';
import { Layout } from './layout.js';

/** An error as a page of the site, in the visitor's language; the message is the client-safe one. */
export function sendErrorPage(reply: FastifyReply, req: FastifyRequest, problem: HttpProblem): FastifyReply {
  const policy = reply.server.ctx.policy;
  const lang = pickLanguage(req, offeredLanguages(policy.languages));
  const w = common[lang];
  return sendPage(
    reply,
    <Layout title={w.errorTitle} lang={lang} projectName={policy.project.name}>
      <section class="card narrow">
        <h1>{problem.status === 404 ? w.notFound : w.errorTitle}</h1>
        {problem.status !== 404 && <p>{problem.message}</p>}
        {problem.fields && (
          <ul class="problems">
            {problem.fields.map((f) => (
              <li>
                <code>{f.field}</code>: {f.message}
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href="/policy">{w.back}</a>
        </p>
      </section>
    </Layout>,
    problem.status,
  );
}
