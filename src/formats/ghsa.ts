/**
 * A GitHub advisory as a cvdesk advisory (the input of the YAML file), with notes on what the
 * team must review or fill in. Two cases:
 * - the project's own advisory (a repository advisory of the image's repository, as Mautic drafts
 *   them): a package that names one of the policy's images becomes that image, its version ranges
 *   the affected versions, the GHSA and CVE ids aliases;
 * - an upstream advisory (lodash, openssl, runc): the package becomes the advisory's component and
 *   its ids upstream ids; which images ship it is for the team to say (with a policy, every
 *   release and build of its images is proposed).
 */
import { parseCvss } from '../domain/advisories/cvss.js';
import { cweName, normaliseCweId } from '../domain/advisories/cwe.js';
import { compareVersions } from '../domain/images/index.js';
import type { CreditType, ReferenceType } from '../domain/advisories/schema.js';
import { rangeEvents, type GhsaPackage, type GhsaRecord } from './ghsa-shapes.js';

export { readGhsa, type GhsaRecord, type GhsaShape } from './ghsa-shapes.js';

export interface ImportNote {
  /** The advisory field the note is about. */
  field: string;
  message: string;
}

export interface ImportPolicy {
  images: ReadonlyArray<{ name: string; source?: string }>;
}

interface Range {
  introduced: string;
  fixed?: string;
  lastAffected?: string;
}

/** The advisory as plain data, in the order the YAML file shows it. */
export interface ImportedAdvisory {
  id: string;
  status: 'draft' | 'final';
  withdrawn?: { date: string; reason: string };
  title: string;
  summary: string;
  severity: { cvss31?: string; cvss40?: string };
  cwe?: string[];
  aliases?: string[];
  upstream?: string[];
  component?: { name: string; purl?: string; fixedVersion?: string };
  published?: string;
  images: Array<{ name: string; affected?: { versions?: Range[]; builds?: Record<string, never> } }>;
  references?: Array<{ url: string; type: ReferenceType }>;
  credits?: Array<{ name: string; type: CreditType; contact?: string[] }>;
  details: string;
}

export interface GhsaImport {
  advisory: ImportedAdvisory;
  notes: ImportNote[];
}

const PURL_TYPES: Record<string, string> = {
  npm: 'npm',
  pip: 'pypi',
  pypi: 'pypi',
  maven: 'maven',
  go: 'golang',
  rubygems: 'gem',
  nuget: 'nuget',
  composer: 'composer',
  packagist: 'composer',
  rust: 'cargo',
  'crates.io': 'cargo',
  pub: 'pub',
  erlang: 'hex',
  hex: 'hex',
  swift: 'swift',
  actions: 'github',
  'github actions': 'github',
};

/** pkg:<type>/<name> for a package of a GitHub ecosystem; undefined for "other". */
export function packagePurl(ecosystem: string, name: string): string | undefined {
  const type = PURL_TYPES[ecosystem.toLowerCase()];
  if (!type || !name) return undefined;
  if (type === 'maven') {
    const [group, artifact] = name.split(':');
    return group && artifact ? `pkg:maven/${encodeURIComponent(group)}/${encodeURIComponent(artifact)}` : undefined;
  }
  if (type === 'pypi') return `pkg:pypi/${name.toLowerCase().replace(/[-_.]+/g, '-')}`;
  return `pkg:${type}/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/** OSV events (in any order) as ranges: each introduced closed by the nearest fixed or last affected above it. */
export function eventsToRanges(events: GhsaPackage['events']): Range[] {
  const cmp = (a: string, b: string) => (a === '0' ? -1 : b === '0' ? 1 : compareVersions(a, b));
  const starts = events.flatMap((e) => (e.introduced !== undefined ? [e.introduced] : [])).sort(cmp);
  type End = { fixed?: string; lastAffected?: string };
  const ends = events.flatMap((e): End[] => (e.fixed !== undefined ? [{ fixed: e.fixed }] : e.last_affected !== undefined ? [{ lastAffected: e.last_affected }] : []));
  const endValue = (e: End) => e.fixed ?? e.lastAffected ?? '';
  ends.sort((a, b) => cmp(endValue(a), endValue(b)));
  return starts.map((introduced) => {
    const k = ends.findIndex((e) => cmp(endValue(e), introduced) >= 0);
    const end = k >= 0 ? ends.splice(k, 1)[0] : undefined;
    return { introduced, ...(end?.fixed !== undefined ? { fixed: end.fixed } : {}), ...(end?.lastAffected !== undefined ? { lastAffected: end.lastAffected } : {}) };
  });
}

function packageRanges(p: GhsaPackage, notes: ImportNote[]): Range[] {
  if (p.rangeText) {
    if (/(^|,)\s*>\s*[^=]/.test(p.rangeText)) notes.push({ field: 'images', message: `"${p.rangeText}" starts after a version; the import starts the range at that version: check it` });
    try {
      const ranges = eventsToRanges(rangeEvents(p.rangeText));
      return ranges.map((r) => (r.fixed === undefined && r.lastAffected === undefined && p.firstPatched ? { ...r, fixed: p.firstPatched } : r));
    } catch (e) {
      notes.push({ field: 'images', message: `the range "${p.rangeText}" could not be read (${(e as Error).message})` });
      return [];
    }
  }
  return [...eventsToRanges(p.events), ...p.versions.map((v) => ({ introduced: v, lastAffected: v }))];
}

/** Does the package name one of the policy's images (its repository name or its source repository)? */
function imageOf(p: GhsaPackage, policy: ImportPolicy | undefined): string | undefined {
  const name = p.name.toLowerCase().replace(/^https?:\/\//, '');
  return policy?.images.find((i) => {
    const source = i.source?.toLowerCase().replace(/^https?:\/\/(www\.)?github\.com\//, '');
    return i.name === name || i.name.endsWith(`/${name}`) || (source !== undefined && source === name);
  })?.name;
}

const referenceType = (url: string, given?: string): ReferenceType => {
  const known: ReferenceType[] = ['advisory', 'article', 'detection', 'discussion', 'report', 'fix', 'introduced', 'git', 'package', 'evidence', 'web'];
  if (given && (known as string[]).includes(given)) return given as ReferenceType;
  if (/nvd\.nist\.gov\/vuln|github\.com\/advisories\/|\/security\/advisories\//.test(url)) return 'advisory';
  if (/\/(commit|pull)\//.test(url)) return 'fix';
  return 'web';
};

function severityOf(r: GhsaRecord, notes: ImportNote[]): ImportedAdvisory['severity'] {
  const severity: ImportedAdvisory['severity'] = {};
  for (const vector of r.vectors) {
    const s = parseCvss(vector);
    if (s.ok && s.version === '3.1') severity.cvss31 ??= s.vector;
    else if (s.ok && s.version === '4.0') severity.cvss40 ??= s.vector;
    else notes.push({ field: 'severity', message: `${vector} is not carried over: ${s.ok ? `CVSS ${s.version} is not supported` : s.message}` });
  }
  if (!severity.cvss31 && !severity.cvss40) {
    notes.push({ field: 'severity', message: `the record has no CVSS 3.1 or 4.0 vector${r.severity ? ` (GitHub rates it ${r.severity})` : ''}: score it (cvss31 or cvss40)` });
  }
  return severity;
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
}

export function ghsaToAdvisory(r: GhsaRecord, policy?: ImportPolicy): GhsaImport {
  const notes: ImportNote[] = [];
  const own = r.packages.map((p) => ({ p, image: imageOf(p, policy) })).filter((x) => x.image !== undefined);
  const upstreamPackages = r.packages.filter((p) => imageOf(p, policy) === undefined);
  const isOwn = own.length > 0;

  const text = r.summary ?? r.description ?? '';
  if (!r.summary) notes.push({ field: 'summary', message: text ? 'the record has no summary; the first words of its description stand in' : 'the record has neither summary nor description' });
  const summary = oneLine(text || r.ghsaId, 120);

  const cwe = [...new Set(r.cwes)].flatMap((c) => {
    const id = normaliseCweId(c);
    if (id && cweName(id)) return [id];
    notes.push({ field: 'cwe', message: `${c} is not a weakness of the CWE catalogue and was left out` });
    return [];
  });

  const images: ImportedAdvisory['images'] = [];
  for (const { p, image } of own) {
    const versions = packageRanges(p, notes);
    const existing = images.find((i) => i.name === image);
    if (existing) existing.affected = { versions: [...(existing.affected?.versions ?? []), ...versions] };
    else images.push({ name: image ?? '', affected: { versions } });
  }
  let component: ImportedAdvisory['component'];
  if (!isOwn) {
    const names = [...new Set(upstreamPackages.map((p) => `${p.ecosystem}:${p.name}`))];
    const first = upstreamPackages[0];
    if (first) {
      const purl = packagePurl(first.ecosystem, first.name);
      const same = upstreamPackages.filter((p) => p.ecosystem === first.ecosystem && p.name === first.name);
      const fixed = [...new Set(same.flatMap((p) => [p.firstPatched, ...p.events.map((e) => e.fixed)]).filter((v): v is string => v !== undefined))].sort(compareVersions);
      component = { name: first.name, ...(purl ? { purl } : {}), ...(fixed.length ? { fixedVersion: fixed.join(', ') } : {}) };
      if (names.length > 1) notes.push({ field: 'component', message: `the record names ${names.length} packages (${names.join(', ')}); the first is the component: keep the one your images ship` });
    } else notes.push({ field: 'component', message: 'the record names no affected package' });
    for (const i of policy?.images ?? []) images.push({ name: i.name, affected: { versions: [{ introduced: '0' }], builds: {} } });
    notes.push({
      field: 'images',
      message: policy?.images.length
        ? `an upstream advisory: the import proposes every release and build of ${policy.images.map((i) => i.name).join(', ')}; narrow it to the tags that ship an affected version, and list the fixed images`
        : 'an upstream advisory: name the image repositories that ship the component (images:), with the affected tags and the fixed images',
    });
    notes.push({ field: 'id', message: `this advisory is about your images, not ${r.ghsaId} itself: give it your own id` });
  } else {
    notes.push({ field: 'images', message: 'list the fixed images (tag and digest) under fixed:, and give the inventory (or --inventory) when rendering' });
  }

  const ids = [r.ghsaId, ...r.cveIds];
  const withdrawn = r.withdrawnAt ? { date: r.withdrawnAt, reason: 'Withdrawn by GitHub.' } : undefined;
  if (withdrawn) notes.push({ field: 'withdrawn', message: 'GitHub withdrew this advisory; say why in withdrawn.reason' });
  const final = isOwn && (r.state === undefined || r.state === 'published' || r.state === 'withdrawn') && r.publishedAt !== undefined;
  const references = [...r.references, ...(r.references.some((x) => x.url === r.htmlUrl) ? [] : [{ url: r.htmlUrl, type: 'advisory' }])]
    .filter((x) => /^https?:\/\//.test(x.url))
    .map((x) => ({ url: x.url, type: referenceType(x.url, x.type) }));

  const advisory: ImportedAdvisory = {
    id: r.ghsaId,
    status: final ? 'final' : 'draft',
    ...(withdrawn ? { withdrawn } : {}),
    title: oneLine(text || r.ghsaId, 200),
    summary,
    severity: severityOf(r, notes),
    ...(cwe.length ? { cwe } : {}),
    ...(isOwn ? { aliases: ids } : { upstream: ids }),
    ...(component ? { component } : {}),
    ...(isOwn && r.publishedAt ? { published: r.publishedAt } : {}),
    images,
    ...(references.length ? { references } : {}),
    ...(r.credits.length ? { credits: r.credits.map((c) => ({ name: c.name, type: c.type, ...(c.contact.length ? { contact: c.contact } : {}) })) } : {}),
    details: (r.description ?? r.summary ?? r.ghsaId).replace(/\r\n/g, '\n').trim(),
  };
  return { advisory, notes };
}
