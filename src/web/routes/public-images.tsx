import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../app/errors.js';
import { listInventoryRepositories } from '../../app/images/inventory.js';
import { publishedAdvisoriesFor } from '../../app/advisories/advisories-for-tag.js';
import { policyRepository, tagStatusFromInventory, tagStatusProblem } from '../../app/images/tag-status.js';
import type { Context } from '../../context.js';
import { tagRegexp } from '../../domain/images/reference-grammar.js';
import { imageWords } from '../i18n/images.js';
import { offeredLanguages, pickLanguage, type UiLanguage } from '../i18n/languages.js';
import { sendPage } from '../render.js';
import { ImagesPage, TagStatusPage } from '../views/images-page.js';
import { splitTagPath } from './api-images.js';

const one = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);

/**
 * The public answer to "is my tag supported, and where do I move?": /images asks (a GET form),
 * /images/<repository>/tags/<tag> answers, from the inventory, in the visitor's language.
 */
export async function registerPublicImages(app: FastifyInstance, ctx: Context): Promise<void> {
  const offered = offeredLanguages(ctx.policy.languages);
  const languageOf = (req: FastifyRequest, reply: FastifyReply): UiLanguage => {
    const lang = pickLanguage(req, offered);
    reply.header('content-language', lang).header('vary', 'Accept-Language, Cookie');
    return lang;
  };
  const base = (lang: UiLanguage, path: string) => ({ policy: ctx.policy, lang, offered, path });
  const tagPath = (repository: string, tag: string) => `/images/${repository}/tags/${tag}`;

  app.get('/images', async (req, reply) => {
    const lang = languageOf(req, reply);
    const w = imageWords[lang];
    const q = (req.query ?? {}) as Record<string, unknown>;
    const repository = one(q.repository);
    const tag = one(q.tag);
    if (repository === undefined && tag === undefined) return sendPage(reply, <ImagesPage {...base(lang, '/images')} />);
    // the form was sent: answer at the tag's own address, or say what is missing
    const name = repository ? policyRepository(ctx.policy, repository) : null;
    let problem: string;
    if (!repository) problem = w.needRepository;
    else if (name === null) problem = w.problems['not-in-policy'](repository.slice(0, 300), '');
    else if (!tag) problem = w.needTag;
    else if (!tagRegexp.test(tag)) problem = w.problems['bad-tag'](name, tag.slice(0, 200));
    else return reply.redirect(tagPath(name, tag), 303);
    return sendPage(reply, <ImagesPage {...base(lang, '/images')} repository={name ?? undefined} tag={tag} problem={problem} />, 400);
  });

  app.get('/images/*', async (req, reply) => {
    const parts = splitTagPath((req.params as { '*'?: string })['*'] ?? '', '');
    if (!parts) throw new AppError('not_found', 'There is nothing at this address.');
    const lang = languageOf(req, reply);
    const path = tagPath(parts.repository, parts.tag);
    try {
      const { repository, report } = await tagStatusFromInventory(ctx.db, ctx.policy, parts.repository, parts.tag, publishedAdvisoriesFor(ctx));
      const asOf = (await listInventoryRepositories(ctx.db)).find((r) => r.name === repository)?.lastSuccessAt ?? null;
      const apiPath = `/api/v1/images/${repository}/tags/${report.tag}/status`;
      return sendPage(reply, <TagStatusPage {...base(lang, path)} repository={repository} report={report} asOf={asOf} apiPath={apiPath} />);
    } catch (e) {
      const why = tagStatusProblem(e);
      if (why === null) throw e;
      const message = imageWords[lang].problems[why](parts.repository.slice(0, 300), parts.tag.slice(0, 200));
      const known = policyRepository(ctx.policy, parts.repository) ?? undefined;
      const status = why === 'bad-repository' || why === 'bad-tag' ? 400 : 404;
      return sendPage(reply, <ImagesPage {...base(lang, path)} repository={known} tag={why === 'bad-tag' ? undefined : parts.tag} problem={message} />, status);
    }
  });
}
