/**
 * The published advisories that affect one image tag, for the tag status API and the public
 * /images pages. Read through loadPublicAdvisories only (published and withdrawn advisories; a
 * withdrawn one affects nothing), matched on the resolved products: the tag by name, or the image
 * by digest (an old image of a tag that has since been rebuilt is still affected).
 */
import type { AdvisoriesFor } from '../images/tag-status.js';
import { loadPublicAdvisories, type PublicDeps } from './public-advisories.js';

export function publishedAdvisoriesFor(deps: PublicDeps): AdvisoriesFor {
  return async (repository, tag, digest) => {
    const { advisories } = await loadPublicAdvisories(deps);
    const base = deps.config.baseUrl.toString();
    return advisories
      .filter((a) => a.state === 'published')
      .filter((a) => a.view.images.some((i) => i.name === repository && i.affected.some((p) => p.tag === tag || (digest !== null && p.digest === digest))))
      .map((a) => ({ id: a.ident, title: a.advisory.title, severity: a.view.severity === 'none' ? null : a.view.severity, url: new URL(`advisories/${a.ident}`, base).toString() }));
  };
}
