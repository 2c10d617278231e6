/**
 * The Atom feed of the public advisories (/advisories.atom): one entry per advisory, updated with
 * each revision, its summary and what to do, linked to its page.
 */
import { remedySentence } from '../../formats/advisory-text.js';
import { renderAtom, type AtomEntry } from '../../formats/atom.js';
import { severityWord } from '../../domain/advisories/view.js';
import type { PublicAdvisories, PublishedAdvisory } from './public-advisories.js';

function content(a: PublishedAdvisory): string {
  const lines = [a.advisory.summary, ''];
  if (a.advisory.withdrawn) lines.unshift(`Withdrawn on ${a.advisory.withdrawn.date.slice(0, 10)}: ${a.advisory.withdrawn.reason}`, '');
  lines.push(`Severity: ${severityWord(a.view.severity)}${a.view.score ? ` (CVSS ${a.view.score.toFixed(1)})` : ''}`);
  if (a.advisory.aliases.length) lines.push(`Aliases: ${a.advisory.aliases.join(', ')}`);
  for (const image of a.view.images) for (const p of image.affected) lines.push(`${image.name}:${p.tag} (${p.digest}): ${remedySentence(image.name, p.remedy)}`);
  return lines.join('\n');
}

export function advisoriesAtom(all: PublicAdvisories, siteUrl: string, now: Date): string {
  const site = siteUrl.replace(/\/+$/, '');
  const project = all.publication.project.name;
  const entries: AtomEntry[] = all.advisories.map((a) => ({
    id: `${site}/advisories/${a.ident}`,
    title: `${a.ident}${a.state === 'withdrawn' ? ' (withdrawn)' : ''}: ${a.advisory.title}`,
    updated: a.view.currentRelease,
    published: a.view.initialRelease,
    links: [
      { href: `${site}/advisories/${a.ident}`, type: 'text/html' },
      { href: `${site}/advisories/${a.ident}.osv.json`, rel: 'related', type: 'application/json' },
    ],
    categories: [{ term: a.view.severity, label: severityWord(a.view.severity) }],
    summary: a.advisory.summary,
    content: content(a),
  }));
  return renderAtom({
    id: `${site}/advisories`,
    title: `Security advisories of ${project}`,
    updated: all.lastChange ?? now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    links: [
      { href: `${site}/advisories.atom`, rel: 'self', type: 'application/atom+xml' },
      { href: `${site}/advisories`, type: 'text/html' },
    ],
    author: { name: all.publication.publisher.name, uri: all.publication.publisher.namespace },
    generator: { name: 'cvdesk' },
    entries,
  });
}
