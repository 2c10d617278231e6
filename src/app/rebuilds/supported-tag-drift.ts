/**
 * The drift of every supported tag of the policy's image repositories, as the rebuild job sees it:
 * tags and recorded bases from the inventory (kept by `cvdesk images sync`), support from the
 * policy's rule (rolling tags resolved by digest), and the base's current digest from its registry.
 * Tags that share a recorded base are checked with one request.
 */
import type { Context } from '../../context.js';
import { applySupportRule, type TagKind } from '../../domain/images/index.js';
import { checkDrift, type DriftResult, type RecordedBase } from '../images/check-drift.js';
import { listInventoryRepositories, listInventoryTags } from '../images/inventory.js';

export type TagDriftStatus = DriftResult['status'] | 'error';

/** One supported tag as the run found it (stored in rebuild_runs.tags). */
export interface TagDrift {
  repository: string;
  tag: string;
  kind: TagKind;
  digest: string;
  status: TagDriftStatus;
  baseName: string | null;
  recordedBaseDigest: string | null;
  currentBaseDigest: string | null;
  /** Why this status, in a sentence (for 'error': what could not be read). */
  reason: string;
}

/** What the run knew of a repository (stored in rebuild_runs.repositories). */
export interface RepositoryCheck {
  name: string;
  /** Tags in the inventory, and how many of them the policy supports. */
  tags: number;
  supported: number;
  lastSuccessAt: string | null;
  /** Something the team should know: never synced, last sync failed. */
  note: string | null;
}

export type DriftChecker = (registries: Context['registries'], recorded: RecordedBase) => Promise<DriftResult>;

export async function supportedTagDrift(deps: Pick<Context, 'db' | 'policy' | 'registries'>, check: DriftChecker = checkDrift): Promise<{ repositories: RepositoryCheck[]; tags: TagDrift[] }> {
  const synced = new Map((await listInventoryRepositories(deps.db)).map((r) => [r.name, r]));
  const checks = new Map<string, Promise<DriftResult | { error: string }>>();
  const checkOnce = (recorded: RecordedBase) => {
    const key = `${recorded.baseName ?? ''}\n${recorded.recordedBaseDigest ?? ''}`;
    let p = checks.get(key);
    if (!p) {
      p = check(deps.registries, recorded).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
      checks.set(key, p);
    }
    return p;
  };

  const repositories: RepositoryCheck[] = [];
  const pending: Promise<TagDrift>[] = [];
  for (const image of deps.policy.project.images) {
    const inventory = await listInventoryTags(deps.db, image.name);
    const byTag = new Map(inventory.map((t) => [t.tag, t]));
    const statuses = applySupportRule(
      inventory.map((t) => t.tag),
      deps.policy.tags,
      deps.policy.support,
      Object.fromEntries(inventory.map((t) => [t.tag, t.digest])),
    );
    const supported = statuses.filter((s) => s.receivesAdvisories);
    const repo = synced.get(image.name);
    repositories.push({
      name: image.name,
      tags: inventory.length,
      supported: supported.length,
      lastSuccessAt: repo?.lastSuccessAt?.toISOString() ?? null,
      note: !repo?.lastSuccessAt
        ? 'Not in the inventory yet: no sync of this repository has succeeded (cvdesk images sync), so none of its tags were checked.'
        : repo.lastError
          ? `The last sync failed (${repo.lastError}); the tags checked are those of the sync of ${repo.lastSuccessAt.toISOString()}.`
          : null,
    });
    for (const s of supported) {
      const t = byTag.get(s.tag)!;
      const recorded: RecordedBase = { baseName: t.baseName, recordedBaseDigest: t.baseDigest };
      pending.push(
        checkOnce(recorded).then((r): TagDrift => {
          const common = { repository: image.name, tag: t.tag, kind: s.kind, digest: t.digest };
          if ('error' in r) return { ...common, status: 'error', baseName: t.baseName, recordedBaseDigest: t.baseDigest, currentBaseDigest: null, reason: r.error };
          return { ...common, status: r.status, baseName: r.baseName, recordedBaseDigest: r.recordedBaseDigest, currentBaseDigest: r.currentBaseDigest, reason: r.reason };
        }),
      );
    }
  }
  return { repositories, tags: await Promise.all(pending) };
}

/** "5 supported tags: 3 up to date, 1 rebuild needed, 1 unknown". */
export function driftCounts(tags: readonly TagDrift[]): string {
  if (tags.length === 0) return 'no supported tag in the inventory';
  const n = (s: TagDriftStatus) => tags.filter((t) => t.status === s).length;
  const parts = [
    [n('up-to-date'), 'up to date'],
    [n('rebuild-needed'), 'rebuild needed'],
    [n('unknown'), 'unknown (no base recorded)'],
    [n('error'), 'could not be checked'],
  ]
    .filter(([c]) => (c as number) > 0)
    .map(([c, w]) => `${c} ${w}`);
  return `${tags.length} supported ${tags.length === 1 ? 'tag' : 'tags'}: ${parts.join(', ')}`;
}
