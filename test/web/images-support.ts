/**
 * For the image API and page tests: a policy naming image repositories (one on Docker Hub, one on
 * a local registry) and inventory rows written the way `cvdesk images sync` stores them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../src/adapters/db/open-database.js';

export const MAUTIC = 'docker.io/mautic/mautic';

/** A policy file with the Mautic support rule and these image repositories; returns its path. */
export function writeImagesPolicy(images: string[], languages = ['en', 'de']): string {
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-images-policy-'));
  const file = join(dir, 'policy.yaml');
  writeFileSync(
    file,
    `version: 1
project:
  name: Mautic Docker image
  url: https://mautic.example/
  images:
${images.map((n) => `    - name: ${n}`).join('\n')}
languages: [${languages.join(', ')}]
contacts:
  - type: web-form
scope:
  inScope: [The Mautic Docker image]
sla:
  acknowledge: 24 hours
securityTxt:
  canonical: [https://mautic.example/.well-known/security.txt]
tags:
  variants: [apache, fpm]
support:
  supportedMajors: [5, 6]
  latestMinorOnly: true
  prereleases: false
`,
  );
  return file;
}

export const digestOf = (c: string) => `sha256:${c.repeat(64).slice(0, 64)}`;

/** The repository's tags (tag → digest) as a successful sync leaves them. */
export async function insertInventory(db: Db, repository: string, tags: Record<string, string>, at = new Date('2026-11-23T11:00:00Z')): Promise<void> {
  await db.insertInto('image_repositories').values({ name: repository, last_sync_at: at, last_success_at: at, last_error: null }).execute();
  const digests = [...new Set(Object.values(tags))];
  for (const digest of digests) {
    await db
      .insertInto('image_manifests')
      .values({ repository, digest, media_type: 'application/vnd.oci.image.index.v1+json', platforms: '["linux/amd64","linux/arm64/v8"]', created: at, revision: null, version: null, base_name: null, base_digest: null, fetched_at: at })
      .execute();
  }
  for (const [tag, digest] of Object.entries(tags)) {
    await db.insertInto('image_tags').values({ repository, tag, digest, first_seen_at: at, changed_at: at, seen_at: at }).execute();
  }
}

/** Mautic-like tags: 5-apache still carries the 5.1.9-apache image; latest is 6.0.0. */
export const MAUTIC_TAGS: Record<string, string> = {
  '4.4.13-apache': digestOf('4'),
  '5.1.9-apache': digestOf('a'),
  '5-apache': digestOf('a'),
  '5.2.0-apache': digestOf('b'),
  '5.2.1-apache': digestOf('c'),
  '5.2-apache': digestOf('c'),
  '5.2.1-fpm': digestOf('d'),
  '6.0.0-apache': digestOf('e'),
  '6.0.0': digestOf('f'),
  latest: digestOf('f'),
  '6.1.0-rc1-apache': digestOf('9'),
};
