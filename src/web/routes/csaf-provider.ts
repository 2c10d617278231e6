import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../app/errors.js';
import { loadPublicAdvisories } from '../../app/advisories/public-advisories.js';
import { csafFilesOf, deskSigningKey, type CsafFiles } from '../../app/advisories/public-outputs.js';
import type { Context } from '../../context.js';
import { changesCsv, indexTxt, providerMetadata, ROLIE_FEED_FILE, rolieFeed, rolieService, stringifyJson, TLP_FOLDER } from '../../formats/csaf-provider.js';

const CACHE = 'public, max-age=300';
const FILE = /^([a-z0-9+_-]+\.json)(\.sha256|\.sha512|\.asc)?$/;

/**
 * The CSAF 2.0 provider at /.well-known/csaf/ (CSAF 2.0 section 7): provider-metadata.json, the
 * TLP:WHITE folder with its year folders, index.txt, changes.csv and ROLIE feed, the ROLIE service
 * document, and the signing key. Only published (and withdrawn) advisories are here.
 */
export async function registerCsafProvider(app: FastifyInstance, ctx: Context): Promise<void> {
  const root = '/.well-known/csaf';
  const json = (reply: FastifyReply, body: unknown) => reply.type('application/json; charset=utf-8').header('cache-control', CACHE).send(stringifyJson(body));
  const text = (reply: FastifyReply, type: string, body: string) => reply.type(`${type}; charset=utf-8`).header('cache-control', CACHE).send(body);

  async function provider() {
    const all = await loadPublicAdvisories(ctx);
    const providerUrl = all.publication.providerUrl;
    if (!providerUrl) throw new AppError('internal', 'the desk has no CSAF provider address');
    const files = await csafFilesOf(ctx, all);
    const updated = files.map((f) => f.doc.currentRelease).sort().at(-1) ?? null;
    return { all, providerUrl, files, updated };
  }

  app.get(`${root}/provider-metadata.json`, async (_req, reply) => {
    const { all, providerUrl, updated } = await provider();
    const key = await deskSigningKey(ctx);
    // Without a published document, the provider's metadata is as old as the desk's address: a fixed date keeps the file stable.
    const lastUpdated = updated ?? '2000-01-01T00:00:00Z';
    return json(reply, providerMetadata({ providerUrl, publisher: all.publication.publisher, lastUpdated, key: key ? { fingerprint: key.fingerprint } : null }));
  });

  app.get(`${root}/service.json`, async (_req, reply) => {
    const { all, providerUrl } = await provider();
    return json(reply, rolieService({ providerUrl, publisherName: all.publication.publisher.name }));
  });

  app.get(`${root}/${TLP_FOLDER}/index.txt`, async (_req, reply) => text(reply, 'text/plain', indexTxt((await provider()).files.map((f) => f.doc))));
  app.get(`${root}/${TLP_FOLDER}/changes.csv`, async (_req, reply) => text(reply, 'text/csv', changesCsv((await provider()).files.map((f) => f.doc))));

  app.get(`${root}/${TLP_FOLDER}/${ROLIE_FEED_FILE}`, async (_req, reply) => {
    const { all, providerUrl, files, updated } = await provider();
    const signed = (await deskSigningKey(ctx)) !== null;
    return json(reply, rolieFeed({ providerUrl, publisherName: all.publication.publisher.name, docs: files.map((f) => f.doc), updated: updated ?? '2000-01-01T00:00:00Z', signed }));
  });

  app.get(`${root}/${TLP_FOLDER}/:year/:file`, async (req, reply) => {
    const { year, file } = req.params as { year: string; file: string };
    const m = FILE.exec(file);
    if (!/^\d{4}$/.test(year) || !m) throw new AppError('not_found', 'There is nothing at this address.');
    const { files } = await provider();
    const found: CsafFiles | undefined = files.find((f) => f.doc.path === `${year}/${m[1]}`);
    if (!found) throw new AppError('not_found', 'There is no such CSAF document.');
    switch (m[2]) {
      case undefined:
        return reply.type('application/json; charset=utf-8').header('cache-control', CACHE).send(found.json);
      case '.sha256':
        return text(reply, 'text/plain', found.sha256);
      case '.sha512':
        return text(reply, 'text/plain', found.sha512);
      default:
        if (found.asc === null) throw new AppError('not_found', 'The desk has no signing key, so its CSAF documents carry no signature.');
        return reply.type('application/pgp-signature').header('cache-control', CACHE).send(found.asc);
    }
  });

  app.get(`${root}/openpgp/:file`, async (req, reply) => {
    const key = await deskSigningKey(ctx);
    if (!key || (req.params as { file: string }).file.toUpperCase() !== `${key.fingerprint}.ASC`) throw new AppError('not_found', 'There is no such key.');
    return reply.type('application/pgp-keys').header('cache-control', CACHE).send(key.publicKey);
  });
}
