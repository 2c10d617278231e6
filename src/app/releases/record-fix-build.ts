import type { Context } from '../../context.js';
import { conflict, invalid, lockFixedReport, recordReleaseEvent, saveRelease, type ReleaseOutcome } from './release-row.js';

export interface FixBuildInput {
  reportId: string;
  actorId: string;
  /** An image repository as the policy names it (docker.io/mautic/mautic). */
  repository: string;
  tag: string;
}

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

/** The OCI distribution grammar of a tag. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/**
 * Links a fixed report to the image build that carries its fix: a tag from the image inventory,
 * with the digest the inventory holds for that tag now (tags move; the digest is what shipped).
 * A later call replaces the build until the report has shipped.
 */
export async function recordFixBuild(deps: Deps, input: FixBuildInput): Promise<ReleaseOutcome> {
  const repository = input.repository.trim();
  const tag = input.tag.trim();
  if (repository === '') return invalid('choose the image repository of the fix build', 'repository');
  if (tag === '') return invalid('name the tag of the fix build', 'tag');
  if (!TAG.test(tag)) return invalid(`"${tag.slice(0, 140)}" is not an image tag (letters, digits, "_", "." and "-", at most 128)`, 'tag');
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const locked = await lockFixedReport(trx, input.reportId);
    if ('notFixed' in locked) return conflict(locked.notFixed);
    const { report, release } = locked;
    if (release?.shipped_at) return conflict(`report #${report.number} has shipped already (${release.shipped_date}); its fix build stays as recorded`);
    const known = deps.policy.project.images.some((i) => i.name === repository) || (await trx.selectFrom('image_repositories').select('name').where('name', '=', repository).executeTakeFirst()) !== undefined;
    if (!known) return invalid(`${repository.slice(0, 300)} is not an image repository of the policy`, 'repository');
    const row = await trx.selectFrom('image_tags').select('digest').where('repository', '=', repository).where('tag', '=', tag).executeTakeFirst();
    if (!row) {
      const synced = await trx.selectFrom('image_repositories').select('last_success_at').where('name', '=', repository).executeTakeFirst();
      const when = synced?.last_success_at ? `the last sync was ${synced.last_success_at.toISOString()}` : 'it has not been synced yet';
      return invalid(`the image inventory has no tag "${tag}" in ${repository} (${when}); sync the images (cvdesk images sync) once the build is pushed`, 'tag');
    }
    if (release?.build_repository === repository && release.build_tag === tag && release.build_digest === row.digest) return { ok: true as const };
    await saveRelease(trx, report.id, { build_repository: repository, build_tag: tag, build_digest: row.digest, build_recorded_at: now, build_recorded_by: input.actorId }, now);
    const data = {
      repository,
      tag,
      digest: row.digest,
      ...(release?.build_tag ? { replaced: { repository: release.build_repository, tag: release.build_tag, digest: release.build_digest } } : {}),
    };
    await recordReleaseEvent(trx, { reportId: report.id, actorId: input.actorId, kind: 'release_fix_build', data }, now);
    return { ok: true as const };
  });
}
