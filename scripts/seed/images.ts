import type { Insertable } from 'kysely';
import { sha256Hex } from '../../src/app/audit.js';
import type { ImageManifestsTable, ImageTagsTable } from '../../src/adapters/db/tables.js';
import type { Random } from './random.js';

/** One release of the seeded image line: M.m.p with its tags (plain and per variant) and their digests. */
export interface SeededVersion {
  repository: string;
  version: string;
  major: number;
  minor: number;
  patch: number;
  /** tag → digest, the plain tag first. */
  tags: Array<{ tag: string; digest: string }>;
  created: Date;
}

export interface SeededInventory {
  tags: Array<Insertable<ImageTagsTable>>;
  manifests: Array<Insertable<ImageManifestsTable>>;
  /** Releases in version order, per repository. */
  versions: Map<string, SeededVersion[]>;
}

const digestOf = (text: string) => `sha256:${sha256Hex(text)}`;
const DAY = 86_400_000;

/**
 * What `cvdesk images sync` would have stored for the policy's repositories, `total` tags in all:
 * releases M.m.p across nine majors, each as a plain tag and one per variant of the policy (the
 * plain tag is the first variant's image, as Mautic's 5.2.1 is 5.2.1-apache), release candidates,
 * and the rolling tags (M, M.m, per variant, and the aliases) on the newest release they track.
 * Created dates spread over the two years before `now`, oldest release first.
 */
export function seedInventory(rnd: Random, input: { repositories: readonly string[]; variants: readonly string[]; aliases: readonly string[]; total: number; now: Date }): SeededInventory {
  const tags: Array<Insertable<ImageTagsTable>> = [];
  const manifests: Array<Insertable<ImageManifestsTable>> = [];
  const versions = new Map<string, SeededVersion[]>();
  const repos = input.repositories;
  const variants = input.variants.length > 0 ? input.variants : [];
  const perRelease = 1 + variants.length;
  for (const [r, repository] of repos.entries()) {
    const budget = Math.floor(input.total / repos.length) + (r < input.total % repos.length ? 1 : 0);
    // rolling tags (M and M.m, plain and per variant, and the aliases) are reserved first; releases take the rest
    const approx = Math.max(1, Math.floor(budget / (perRelease + 0.2)));
    const majors = Math.min(9, Math.max(6, Math.ceil(approx / 12)));
    const minors = Math.max(1, Math.round(Math.sqrt(approx / majors)));
    const reserved = Math.min(budget - 1, (majors * (1 + minors) + input.aliases.length) * perRelease);
    const releases = Math.max(1, Math.floor((budget - reserved) / (perRelease + 0.2)));
    const list: SeededVersion[] = [];
    const spanStart = input.now.getTime() - 730 * DAY;
    const count = releases;
    const stored: Array<Insertable<ImageTagsTable>> = [];
    const add = (tag: string, digest: string, at: Date, limit = budget) => {
      if (stored.length >= limit) return false;
      stored.push({ repository, tag, digest, first_seen_at: at, changed_at: at, seen_at: input.now });
      return true;
    };
    const manifest = (digest: string, version: string, variant: string | null, at: Date) =>
      manifests.push({
        repository,
        digest,
        media_type: 'application/vnd.oci.image.index.v1+json',
        platforms: JSON.stringify(rnd.chance(0.7) ? ['linux/amd64', 'linux/arm64'] : ['linux/amd64']),
        created: at,
        revision: sha256Hex(`${repository}:${version}:rev`).slice(0, 40),
        version,
        base_name: `docker.io/library/php:8.${1 + (Number(version.split('.')[0]) % 3)}-${variant ?? variants[0] ?? 'bookworm'}`,
        base_digest: digestOf(`base:${version}:${variant ?? ''}`),
        fetched_at: at,
      });
    // the releases spread evenly over the majors; within a major, minors of about equal length
    const perMajor = Math.ceil(count / majors);
    const patches = Math.max(1, Math.ceil(perMajor / minors));
    for (let i = 0; i < count; i++) {
      const M = 1 + Math.floor((i * majors) / count);
      const j = i - Math.ceil(((M - 1) * count) / majors);
      const m = Math.floor(j / patches);
      const p = j % patches;
      const version = `${M}.${m}.${p}`;
      const created = new Date(spanStart + Math.floor((i / count) * 720 * DAY) + rnd.int(0, 12) * 3_600_000);
      const entry: SeededVersion = { repository, version, major: M, minor: m, patch: p, tags: [], created };
      const variantDigests = variants.map((v) => digestOf(`${repository}:${version}-${v}`));
      const plainDigest = variantDigests[0] ?? digestOf(`${repository}:${version}`);
      if (!variants.length) manifest(plainDigest, version, null, created);
      variants.forEach((v, k) => manifest(variantDigests[k]!, version, v, created));
      for (const [tag, digest] of [[version, plainDigest] as const, ...variants.map((v, k) => [`${version}-${v}`, variantDigests[k]!] as const)]) {
        if (add(tag, digest, created, budget - reserved)) entry.tags.push({ tag, digest });
      }
      // a release candidate before every fifth release
      const rc = digestOf(`${repository}:${version}-rc1`);
      const rcAt = new Date(created.getTime() - 7 * DAY);
      if (p % 5 === 0 && variants[0] && add(`${version}-rc1-${variants[0]}`, rc, rcAt, budget - reserved)) manifest(rc, `${version}-rc1`, variants[0], rcAt);
      if (entry.tags.length) list.push(entry);
    }
    versions.set(repository, list);
    // rolling tags on the newest release they track: M, M.m (each with variants), then the aliases
    const newest = new Map<string, SeededVersion>();
    for (const v of list) {
      newest.set(`${v.major}`, v);
      newest.set(`${v.major}.${v.minor}`, v);
    }
    const last = list.at(-1);
    const rolling: Array<[string, SeededVersion]> = [...newest.entries(), ...(last ? input.aliases.map((a): [string, SeededVersion] => [a, last]) : [])];
    for (const [name, v] of rolling) {
      const digestFor = (i: number) => v.tags[i]?.digest ?? v.tags[0]!.digest;
      add(name, digestFor(0), v.created);
      variants.forEach((variant, i) => add(`${name}-${variant}`, digestFor(i + 1), v.created));
    }
    // what the reservation left: beta tags of the releases, oldest first, until the repository holds its share
    for (let i = 0; stored.length < budget && i < list.length; i++) {
      const v = list[i]!;
      const digest = digestOf(`${repository}:${v.version}-beta1`);
      add(`${v.version}-beta1${variants[0] ? `-${variants[0]}` : ''}`, digest, new Date(v.created.getTime() - 14 * DAY));
      manifest(digest, `${v.version}-beta1`, variants[0] ?? null, new Date(v.created.getTime() - 14 * DAY));
    }
    tags.push(...stored);
  }
  return { tags, manifests: dedupe(manifests), versions };
}

function dedupe(manifests: Array<Insertable<ImageManifestsTable>>): Array<Insertable<ImageManifestsTable>> {
  const seen = new Set<string>();
  return manifests.filter((m) => {
    const key = `${m.repository}@${m.digest}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
