/**
 * CSAF 2.0 documents from an advisory view: a csaf_security_advisory for the advisory, and a
 * csaf_vex document per upstream (base-image) vulnerability that says, image by image, whether it
 * is fixed, affected or not affected. Pure: dates, the publisher and the document's canonical
 * URL are arguments. The output passes the CSAF schema and the validator's mandatory and
 * optional tests (test/advisories).
 */
import type { Credit, ReferenceType } from '../domain/advisories/schema.js';
import { severityWord, type AdvisoryView, type CvssScore } from '../domain/advisories/view.js';
import { CREDIT_ROLE, remedySentence, scopeText } from './advisory-text.js';
import { buildProductTree, type ProductTree } from './csaf-product-tree.js';

export interface CsafPublisher {
  name: string;
  /** The publisher's trusted domain, e.g. https://security.mautic.example */
  namespace: string;
  category?: 'vendor' | 'coordinator' | 'discoverer' | 'other' | 'translator' | 'user';
  contactDetails?: string;
}

export interface CsafOptions {
  /** When the document is generated. */
  now: Date;
  publisher: CsafPublisher;
  /** The provider's folder, e.g. https://security.mautic.example/.well-known/csaf (documents go to white/<year>/). */
  providerUrl: string;
  generator?: { name: string; version: string };
}

export type CsafDocument = Record<string, unknown> & { document: Record<string, unknown> };

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** CSAF 5.1: the tracking id in lower case, anything but [+\-a-z0-9] as "_", then ".json". */
export const csafFileName = (trackingId: string): string => `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;

/** Where the provider serves the document: <provider>/white/<year of initial release>/<file>. */
export const csafDocumentUrl = (providerUrl: string, trackingId: string, initialRelease: string): string =>
  `${providerUrl.replace(/\/+$/, '')}/white/${initialRelease.slice(0, 4)}/${csafFileName(trackingId)}`;

export const vexTrackingId = (advisoryId: string, vulnerabilityId: string): string => `${advisoryId}-${vulnerabilityId}`;

const REFERENCE_SUMMARY: Record<ReferenceType, string> = {
  advisory: 'Advisory',
  article: 'Article',
  detection: 'Detection rule',
  discussion: 'Discussion',
  report: 'Report',
  fix: 'Fix',
  introduced: 'Change that introduced the vulnerability',
  git: 'Source repository',
  package: 'Package',
  evidence: 'Evidence',
  web: 'Web page',
};

const acknowledgment = (c: Credit) => ({
  names: [c.name],
  ...(c.organization ? { organization: c.organization } : {}),
  summary: `${CREDIT_ROLE[c.type].charAt(0).toUpperCase()}${CREDIT_ROLE[c.type].slice(1)}.`,
  ...(c.contact.some((u) => /^https?:\/\//.test(u)) ? { urls: c.contact.filter((u) => /^https?:\/\//.test(u)) } : {}),
});

const cvssV3 = (s: CvssScore) => ({ baseScore: s.baseScore, baseSeverity: s.severity.toUpperCase(), vectorString: s.vector, version: '3.1' });

function documentPart(view: AdvisoryView, o: CsafOptions, category: 'csaf_security_advisory' | 'csaf_vex', trackingId: string, title: string, summary: string) {
  const a = view.advisory;
  const notes: Array<Record<string, string>> = [
    { category: 'summary', text: summary, title: 'Summary' },
    { category: 'general', text: scopeText(view, category === 'csaf_vex' ? 'document' : 'advisory'), title: 'Scope' },
  ];
  if (view.cvss40) notes.push({ category: 'other', text: `CVSS 4.0: ${view.cvss40.vector} (score ${view.cvss40.score.toFixed(1)}, ${view.cvss40.severity}). CSAF 2.0 scores carry CVSS 3.x only, so the 4.0 vector is given here.`, title: 'CVSS 4.0' });
  if (a.withdrawn) notes.push({ category: 'general', text: `This advisory was withdrawn on ${a.withdrawn.date.slice(0, 10)}: ${a.withdrawn.reason}`, title: 'Withdrawn' });
  const references = [
    { category: 'self', summary: 'Canonical URL of this document', url: csafDocumentUrl(o.providerUrl, trackingId, view.initialRelease) },
    ...(view.project.policyUrl ? [{ category: 'external', summary: `Security policy of ${view.project.name}`, url: view.project.policyUrl }] : []),
    { category: 'external', summary: view.project.name, url: view.project.url },
    ...a.references.map((r) => ({ category: 'external', summary: r.summary ?? REFERENCE_SUMMARY[r.type], url: r.url })),
  ];
  return {
    ...(view.cvss31 || view.cvss40 ? { aggregate_severity: { text: severityWord(view.severity) } } : {}),
    category,
    csaf_version: '2.0',
    distribution: { tlp: { label: 'WHITE', url: 'https://www.first.org/tlp/' } },
    lang: a.lang,
    notes,
    publisher: {
      category: o.publisher.category ?? 'vendor',
      ...(o.publisher.contactDetails ? { contact_details: o.publisher.contactDetails } : {}),
      name: o.publisher.name,
      namespace: o.publisher.namespace,
    },
    references: dedupeReferences(references),
    title: a.withdrawn ? `${title} (withdrawn)` : title,
    tracking: {
      current_release_date: view.currentRelease,
      ...(o.generator ? { generator: { date: iso(o.now), engine: { name: o.generator.name, version: o.generator.version } } } : {}),
      id: trackingId,
      initial_release_date: view.initialRelease,
      revision_history: view.revisions.map((r) => ({ date: r.date, number: r.number, summary: r.summary })),
      status: a.status === 'draft' ? 'draft' : 'final',
      version: view.version,
    },
  };
}

function dedupeReferences<T extends { url: string; category: string }>(refs: T[]): T[] {
  const seen = new Set<string>();
  return refs.filter((r) => (seen.has(`${r.category} ${r.url}`) ? false : (seen.add(`${r.category} ${r.url}`), true)));
}

/** One CSAF vulnerability object; `cve`/`ids` name it, the rest is the same for every id of the advisory. */
function vulnerability(view: AdvisoryView, tree: ProductTree, id: string | undefined) {
  const a = view.advisory;
  const affected = view.images.flatMap((i) => i.affected);
  const fixed = view.images.flatMap((i) => i.fixed);
  const notAffected = view.images.flatMap((i) => i.notAffected);
  const ids = (xs: Array<{ image: string; tag: string; digest: string }>) => [...new Set(xs.map((p) => tree.idOf(p)))];

  const byText = new Map<string, { category: string; ids: string[] }>();
  for (const p of affected) {
    const text = remedySentence(p.image, p.remedy);
    const entry = byText.get(text) ?? { category: p.remedy.kind === 'none' ? 'none_available' : 'vendor_fix', ids: [] };
    entry.ids.push(tree.idOf(p));
    byText.set(text, entry);
  }
  const all = ids(affected);
  const remediations = [
    ...[...byText].map(([details, e]) => ({ category: e.category, details, product_ids: [...new Set(e.ids)] })),
    ...(a.remediation && all.length ? [{ category: 'vendor_fix', details: a.remediation, product_ids: all }] : []),
    ...(all.length ? a.workarounds.map((w) => ({ category: 'workaround', details: w, product_ids: all })) : []),
  ];
  const justifications = new Map<string, string[]>();
  const statements = new Map<string, string[]>();
  for (const p of notAffected) {
    justifications.set(p.justification, [...(justifications.get(p.justification) ?? []), tree.idOf(p)]);
    statements.set(p.statement, [...(statements.get(p.statement) ?? []), tree.idOf(p)]);
  }
  const aliasIds = a.component ? [] : a.aliases.filter((x) => x !== id);
  const otherIds = aliasIds.filter((x) => !x.startsWith('CVE-')).map((x) => ({ system_name: x.startsWith('GHSA-') ? 'GitHub Security Advisories' : (x.split('-')[0] ?? x), text: x }));
  const notes = [{ category: 'description', text: a.details, title: 'Details' }];
  if (a.component) {
    const fixedIn = a.component.fixedVersion ? `; version ${a.component.fixedVersion} has the fix` : '';
    notes.push({ category: 'description', text: `The vulnerability is in the package ${a.component.name}${a.component.purl ? ` (${a.component.purl})` : ''} that the images contain${fixedIn}.`, title: 'Affected component' });
  }
  const cwe = view.cwes[0];
  return {
    ...(a.credits.length ? { acknowledgments: a.credits.map(acknowledgment) } : {}),
    ...(id?.startsWith('CVE-') ? { cve: id } : {}),
    ...(cwe ? { cwe: { id: cwe.id, name: cwe.name } } : {}),
    ...(a.discovered ? { discovery_date: a.discovered } : {}),
    ...(justifications.size ? { flags: [...justifications].map(([label, product_ids]) => ({ label, product_ids: [...new Set(product_ids)] })) } : {}),
    ...(id && !id.startsWith('CVE-') ? { ids: [{ system_name: id.startsWith('GHSA-') ? 'GitHub Security Advisories' : (id.split('-')[0] ?? id), text: id }, ...otherIds] } : otherIds.length ? { ids: otherIds } : {}),
    notes,
    product_status: {
      ...(fixed.length ? { fixed: ids(fixed) } : {}),
      ...(all.length ? { known_affected: all } : {}),
      ...(notAffected.length ? { known_not_affected: ids(notAffected) } : {}),
    },
    release_date: view.initialRelease,
    ...(remediations.length ? { remediations } : {}),
    ...(all.length && view.cvss31 ? { scores: [{ cvss_v3: cvssV3(view.cvss31), products: all }] } : {}),
    ...(statements.size ? { threats: [...statements].map(([details, product_ids]) => ({ category: 'impact', details, product_ids: [...new Set(product_ids)] })) } : {}),
    title: a.title,
  };
}

/** The csaf_security_advisory for the advisory: one vulnerability per CVE it names (or one without). */
export function renderCsafAdvisory(view: AdvisoryView, o: CsafOptions): CsafDocument {
  const a = view.advisory;
  const tree = buildProductTree(view);
  const named = a.component ? a.upstream : a.aliases.filter((x) => x.startsWith('CVE-'));
  const vulnerabilities = (named.length ? named : [a.aliases.find((x) => !x.startsWith('CVE-'))]).map((id) => vulnerability(view, tree, id));
  return sortKeys({
    document: documentPart(view, o, 'csaf_security_advisory', a.id, a.title, a.summary),
    product_tree: { branches: tree.branches },
    vulnerabilities,
  });
}

/** The csaf_vex document for one upstream (base-image) vulnerability of the advisory. */
export function renderCsafVex(view: AdvisoryView, upstreamId: string, o: CsafOptions): CsafDocument {
  const a = view.advisory;
  const tree = buildProductTree(view);
  const images = view.images.map((i) => i.name).join(', ');
  const title = `${upstreamId} in ${images}`;
  const summary = `The status of the images of ${view.project.name} for ${upstreamId}${a.component ? ` (${a.component.name})` : ''}, image by image. ${a.summary}`;
  return sortKeys({
    document: documentPart(view, o, 'csaf_vex', vexTrackingId(a.id, upstreamId), title, summary),
    product_tree: { branches: tree.branches },
    vulnerabilities: [vulnerability(view, tree, upstreamId)],
  });
}

const collator = new Intl.Collator('en');

/** Every object's keys in alphabetical order, as CSAF's optional test 6.2.13 wants them. */
function sortKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeys) as T;
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).sort(collator.compare).map((k) => [k, sortKeys(o[k])])) as T;
}

/** Two-space indented JSON with a final newline. */
export const stringifyCsaf = (doc: CsafDocument): string => `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
