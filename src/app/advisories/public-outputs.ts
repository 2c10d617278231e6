/**
 * What the desk serves of a published advisory besides its page: the model document as JSON, the
 * OSV record, and the CSAF documents (the csaf_security_advisory and a csaf_vex per upstream
 * vulnerability) with the files a CSAF provider puts beside each (.sha256, .sha512, and the
 * detached OpenPGP signature .asc when the desk has a signing key). The texts are the ones frozen
 * at publication (freeze-advisory.ts); an advisory not frozen yet is rendered from its view. Made
 * once per fingerprint of the advisory (see public-advisories.ts) and kept.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../adapters/db/open-database.js';
import { readSigningKey, signDetached, type SigningKey } from '../../adapters/pgp/detached-sign.js';
import type { Context } from '../../context.js';
import { csafFileName } from '../../formats/csaf.js';
import { checksumLine, type ProviderDocument } from '../../formats/csaf-provider.js';
import { renderOsv, stringifyOsv } from '../../formats/osv.js';
import { AppError } from '../errors.js';
import { renderPublicDocuments, snapshotInventories, withInventories, type FrozenDocument } from './freeze-advisory.js';
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

const csafCache = new Map<string, Promise<CsafFiles[]>>();
const CACHE_LIMIT = 2000;

interface TrackingPart {
  document: { title: string; tracking: { id: string; initial_release_date: string; current_release_date: string } };
}

/** Where a CSAF document lives in the provider's TLP folder: read from its own tracking id and initial release. */
function placeOf(json: string): { doc: ProviderDocument; fileName: string } {
  const { title, tracking } = (JSON.parse(json) as TrackingPart).document;
  const fileName = csafFileName(tracking.id);
  return {
    doc: { trackingId: tracking.id, title, path: `${tracking.initial_release_date.slice(0, 4)}/${fileName}`, initialRelease: tracking.initial_release_date, currentRelease: tracking.current_release_date },
    fileName,
  };
}

/** The provider documents of one advisory (its csaf_security_advisory, then its csaf_vex documents), for links to them. */
export const csafDocumentsOfAdvisory = (a: PublishedAdvisory, publication: PublicAdvisories['publication']): ProviderDocument[] => csafDocumentsOf(a, publication).map((d) => placeOf(d.json).doc);

/**
 * One document's provider files; its place and dates are read from the text itself, as a checker
 * reads them. The signature is made when first asked for (openpgp salts every signature, so another
 * desk process signs the same frozen bytes with a different, equally valid .asc).
 */
async function filesOf(frozen: FrozenDocument, key: SigningKey | null, clock: () => Date): Promise<CsafFiles> {
  const { json } = frozen;
  const { doc, fileName } = placeOf(json);
  const asc = key ? await signDetached(new TextEncoder().encode(json), key, clock()) : null;
  return {
    doc,
    fileName,
    json,
    sha256: checksumLine(sha('sha256', json), fileName),
    sha512: checksumLine(sha('sha512', json), fileName),
    asc,
  };
}

/** The CSAF documents of one advisory: as frozen at publication, else rendered now. */
const csafDocumentsOf = (a: PublishedAdvisory, publication: PublicAdvisories['publication']): FrozenDocument[] => a.frozen?.csaf ?? renderPublicDocuments(a.view, publication).csaf;

/** The CSAF files of every public advisory: its csaf_security_advisory, then its csaf_vex documents. */
export async function csafFilesOf(deps: OutputDeps, all: PublicAdvisories): Promise<CsafFiles[]> {
  const { providerUrl } = all.publication;
  if (!providerUrl) throw new AppError('internal', 'the desk has no CSAF provider address');
  const key = await deskSigningKey(deps);
  const perAdvisory = await Promise.all(
    all.advisories.map((a) => {
      const cacheKey = `${a.fingerprint} ${key?.fingerprint ?? 'unsigned'} ${providerUrl}`;
      let files = csafCache.get(cacheKey);
      if (!files) {
        if (csafCache.size >= CACHE_LIMIT) csafCache.delete(csafCache.keys().next().value as string);
        files = Promise.resolve()
          .then(() => csafDocumentsOf(a, all.publication))
          .then((docs) => Promise.all(docs.map((d) => filesOf(d, key, deps.clock))));
        files.catch(() => csafCache.delete(cacheKey));
        csafCache.set(cacheKey, files);
      }
      return files;
    }),
  );
  return perAdvisory.flat();
}

/** The OSV record of an advisory, as JSON text. */
export const osvJsonOf = (a: PublishedAdvisory): string => a.frozen?.osv ?? stringifyOsv(renderOsv(a.view));

/** The model document as published (what an advisory file holds, with the inventory it was resolved against). */
export async function documentJsonOf(db: Db, a: PublishedAdvisory): Promise<string> {
  const advisory = a.inventorySnapshots ? withInventories(a.advisory, Object.fromEntries((await snapshotInventories(db, a.inventorySnapshots)).map((s) => [s.repository, s.tags]))) : a.advisory;
  return `${JSON.stringify(advisory, null, 2)}\n`;
}
