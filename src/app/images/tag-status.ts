/**
 * The status of one image tag under the policy: kind, digest, whether it receives advisories, the
 * advisories that affect it and the tag to move to. Read straight from the registry (the CLI, no
 * desk needed) or from the desk's inventory (the API and the public page).
 */
import type { Db } from '../../adapters/db/open-database.js';
import type { Registries } from '../../adapters/registry/registries.js';
import { tagRegexp } from '../../domain/images/reference-grammar.js';
import { parseNormalizedNamed } from '../../domain/images/reference-normalize.js';
import { referenceName } from '../../domain/images/reference.js';
import { rollingCandidates, tagReport, type TagAdvisory, type TagReport } from '../../domain/images/tag-report.js';
import type { SupportRule, TagScheme } from '../../domain/images/tag-types.js';
import { AppError, isAppError } from '../errors.js';
import { repositoryTags } from './repository-tags.js';

export type { TagAdvisory, TagReport } from '../../domain/images/tag-report.js';

/**
 * The advisories that affect a tag. On a public surface it must return published advisories only
 * (src/app/advisories/advisories-for-tag.ts).
 */
export type AdvisoriesFor = (repository: string, tag: string, digest: string | null) => Promise<TagAdvisory[]>;

/** Without a desk (the CLI reading a registry): no advisory is known to affect any tag. */
export const noAdvisoryStore: AdvisoriesFor = async () => [];

/** What of the policy the tag status needs. */
export interface TagPolicy {
  tags: TagScheme;
  support: SupportRule;
  project: { images: readonly { name: string }[] };
}

export interface TagStatusResult {
  /** The full repository name: registry host and path (as the policy writes it, for the inventory). */
  repository: string;
  report: TagReport;
}

/** Why the inventory has no answer; in an AppError's details as { problem }, for pages that word it themselves. */
export type TagStatusProblem = 'bad-repository' | 'bad-tag' | 'not-in-policy' | 'not-synced' | 'no-such-tag';

const problem = (code: 'invalid_input' | 'not_found', why: TagStatusProblem, message: string) => new AppError(code, message, { problem: why });

/** The problem of an AppError from tagStatusFromInventory, if it is one. */
export function tagStatusProblem(e: unknown): TagStatusProblem | null {
  const details = isAppError(e) ? (e.details as { problem?: unknown } | undefined) : undefined;
  const why = details && typeof details === 'object' && !Array.isArray(details) ? details.problem : undefined;
  return typeof why === 'string' && ['bad-repository', 'bad-tag', 'not-in-policy', 'not-synced', 'no-such-tag'].includes(why) ? (why as TagStatusProblem) : null;
}

/** When a rolling tag's target is searched by digest, at most this many tags are asked about. */
export const MAX_ROLLING_PROBES = 25;

/** docker.io/library/php, 127.0.0.1:5000/acme/app; familiar names allowed. Null when not a repository name. */
export function normalizeRepository(name: string): string | null {
  const parsed = parseNormalizedNamed(name);
  if (!parsed.ok || parsed.ref.tag || parsed.ref.digest || parsed.ref.path === '') return null;
  return referenceName(parsed.ref);
}

/** The policy's name of a repository (given in any spelling that normalizes the same), or null. */
export function policyRepository(policy: TagPolicy, name: string): string | null {
  const wanted = normalizeRepository(name);
  if (wanted === null) return null;
  return policy.project.images.find((i) => normalizeRepository(i.name) === wanted)?.name ?? null;
}

const badTag = (tag: string) => `"${tag.slice(0, 200)}" is not an image tag (letters, digits, _ . -, at most 128, not starting with . or -)`;

/**
 * From the inventory: only repositories of the policy. An unknown repository or tag is not_found;
 * a malformed one is invalid_input.
 */
export async function tagStatusFromInventory(db: Db, policy: TagPolicy, repository: string, tag: string, advisoriesFor: AdvisoriesFor = noAdvisoryStore): Promise<TagStatusResult> {
  if (normalizeRepository(repository) === null) throw problem('invalid_input', 'bad-repository', `"${repository.slice(0, 300)}" is not a repository name such as docker.io/mautic/mautic`);
  if (!tagRegexp.test(tag)) throw problem('invalid_input', 'bad-tag', badTag(tag));
  const name = policyRepository(policy, repository);
  if (name === null) throw problem('not_found', 'not-in-policy', `${repository} is not one of the image repositories of this policy`);
  const tags = await repositoryTags(db, policy, name);
  if (tags === null) throw problem('not_found', 'not-synced', `no tags of ${name} are known yet: the inventory has not been synced`);
  if (!tags.has(tag)) throw problem('not_found', 'no-such-tag', `${name} has no tag ${tag}`);
  const advisories = await advisoriesFor(name, tag, tags.digestOf(tag));
  return { repository: name, report: tags.report(tag, advisories) };
}

/**
 * Straight from the registry: the tag list, one HEAD for the tag's digest, and for a rolling tag
 * HEADs of the tags it may point to, most likely first, until one has the same digest.
 * `ref` is an image reference (familiar names allowed; no tag means latest).
 */
export async function tagStatusFromRegistry(registries: Registries, policy: Pick<TagPolicy, 'tags' | 'support'>, ref: string, advisoriesFor: AdvisoriesFor = noAdvisoryStore): Promise<TagStatusResult> {
  const parsed = parseNormalizedNamed(ref);
  if (!parsed.ok) throw new AppError('invalid_input', `"${ref.slice(0, 300)}" is not an image reference: ${parsed.message}`);
  if (parsed.ref.digest) throw new AppError('invalid_input', `${ref} names a digest: the status is of a tag, so give repository:tag`);
  const { domain, path } = parsed.ref;
  const tag = parsed.ref.tag ?? 'latest';
  const repository = referenceName(parsed.ref);
  const client = registries.client(domain);
  const tags = await client.listTags(path);
  if (!tags.includes(tag)) throw new AppError('not_found', `registry ${client.registry} has no tag ${tag} in ${path}`);
  const { digest } = await client.headManifest(path, tag);
  const digestByTag: Record<string, string> = { [tag]: digest };
  for (const candidate of rollingCandidates(tag, tags, policy.tags).slice(0, MAX_ROLLING_PROBES)) {
    const head = await client.headManifest(path, candidate).catch((e: unknown) => {
      // a tag deleted since the list was read points nowhere; any other fault is the answer
      if (isAppError(e) && e.code === 'not_found') return null;
      throw e;
    });
    if (!head) continue;
    digestByTag[candidate] = head.digest;
    if (head.digest === digest) break;
  }
  const advisories = await advisoriesFor(repository, tag, digest);
  return { repository, report: tagReport({ tags, digestByTag, scheme: policy.tags, rule: policy.support, tag, advisories }) };
}
