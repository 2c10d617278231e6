/**
 * Atom 1.0 feeds (RFC 4287). Pure: every date is an argument. Text is escaped for XML, and
 * characters XML 1.0 cannot carry at all are dropped (a feed with one would not parse).
 */

export interface AtomLink {
  href: string;
  rel?: 'alternate' | 'self' | 'related' | 'enclosure' | 'via';
  type?: string;
  hreflang?: string;
}

export interface AtomEntry {
  /** A permanent IRI: the entry's page address works. */
  id: string;
  title: string;
  updated: string;
  published?: string;
  links: AtomLink[];
  /** Plain text. */
  summary?: string;
  /** Plain text lines; rendered as type="text". */
  content?: string;
  categories?: Array<{ term: string; label?: string; scheme?: string }>;
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  updated: string;
  links: AtomLink[];
  author: { name: string; uri?: string };
  generator?: { name: string; version?: string; uri?: string };
  entries: AtomEntry[];
}

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export const escapeXml = (s: string): string =>
  s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

const attrs = (o: Record<string, string | undefined>): string =>
  Object.entries(o)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');

const el = (name: string, text: string, indent: string, a: Record<string, string | undefined> = {}): string => `${indent}<${name}${attrs(a)}>${escapeXml(text)}</${name}>\n`;
const link = (l: AtomLink, indent: string): string => `${indent}<link${attrs({ rel: l.rel ?? 'alternate', type: l.type, hreflang: l.hreflang, href: l.href })}/>\n`;

function entry(e: AtomEntry): string {
  const i = '    ';
  return [
    '  <entry>\n',
    el('id', e.id, i),
    el('title', e.title, i, { type: 'text' }),
    el('updated', e.updated, i),
    e.published ? el('published', e.published, i) : '',
    ...e.links.map((l) => link(l, i)),
    ...(e.categories ?? []).map((c) => `${i}<category${attrs({ term: c.term, label: c.label, scheme: c.scheme })}/>\n`),
    e.summary ? el('summary', e.summary, i, { type: 'text' }) : '',
    e.content ? el('content', e.content, i, { type: 'text' }) : '',
    '  </entry>\n',
  ].join('');
}

export function renderAtom(feed: AtomFeed): string {
  const i = '  ';
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<feed xmlns="http://www.w3.org/2005/Atom">\n',
    el('id', feed.id, i),
    el('title', feed.title, i, { type: 'text' }),
    feed.subtitle ? el('subtitle', feed.subtitle, i, { type: 'text' }) : '',
    el('updated', feed.updated, i),
    ...feed.links.map((l) => link(l, i)),
    `${i}<author>\n${el('name', feed.author.name, `${i}  `)}${feed.author.uri ? el('uri', feed.author.uri, `${i}  `) : ''}${i}</author>\n`,
    feed.generator ? el('generator', feed.generator.name, i, { uri: feed.generator.uri, version: feed.generator.version }) : '',
    ...feed.entries.map(entry),
    '</feed>\n',
  ].join('');
}
