/**
 * The published advisories that affect one image tag, for the tag status API and the public
 * /images pages: published advisories only (a withdrawn one affects nothing), matched on the
 * resolved products, the tag by name or the image by digest (an old image of a tag that has since
 * been rebuilt is still affected).
 *
 * A frozen revision is found through its affected images (advisory_affected, written when it was
 * frozen), so a request reads the few advisories that match, not every published one. An advisory
 * published before freezing and not frozen yet (the publish job freezes them) is matched on its
 * resolution as the public pages show it.
 */
import type { Db } from '../../adapters/db/open-database.js';
import { advisorySeverity } from '../../domain/advisories/view.js';
import type { AdvisoriesFor } from '../images/tag-status.js';
import type { TagAdvisory } from '../../domain/images/tag-report.js';
import { storedAdvisory } from './advisory-facts.js';
import { unfrozenIdents } from './freeze-advisory.js';
import { loadPublicAdvisories, type PublicDeps } from './public-advisories.js';

export function publishedAdvisoriesFor(deps: PublicDeps): AdvisoriesFor {
  return async (repository, tag, digest) => {
    const url = (ident: string) => new URL(`advisories/${ident}`, deps.config.baseUrl.toString()).toString();
    const found = await frozenMatches(deps.db, repository, tag, digest);
    const out: Array<TagAdvisory & { publishedAt: Date }> = found.map((r) => {
      const advisory = storedAdvisory(r);
      const severity = advisorySeverity(advisory);
      return { id: r.ident, title: advisory.title, severity: severity === 'none' ? null : severity, url: url(r.ident), publishedAt: r.published_at };
    });
    if ((await unfrozenIdents(deps.db, ['published'], 1)).length > 0) {
      const { advisories } = await loadPublicAdvisories(deps);
      for (const a of advisories) {
        if (a.frozen || a.state !== 'published') continue;
        if (!a.view.images.some((i) => i.name === repository && i.affected.some((p) => p.tag === tag || (digest !== null && p.digest === digest)))) continue;
        out.push({ id: a.ident, title: a.advisory.title, severity: a.view.severity === 'none' ? null : a.view.severity, url: url(a.ident), publishedAt: a.publishedAt });
      }
    }
    // newest publication first, as the advisory index lists them
    return out.sort((x, y) => y.publishedAt.getTime() - x.publishedAt.getTime() || y.id.localeCompare(x.id)).map(({ publishedAt: _, ...a }) => a);
  };
}

/** The published advisories whose current, frozen revision affects the tag or the image. */
async function frozenMatches(db: Db, repository: string, tag: string, digest: string | null) {
  const hits = await db
    .selectFrom('advisory_affected')
    .select(['advisory_id', 'revision'])
    .distinct()
    .where('repository', '=', repository)
    .where((eb) => (digest === null ? eb('tag', '=', tag) : eb.or([eb('tag', '=', tag), eb('digest', '=', digest)])))
    .execute();
  if (hits.length === 0) return [];
  const rows = await db
    .selectFrom('advisories')
    .select(['id', 'ident', 'document', 'revision', 'published_at'])
    .where('state', '=', 'published')
    .where(
      'id',
      'in',
      hits.map((h) => h.advisory_id),
    )
    .execute();
  // an older revision's products are not the advisory's any more
  const current = new Set(hits.map((h) => `${h.advisory_id} ${h.revision}`));
  return rows.filter((r) => current.has(`${r.id} ${r.revision}`)).map((r) => ({ ...r, published_at: r.published_at! }));
}
