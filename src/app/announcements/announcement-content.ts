import type { Context } from '../../context.js';
import { publicationOf } from '../../domain/advisories/publication.js';
import { announcementOf, type Announcement } from '../../formats/announcement.js';
import { csafDocumentUrl } from '../../formats/csaf.js';
import { findPublicAdvisory } from '../advisories/public-advisories.js';

type Deps = Pick<Context, 'db' | 'policy' | 'config' | 'log'>;

/**
 * What the announcement of an advisory says, read only through the public advisories (published
 * and withdrawn ones): null unless the advisory is published and not withdrawn. Mail and webhooks
 * are made from this when they go out, so nothing of a draft or a scheduled advisory can be in them.
 */
export async function publishedAnnouncement(deps: Deps, ident: string): Promise<Announcement | null> {
  const advisory = await findPublicAdvisory(deps, ident);
  if (!advisory || advisory.state !== 'published') return null;
  const base = deps.config.baseUrl.toString();
  const url = (path: string) => new URL(path, base).toString();
  const providerUrl = publicationOf(deps.policy, base).providerUrl;
  return announcementOf(advisory.view, {
    html: url(`/advisories/${advisory.ident}`),
    json: url(`/advisories/${advisory.ident}.json`),
    osv: url(`/advisories/${advisory.ident}.osv.json`),
    csaf: providerUrl ? csafDocumentUrl(providerUrl, advisory.advisory.id, advisory.view.initialRelease) : null,
  });
}
