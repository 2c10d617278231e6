/**
 * `cvdesk images sync` and the scheduled sync: for each image repository of the policy, list the
 * registry's tags and store each tag's digest, fetching manifest and config only for digests the
 * inventory does not hold yet. A tag already stored costs one HEAD; a new tag one GET (its digest
 * comes with it); a new digest its config blob (and, for an index, one platform image).
 */
import type { Logger } from 'pino';
import type { Db } from '../../adapters/db/open-database.js';
import type { ManifestResult, RegistryClient } from '../../adapters/registry/index.js';
import type { Registries } from '../../adapters/registry/registries.js';
import { parseNormalizedNamed } from '../../domain/images/index.js';
import type { Policy } from '../../domain/policy/schema.js';
import { AppError, isAppError } from '../errors.js';
import { manifestRecord, type ManifestRecord } from './manifest-record.js';
import { commitSync, recordSyncFailure, recordSyncStart, storedInventory } from './store-sync.js';

export interface SyncSummary {
  id: string;
  repository: string;
  status: 'succeeded' | 'failed';
  /** Tags the registry lists (0 when the listing failed). */
  tags: number;
  added: number;
  changed: number;
  removed: number;
  /** New digests whose manifest and config were fetched. */
  manifestsFetched: number;
  error: string | null;
  startedAt: string;
  finishedAt: string;
}

export type SyncProgress =
  | { repository: string; phase: 'listing' }
  | { repository: string; phase: 'checking'; done: number; total: number }
  | { repository: string; phase: 'done'; summary: SyncSummary };

export interface SyncDeps {
  db: Db;
  policy: Pick<Policy, 'project'>;
  registries: Registries;
  clock: () => Date;
  newId: () => string;
  log?: Pick<Logger, 'error'>;
}

export interface SyncInput {
  /** One repository of the policy, as it is named there; all of them when absent. */
  repository?: string;
  onProgress?: (p: SyncProgress) => void;
  /** Tags worked on at once; the client's own limit caps the requests in flight. */
  width?: number;
}

/** Syncs each repository in turn; one that fails is recorded as failed and the others still sync. */
export async function syncImages(deps: SyncDeps, input: SyncInput = {}): Promise<SyncSummary[]> {
  const out: SyncSummary[] = [];
  for (const name of repositoriesToSync(deps.policy, input.repository)) {
    const summary = await syncRepository(deps, name, input);
    input.onProgress?.({ repository: name, phase: 'done', summary });
    out.push(summary);
  }
  return out;
}

/**
 * The scheduled sync: every repository of the policy. Throws when one failed (after the others
 * synced), so the task's run records which and why.
 */
export async function syncImagesOnSchedule(deps: SyncDeps): Promise<SyncSummary[]> {
  const out = await syncImages(deps);
  const failed = out.filter((s) => s.status === 'failed');
  if (failed.length) throw new Error(failed.map((f) => `${f.repository}: ${f.error}`).join('; '));
  return out;
}

/** The policy's repositories, or the one named (which the policy must name). */
export function repositoriesToSync(policy: Pick<Policy, 'project'>, repository?: string): string[] {
  const names = policy.project.images.map((i) => i.name);
  if (repository === undefined) return names;
  if (!names.includes(repository)) {
    const known = names.length ? `it names ${names.join(', ')}` : 'it names none (project.images)';
    throw new AppError('invalid_input', `${repository.slice(0, 300)} is not an image repository of the policy: ${known}`);
  }
  return [repository];
}

/** registry host and repository path of a policy's image name (docker.io/nginx → library/nginx). */
export function locate(name: string): { host: string; path: string } {
  const parsed = parseNormalizedNamed(name);
  if (!parsed.ok || parsed.ref.tag !== undefined || parsed.ref.digest !== undefined) {
    throw new AppError('invalid_input', `${name.slice(0, 300)} is not a repository name${parsed.ok ? '' : `: ${parsed.message}`}`);
  }
  return { host: parsed.ref.domain, path: parsed.ref.path };
}

export async function syncRepository(deps: SyncDeps, repository: string, input: Pick<SyncInput, 'onProgress' | 'width'> = {}): Promise<SyncSummary> {
  const id = deps.newId();
  const startedAt = deps.clock();
  await recordSyncStart(deps.db, { id, repository, startedAt });
  let tagsTotal = 0;
  const fetched = new Map<string, Promise<ManifestRecord>>();
  try {
    const { host, path } = locate(repository);
    const client = deps.registries.client(host);
    input.onProgress?.({ repository, phase: 'listing' });
    const tags = await client.listTags(path);
    tagsTotal = tags.length;
    const stored = await storedInventory(deps.db, repository);
    const found = await digestsOf(client, path, tags, stored, fetched, (done) => input.onProgress?.({ repository, phase: 'checking', done, total: tags.length }), input.width ?? 16);
    const manifests = await Promise.all(fetched.values());
    const finishedAt = deps.clock();
    const changes = await commitSync(deps.db, { id, repository, found, manifests, manifestsFetched: fetched.size, finishedAt });
    return summary({ id, repository, status: 'succeeded', tags: found.size, ...changes, manifestsFetched: fetched.size, error: null, startedAt, finishedAt });
  } catch (e) {
    const error = isAppError(e) ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    if (!isAppError(e)) deps.log?.error({ err: e, repository }, 'image sync failed unexpectedly');
    const finishedAt = deps.clock();
    await recordSyncFailure(deps.db, { id, repository, error, finishedAt, tagsTotal, manifestsFetched: fetched.size });
    return summary({ id, repository, status: 'failed', tags: tagsTotal, added: 0, changed: 0, removed: 0, manifestsFetched: fetched.size, error, startedAt, finishedAt });
  }
}

function summary(s: Omit<SyncSummary, 'startedAt' | 'finishedAt'> & { startedAt: Date; finishedAt: Date }): SyncSummary {
  return { ...s, startedAt: s.startedAt.toISOString(), finishedAt: s.finishedAt.toISOString() };
}

/**
 * tag → digest for every listed tag, `width` tags at a time. The first error stops new work and is
 * thrown once the tags in progress have settled (nothing is left running behind the caller). A tag
 * that vanished between the listing and its request is left out, as the next listing would.
 */
async function digestsOf(
  client: RegistryClient,
  repo: string,
  tags: string[],
  stored: { tags: Map<string, string>; digests: Set<string> },
  fetched: Map<string, Promise<ManifestRecord>>,
  progress: (done: number) => void,
  width: number,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let next = 0;
  let done = 0;
  let failure: unknown = null;
  const recordFor = (digest: string, first: () => Promise<ManifestResult>) => {
    if (stored.digests.has(digest)) return;
    if (!fetched.has(digest)) {
      const p = first().then((m) => manifestRecord(client, repo, m));
      p.catch(() => {}); // awaited (and its error reported) by the tag that started it
      fetched.set(digest, p);
    }
    return fetched.get(digest);
  };
  const one = async (tag: string) => {
    try {
      if (stored.tags.has(tag)) {
        const head = await client.headManifest(repo, tag);
        found.set(tag, head.digest);
        await recordFor(head.digest, () => client.getManifest(repo, head.digest));
      } else {
        const m = await client.getManifest(repo, tag);
        found.set(tag, m.digest);
        await recordFor(m.digest, async () => m);
      }
    } catch (e) {
      if (isAppError(e) && e.code === 'not_found' && !found.has(tag)) return;
      throw e;
    }
  };
  const worker = async () => {
    while (failure === null && next < tags.length) {
      const tag = tags[next++]!;
      try {
        await one(tag);
      } catch (e) {
        failure ??= e;
      }
      progress(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, tags.length)) }, worker));
  if (failure !== null) throw failure;
  return found;
}
