import type { FastifyInstance } from 'fastify';
import { servedSecurityTxt } from '../../app/served-security-txt.js';
import type { Context } from '../../context.js';
import { renderSecurityMd } from '../../formats/security-md/render-security-md.js';
import { offeredLanguages, pickLanguage } from '../i18n/languages.js';

/** The policy's published files: security.txt (RFC 9116 §3: both paths) and SECURITY.md. */
export async function registerPublicFiles(app: FastifyInstance, ctx: Context): Promise<void> {
  const securityTxt = async () => (await servedSecurityTxt(ctx)).text;
  for (const path of ['/.well-known/security.txt', '/security.txt']) {
    app.get(path, async (_req, reply) => reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(await securityTxt()));
  }
  const offered = offeredLanguages(ctx.policy.languages);
  app.get('/SECURITY.md', async (req, reply) => {
    const lang = pickLanguage(req, offered);
    return reply
      .type('text/markdown; charset=utf-8')
      .header('content-language', lang)
      .header('vary', 'Accept-Language, Cookie')
      .send(renderSecurityMd(ctx.policy, { baseUrl: ctx.config.baseUrl.toString(), lang }));
  });
}
