/**
 * The files of a CSAF 2.0 provider (CSAF 2.0 section 7) beside the documents themselves: the
 * provider-metadata.json (requirement 7), the directory distribution's index.txt and changes.csv
 * (requirements 11–13: one folder per year under the TLP folder), and the ROLIE service document
 * and feed (requirements 15–16). Pure: the desk passes the documents, the key and the dates.
 *
 * Layout, as BSI's csaf_checker reads it:
 *   <provider>/provider-metadata.json
 *   <provider>/service.json                       ROLIE service document
 *   <provider>/openpgp/<FINGERPRINT>.asc          the signing key (when there is one)
 *   <provider>/white/index.txt                    "2026/cvdesk-2026-0001.json" a line
 *   <provider>/white/changes.csv                  "2026/cvdesk-2026-0001.json","2026-11-25T10:00:00Z", newest first
 *   <provider>/white/csaf-feed-tlp-white.json     ROLIE feed
 *   <provider>/white/<year>/<file>.json (+ .sha256, .sha512, .asc)
 */

export const CSAF_SCHEMA_URL = 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json';
const ROLIE_INFORMATION_TYPE = 'urn:ietf:params:rolie:category:information-type';

/** Every document the desk publishes is TLP:WHITE (CSAF 2.0 knows WHITE, GREEN, AMBER, RED). */
export const TLP_LABEL = 'WHITE';
export const TLP_FOLDER = 'white';
export const ROLIE_FEED_FILE = `csaf-feed-tlp-${TLP_FOLDER}.json`;

export interface ProviderDocument {
  /** The document's tracking id, e.g. CVDESK-2026-0001. */
  trackingId: string;
  title: string;
  /** Path inside the TLP folder: "2026/cvdesk-2026-0001.json" (the year of the initial release). */
  path: string;
  initialRelease: string;
  currentRelease: string;
}

export interface ProviderKey {
  /** The OpenPGP fingerprint, hex, upper case. */
  fingerprint: string;
}

export interface ProviderPublisher {
  name: string;
  namespace: string;
  category?: 'vendor' | 'coordinator' | 'discoverer' | 'other' | 'translator' | 'user';
  contactDetails?: string;
}

const trim = (u: string): string => u.replace(/\/+$/, '');

/** The folder's files: <provider>/white/… */
export const tlpFolderUrl = (providerUrl: string): string => `${trim(providerUrl)}/${TLP_FOLDER}`;
export const keyUrl = (providerUrl: string, fingerprint: string): string => `${trim(providerUrl)}/openpgp/${fingerprint.toUpperCase()}.asc`;
export const serviceUrl = (providerUrl: string): string => `${trim(providerUrl)}/service.json`;
export const feedUrl = (providerUrl: string): string => `${tlpFolderUrl(providerUrl)}/${ROLIE_FEED_FILE}`;
export const metadataUrl = (providerUrl: string): string => `${trim(providerUrl)}/provider-metadata.json`;
export const documentFileUrl = (providerUrl: string, doc: Pick<ProviderDocument, 'path'>): string => `${tlpFolderUrl(providerUrl)}/${doc.path}`;

/**
 * The role is what the desk can honestly claim: a trusted provider (requirements 18–20) signs every
 * document and publishes its key; without a signing key the desk is a plain csaf_provider and lists
 * no key. (Requirement 3, TLS, is the deployment's: serve the desk over https.)
 */
export function providerMetadata(input: {
  providerUrl: string;
  publisher: ProviderPublisher;
  lastUpdated: string;
  key: ProviderKey | null;
}): Record<string, unknown> {
  const { providerUrl, publisher, key } = input;
  return {
    canonical_url: metadataUrl(providerUrl),
    distributions: [
      {
        directory_url: `${tlpFolderUrl(providerUrl)}/`,
        rolie: {
          feeds: [{ summary: `All TLP:${TLP_LABEL} advisories of ${publisher.name}.`, tlp_label: TLP_LABEL, url: feedUrl(providerUrl) }],
          services: [serviceUrl(providerUrl)],
        },
      },
    ],
    last_updated: input.lastUpdated,
    list_on_CSAF_aggregators: true,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: true,
    public_openpgp_keys: key ? [{ fingerprint: key.fingerprint.toUpperCase(), url: keyUrl(providerUrl, key.fingerprint) }] : [],
    publisher: {
      category: publisher.category ?? 'vendor',
      ...(publisher.contactDetails ? { contact_details: publisher.contactDetails } : {}),
      name: publisher.name,
      namespace: publisher.namespace,
    },
    role: key ? 'csaf_trusted_provider' : 'csaf_provider',
  };
}

const byPath = (a: ProviderDocument, b: ProviderDocument): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
const newestFirst = (a: ProviderDocument, b: ProviderDocument): number => b.currentRelease.localeCompare(a.currentRelease) || byPath(a, b);

/** index.txt: every document's path relative to the folder, one a line. */
export const indexTxt = (docs: readonly ProviderDocument[]): string => [...docs].sort(byPath).map((d) => `${d.path}\n`).join('');

const csvField = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** changes.csv: "path","current release date" a line, the most recently changed first. */
export const changesCsv = (docs: readonly ProviderDocument[]): string =>
  [...docs]
    .sort(newestFirst)
    .map((d) => `${csvField(d.path)},${csvField(d.currentRelease)}\n`)
    .join('');

/** The ROLIE feed of the TLP folder: one entry per document with its hashes and (when signed) signature. */
export function rolieFeed(input: { providerUrl: string; publisherName: string; docs: readonly ProviderDocument[]; updated: string; signed: boolean }): Record<string, unknown> {
  const { providerUrl } = input;
  return {
    feed: {
      id: `${input.publisherName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-csaf-feed-tlp-${TLP_FOLDER}`,
      title: `${input.publisherName}: CSAF feed (TLP:${TLP_LABEL})`,
      link: [
        { rel: 'self', href: feedUrl(providerUrl) },
        { rel: 'service', href: serviceUrl(providerUrl) },
      ],
      category: [{ scheme: ROLIE_INFORMATION_TYPE, term: 'csaf' }],
      updated: input.updated,
      entry: [...input.docs].sort(newestFirst).map((d) => {
        const url = documentFileUrl(providerUrl, d);
        return {
          id: d.trackingId,
          title: d.title,
          link: [
            { rel: 'self', href: url },
            { rel: 'hash', href: `${url}.sha256` },
            { rel: 'hash', href: `${url}.sha512` },
            ...(input.signed ? [{ rel: 'signature', href: `${url}.asc` }] : []),
          ],
          published: d.initialRelease,
          updated: d.currentRelease,
          content: { type: 'application/json', src: url },
          format: { schema: CSAF_SCHEMA_URL, version: '2.0' },
        };
      }),
    },
  };
}

/** The ROLIE service document that names the feed. */
export function rolieService(input: { providerUrl: string; publisherName: string }): Record<string, unknown> {
  return {
    service: {
      workspace: [
        {
          title: `CSAF advisories of ${input.publisherName}`,
          collection: [
            {
              title: `CSAF feed (TLP:${TLP_LABEL})`,
              href: feedUrl(input.providerUrl),
              categories: { category: [{ scheme: ROLIE_INFORMATION_TYPE, term: 'csaf' }] },
            },
          ],
        },
      ],
    },
  };
}

/** The checksum file's line, as sha256sum writes it: "<hex>  <file name>". */
export const checksumLine = (hex: string, fileName: string): string => `${hex}  ${fileName}\n`;

export const stringifyJson = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
