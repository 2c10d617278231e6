/**
 * What the desk serves of a published advisory besides its page: the model document as JSON, the
 * OSV record, and the CSAF document with the files a CSAF provider puts beside it (.sha256,
 * .sha512, and the detached OpenPGP signature .asc when the desk has a signing key). Made once per
 * fingerprint of the advisory (see public-advisories.ts) and kept.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSigningKey, signDetached, type SigningKey } from '../../adapters/pgp/detached-sign.js';
import type { Context } from '../../context.js';
import { csafFileName, renderCsafAdvisory, stringifyCsaf } from '../../formats/csaf.js';
import { checksumLine, type ProviderDocument } from '../../formats/csaf-provider.js';
import { renderOsv, stringifyOsv } from '../../formats/osv.js';
import { AppError } from '../errors.js';
import type { PublicAdvisories, PublishedAdvisory } from './public-advisories.js';

export type OutputDeps = Pick<Context, 'signingKey' | 'config' | 'log' | 'clock'>;

export interface CsafFiles {
  /** Where it lives in the TLP folder: 2026/cvdesk-2026-0001.json */
  doc: ProviderDocument;
  fileName: string;
  json: string;
  sha256: string;
  sha512: string;
  /** null without a signing key. */
  asc: string | null;
}

const sha = (algorithm: 'sha256' | 'sha512', s: string): string => createHash(algorithm).update(s, 'utf8').digest('hex');

let version: string | undefined;
function cvdeskVersion(): string {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'package.json');
  return (version ??= (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version);
}

const keys = new WeakMap<object, Promise<SigningKey | null>>();

/** The desk's signing key, read once per context; null when none is configured. */
export function deskSigningKey(deps: OutputDeps): Promise<SigningKey | null> {
  const armored = deps.signingKey;
  if (armored === null) return Promise.resolve(null);
  let key = keys.get(deps.config);
  if (!key) {
    key = readSigningKey(armored, deps.config.signingKeyPassphrase ?? undefined).catch((e: Error) => {
      keys.delete(deps.config);
      // the message of openpgp names no secret; the passphrase is never part of it
      throw new AppError('internal', `cannot use CVDESK_SIGNING_KEY_FILE to sign CSAF documents: ${e.message}`);
    });
    keys.set(deps.config, key);
  }
  return key;
}

const csafCache = new Map<string, Promise<CsafFiles>>();
const CACHE_LIMIT = 2000;

async function makeCsaf(deps: OutputDeps, a: PublishedAdvisory, providerUrl: string, publisher: PublicAdvisories['publication']['publisher'], key: SigningKey | null): Promise<CsafFiles> {
  const view = a.view;
  // Dated by the advisory, not by the request: the same revision renders the same bytes.
  const doc = renderCsafAdvisory(view, { now: new Date(view.currentRelease), publisher, providerUrl, generator: { name: 'cvdesk', version: cvdeskVersion() } });
  const json = stringifyCsaf(doc);
  const fileName = csafFileName(a.advisory.id);
  const asc = key ? await signDetached(new TextEncoder().encode(json), key, deps.clock()) : null;
  return {
    doc: { trackingId: a.advisory.id, title: String(doc.document.title), path: `${view.initialRelease.slice(0, 4)}/${fileName}`, initialRelease: view.initialRelease, currentRelease: view.currentRelease },
    fileName,
    json,
    sha256: checksumLine(sha('sha256', json), fileName),
    sha512: checksumLine(sha('sha512', json), fileName),
    asc,
  };
}

/** The CSAF files of every public advisory. */
export async function csafFilesOf(deps: OutputDeps, all: PublicAdvisories): Promise<CsafFiles[]> {
  const { providerUrl, publisher } = all.publication;
  if (!providerUrl) throw new AppError('internal', 'the desk has no CSAF provider address');
  const key = await deskSigningKey(deps);
  return Promise.all(
    all.advisories.map((a) => {
      const cacheKey = `${a.fingerprint} ${key?.fingerprint ?? 'unsigned'} ${providerUrl}`;
      let files = csafCache.get(cacheKey);
      if (!files) {
        if (csafCache.size >= CACHE_LIMIT) csafCache.delete(csafCache.keys().next().value as string);
        files = makeCsaf(deps, a, providerUrl, publisher, key);
        files.catch(() => csafCache.delete(cacheKey));
        csafCache.set(cacheKey, files);
      }
      return files;
    }),
  );
}

/** The OSV record of an advisory, as JSON text. */
export const osvJsonOf = (a: PublishedAdvisory): string => stringifyOsv(renderOsv(a.view));

/** The model document as published (what an advisory file holds, with the inventory it was resolved against). */
export const documentJsonOf = (a: PublishedAdvisory): string => `${JSON.stringify(a.advisory, null, 2)}\n`;
