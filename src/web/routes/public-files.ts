import type { FastifyInstance } from 'fastify';
import { deskPublicKey } from '../../app/desk-public-key.js';
import { AppError } from '../../app/errors.js';
import { servedSecurityTxt } from '../../app/served-security-txt.js';
import type { Context } from '../../context.js';
import { renderSecurityMd } from '../../formats/security-md/render-security-md.js';
import { offeredLanguages, pickLanguage } from '../i18n/languages.js';
import { OPENPGP_BROWSER_PATH, openpgpBrowserBuild } from '../vendor-assets.js';

/** Where the desk serves its public key, and the policy's keyUrl too when that points at the desk itself. */
export const DESK_KEY_PATH = '/openpgp-key.asc';
const KEY_FILE = /^\/[A-Za-z0-9._~/-]+\.(asc|gpg|key|pgp)$/;

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

  // The key reporters' browsers encrypt to: only the policy's key (deskPublicKey says none otherwise).
  const keyUrl = ctx.policy.openpgp ? new URL(ctx.policy.openpgp.keyUrl) : null;
  const keyPaths = [DESK_KEY_PATH, ...(keyUrl && keyUrl.origin === ctx.config.baseUrl.origin && KEY_FILE.test(keyUrl.pathname) && keyUrl.pathname !== DESK_KEY_PATH ? [keyUrl.pathname] : [])];
  for (const path of keyPaths) {
    app.get(path, async (_req, reply) => {
      const key = await deskPublicKey(ctx);
      if (!key) throw new AppError('not_found', 'This desk publishes no OpenPGP key.');
      return reply.type('application/pgp-keys').header('cache-control', 'public, max-age=3600').send(key.armored);
    });
  }
  app.get(OPENPGP_BROWSER_PATH, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(openpgpBrowserBuild()),
  );
}
