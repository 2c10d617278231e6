/**
 * An advisory as HTML: `advisoryArticle` is the <article> the desk's pages embed, and
 * `renderAdvisoryHtmlPage` a standalone page (`cvdesk advisory render --format html`). Every string
 * goes through preact, which escapes it; the Markdown fields go through the desk's Markdown subset,
 * which keeps only http(s)/mailto links. The standalone page has no script and no style at all, and
 * its own Content-Security-Policy says so.
 */
import { h, type ComponentChildren, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { ResolvedImage } from '../domain/advisories/resolve.js';
import { severityWord, type AdvisoryView } from '../domain/advisories/view.js';
import { CREDIT_ROLE, day, notAffectedText, remedySentence, scopeText } from './advisory-text.js';
import { cvssLine } from './advisory-markdown.js';
import { safeHref } from './markdown/parse-markdown.js';
import { renderMarkdown } from './markdown/render-markdown.js';

const PAGE_CSP = "default-src 'none'; img-src 'none'; style-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'";

const link = (url: string, text: string): ComponentChildren => {
  const href = safeHref(url);
  return href ? h('a', { href, rel: 'noopener noreferrer' }, text) : text;
};

function facts(view: AdvisoryView): VNode {
  const a = view.advisory;
  const rows: Array<[string, ComponentChildren]> = [
    ['Advisory', h('code', null, a.id)],
    ['Severity', severityWord(view.severity)],
  ];
  if (view.cvss31) rows.push(['CVSS 3.1', cvssLine(view.cvss31)]);
  if (view.cvss40) rows.push(['CVSS 4.0', cvssLine(view.cvss40)]);
  if (view.cwes.length) rows.push(['Weakness', view.cwes.map((c) => `${c.id}: ${c.name}`).join('; ')]);
  if (a.aliases.length) rows.push(['Aliases', a.aliases.join(', ')]);
  if (a.upstream.length) rows.push(['Upstream', a.upstream.join(', ')]);
  if (a.component) rows.push(['Component', `${a.component.name}${a.component.purl ? ` (${a.component.purl})` : ''}${a.component.fixedVersion ? `, fixed in ${a.component.fixedVersion}` : ''}`]);
  rows.push(['Published', h('time', { dateTime: view.initialRelease }, day(view.initialRelease))]);
  rows.push(['Updated', [h('time', { dateTime: view.currentRelease }, day(view.currentRelease)), ` (version ${view.version})`]]);
  rows.push(['Status', a.withdrawn ? 'withdrawn' : a.status]);
  return h('dl', null, ...rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

function table(caption: string, head: string[], rows: ComponentChildren[][]): VNode {
  return h(
    'table',
    null,
    h('caption', null, caption),
    h('thead', null, h('tr', null, ...head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, ...rows.map((r) => h('tr', null, ...r.map((c, k) => (k === 0 ? h('th', { scope: 'row' }, c) : h('td', null, c)))))),
  );
}

function imageSection(i: ResolvedImage): VNode {
  const code = (s: string) => h('code', null, s);
  return h(
    'section',
    null,
    h('h3', null, i.name),
    i.affected.length ? table(`Affected images of ${i.name}`, ['Tag', 'Digest', 'What to do'], i.affected.map((p) => [code(p.tag), code(p.digest), remedySentence(i.name, p.remedy)])) : null,
    i.fixed.length ? table(`Fixed images of ${i.name}`, ['Tag', 'Digest'], i.fixed.map((p) => [code(p.tag), code(p.digest)])) : null,
    i.notAffected.length
      ? table(`Images of ${i.name} that are not affected`, ['Tag', 'Digest', 'Why'], i.notAffected.map((p) => [code(p.tag), code(p.digest), notAffectedText(p.justification, p.statement)]))
      : null,
  );
}

/** The advisory as an <article>, for a page of the desk or the standalone page. */
export function advisoryArticle(view: AdvisoryView): VNode<{ lang: string }> {
  const a = view.advisory;
  const section = (title: string, ...children: ComponentChildren[]) => h('section', null, h('h2', null, title), ...children);
  return h(
    'article',
    { lang: a.lang },
    h('h1', null, a.title),
    a.withdrawn ? h('p', { role: 'note' }, h('strong', null, 'Withdrawn'), ` on ${day(a.withdrawn.date)}: ${a.withdrawn.reason}`) : null,
    h('p', null, a.summary),
    facts(view),
    section('Affected images', ...view.images.map(imageSection), h('p', null, scopeText(view))),
    a.remediation || a.workarounds.length
      ? section(
          'What else to do',
          ...(a.remediation ? renderMarkdown(a.remediation) : []),
          ...(a.workarounds.length ? [h('p', null, 'Workarounds, until you can move:'), h('ul', null, ...a.workarounds.map((w) => h('li', null, ...renderMarkdown(w))))] : []),
        )
      : null,
    section('Details', ...renderMarkdown(a.details)),
    a.references.length ? section('References', h('ul', null, ...a.references.map((r) => h('li', null, link(r.url, r.summary ?? r.url))))) : null,
    a.credits.length
      ? section(
          'Credits',
          h('ul', null, ...a.credits.map((c) => h('li', null, `${c.name}${c.organization ? ` (${c.organization})` : ''}: ${CREDIT_ROLE[c.type]}`, ...c.contact.flatMap((u) => [' ', link(u, u)])))),
        )
      : null,
    section('Revision history', table('Revisions', ['Version', 'Date', 'Summary'], view.revisions.map((r) => [r.number, h('time', { dateTime: r.date }, day(r.date)), r.summary]))),
  );
}

/** A standalone HTML page: no script, no style, no external resource. */
export function renderAdvisoryHtmlPage(view: AdvisoryView): string {
  const a = view.advisory;
  const page = h(
    'html',
    { lang: a.lang },
    h(
      'head',
      null,
      h('meta', { charSet: 'utf-8' }),
      h('meta', { httpEquiv: 'Content-Security-Policy', content: PAGE_CSP }),
      h('meta', { name: 'referrer', content: 'no-referrer' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('title', null, `${a.id}: ${a.title}`),
    ),
    h('body', null, h('main', null, advisoryArticle(view)), h('footer', null, h('p', null, 'Published by ', link(view.project.url, view.project.name), '.'))),
  );
  return `<!DOCTYPE html>\n${renderToString(page)}\n`;
}
