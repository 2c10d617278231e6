import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../context.js';
import { offeredLanguages, pickLanguage, type UiLanguage } from '../i18n/languages.js';
import { sendPage } from '../render.js';
import { HomePage, type PublicPageProps } from '../views/home-page.js';
import { PolicyPage } from '../views/policy-page.js';

const YEAR_SECONDS = 365 * 24 * 3600;

/** The public home page and the security policy page, in the visitor's choice of the policy's languages. */
export async function registerPublicPages(app: FastifyInstance, ctx: Context): Promise<void> {
  const offered = offeredLanguages(ctx.policy.languages);
  const baseUrl = ctx.config.baseUrl.toString();
  const https = ctx.config.baseUrl.protocol === 'https:';

  /** The page's language; a choice made with ?lang= is remembered for the visitor's next pages (the lang cookie pickLanguage reads). */
  function languageOf(req: FastifyRequest, reply: FastifyReply): UiLanguage {
    const lang = pickLanguage(req, offered);
    const asked = (req.query as Record<string, unknown> | undefined)?.lang;
    if (offered.length > 1 && asked === lang && req.cookies.lang !== lang) {
      reply.setCookie('lang', lang, { path: '/', sameSite: 'lax', httpOnly: true, secure: https, maxAge: YEAR_SECONDS });
    }
    reply.header('content-language', lang).header('vary', 'Accept-Language, Cookie');
    return lang;
  }
  const props = (lang: UiLanguage): PublicPageProps => ({ policy: ctx.policy, lang, offered, baseUrl });

  app.get('/', async (req, reply) => sendPage(reply, <HomePage {...props(languageOf(req, reply))} />));
  app.get('/policy', async (req, reply) => sendPage(reply, <PolicyPage {...props(languageOf(req, reply))} />));
}
