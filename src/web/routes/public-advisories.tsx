import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../app/errors.js';
import { findPublicAdvisory, loadPublicAdvisories } from '../../app/advisories/public-advisories.js';
import { advisoriesAtom } from '../../app/advisories/public-feed.js';
import { csafDocumentsOfAdvisory, documentJsonOf, osvJsonOf } from '../../app/advisories/public-outputs.js';
import type { Context } from '../../context.js';
import { publicationOf } from '../../domain/advisories/publication.js';
import { offeredLanguages, pickLanguage, type UiLanguage } from '../i18n/languages.js';
import { sendPage } from '../render.js';
import { AdvisoriesPage, AdvisoryPage } from '../views/advisories-page.js';
import { SubscribeCard } from '../views/subscription-pages.js';

const IDENT = /^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+$/;
const FIVE_MINUTES = 'public, max-age=300';

/**
 * The published advisories: /advisories (index), /advisories/<ident> (page), .json (the model
 * document as published), .osv.json (OSV) and /advisories.atom. Everything comes from
 * listPublicAdvisories through loadPublicAdvisories: a draft or scheduled advisory is not there.
 */
export async function registerPublicAdvisories(app: FastifyInstance, ctx: Context): Promise<void> {
  const offered = offeredLanguages(ctx.policy.languages);
  const languageOf = (req: FastifyRequest, reply: FastifyReply): UiLanguage => {
    const lang = pickLanguage(req, offered);
    reply.header('content-language', lang).header('vary', 'Accept-Language, Cookie');
    return lang;
  };
  const base = (lang: UiLanguage, path: string) => ({ policy: ctx.policy, lang, offered, path });
  const publication = publicationOf(ctx.policy, ctx.config.baseUrl.toString());
  const providerUrl = publication.providerUrl;

  app.get('/advisories', async (req, reply) => {
    const lang = languageOf(req, reply);
    const all = await loadPublicAdvisories(ctx);
    const subscribe = ctx.config.mail.url !== null ? <SubscribeCard lang={lang} /> : undefined;
    return sendPage(reply, <AdvisoriesPage {...base(lang, '/advisories')} advisories={all.advisories} subscribe={subscribe} />);
  });

  app.get('/advisories.atom', async (_req, reply) => {
    const all = await loadPublicAdvisories(ctx);
    return reply.type('application/atom+xml; charset=utf-8').header('cache-control', FIVE_MINUTES).send(advisoriesAtom(all, ctx.config.baseUrl.toString(), ctx.clock()));
  });

  app.get('/advisories/:name', async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const format = name.endsWith('.osv.json') ? 'osv' : name.endsWith('.json') ? 'json' : 'page';
    const ident = name.replace(/(\.osv)?\.json$/, '');
    if (!IDENT.test(ident)) throw new AppError('not_found', 'There is no such advisory.');
    const advisory = await findPublicAdvisory(ctx, ident);
    if (!advisory) throw new AppError('not_found', 'There is no such advisory.');
    const canonical = `/advisories/${advisory.ident}${format === 'osv' ? '.osv.json' : format === 'json' ? '.json' : ''}`;
    if (canonical !== `/advisories/${name}`) return reply.redirect(canonical, 301);
    if (format === 'osv') return reply.type('application/json; charset=utf-8').header('cache-control', FIVE_MINUTES).send(osvJsonOf(advisory));
    if (format === 'json') return reply.type('application/json; charset=utf-8').header('cache-control', FIVE_MINUTES).send(await documentJsonOf(ctx.db, advisory));
    const lang = languageOf(req, reply);
    return sendPage(reply, <AdvisoryPage {...base(lang, canonical)} advisory={advisory} providerUrl={providerUrl} csafDocuments={providerUrl ? csafDocumentsOfAdvisory(advisory, publication) : []} />);
  });
}
