/**
 * The advisory editor's form ↔ the advisory model's document. The form is plain fields (no script
 * needed): lists are written one item a line (or separated by commas), each policy image has its
 * own fieldset named img<i>_…, where i is the image's place in the policy. Problems found by the
 * model (paths into the document) are placed at the form field that holds them.
 */
import type { FieldProblem } from '../app/accounts.js';
import type { PathProblem } from '../domain/advisories/parse-advisory.js';
import { CREDIT_TYPES, NOT_AFFECTED_JUSTIFICATIONS, REFERENCE_TYPES } from '../domain/advisories/schema.js';
import type { Policy } from '../domain/policy/schema.js';

export type FormValues = Record<string, string>;

/** The fields the form posts (besides _csrf), so that anything else is ignored. */
export const TOP_FIELDS = ['reports', 'title', 'summary', 'details', 'cvss31', 'cvss40', 'cwe', 'aliases', 'upstream', 'remediation', 'workarounds', 'references', 'credits', 'changeSummary'] as const;
export const IMAGE_FIELDS = ['', '_versions', '_variants', '_tags', '_fixed', '_na_variants', '_na_tags', '_na_justification', '_na_statement'] as const;

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const words = (s: string | undefined): string[] => (s ?? '').split(/[\s,]+/).filter(Boolean);
const lines = (s: string | undefined): string[] =>
  (s ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

function tagRefText(t: unknown): string {
  if (typeof t === 'string') return t;
  const o = obj(t);
  return o.digest ? `${str(o.tag)}@${str(o.digest)}` : str(o.tag);
}

function rangeText(r: unknown): string {
  const o = obj(r);
  const end = o.fixed !== undefined ? str(o.fixed) : o.lastAffected !== undefined ? `=${str(o.lastAffected)}` : '';
  return `${str(o.introduced)}..${end}`;
}

/** The form's values for a stored (or prefilled) document. */
export function formFromDocument(policy: Policy, doc: Record<string, unknown>, reportNumbers: readonly number[]): FormValues {
  const severity = obj(doc.severity);
  const v: FormValues = {
    reports: reportNumbers.join(', '),
    title: str(doc.title),
    summary: str(doc.summary),
    details: str(doc.details),
    cvss31: str(severity.cvss31),
    cvss40: str(severity.cvss40),
    cwe: arr(doc.cwe).map(str).join(', '),
    aliases: arr(doc.aliases).map(str).join(', '),
    upstream: arr(doc.upstream).map(str).join(', '),
    remediation: str(doc.remediation),
    workarounds: arr(doc.workarounds).map(str).join('\n\n'),
    references: arr(doc.references)
      .map((r) => {
        const o = obj(r);
        return [o.type && o.type !== 'web' ? str(o.type) : '', str(o.url), str(o.summary)].filter(Boolean).join(' ');
      })
      .join('\n'),
    credits: arr(doc.credits)
      .map((c) => {
        const o = obj(c);
        const contact = arr(o.contact).map(str);
        return `${str(o.type) || 'finder'}: ${str(o.name)}${contact.length ? ` | ${contact.join(' ')}` : ''}`;
      })
      .join('\n'),
  };
  const images = arr(doc.images).map(obj);
  policy.project.images.forEach((pi, i) => {
    const img = images.find((x) => x.name === pi.name);
    if (!img) return;
    const affected = obj(img.affected);
    const na = obj(arr(img.notAffected)[0]);
    v[`img${i}`] = 'yes';
    v[`img${i}_versions`] = arr(affected.versions).map(rangeText).join('\n');
    v[`img${i}_variants`] = arr(affected.variants).map(str).join(', ');
    v[`img${i}_tags`] = arr(affected.tags).map(tagRefText).join('\n');
    v[`img${i}_fixed`] = arr(img.fixed)
      .map((f) => {
        const o = obj(f);
        const replaces = arr(o.replaces).map(str);
        return `${tagRefText(o)}${replaces.length ? ` replaces ${replaces.join(' ')}` : ''}`;
      })
      .join('\n');
    v[`img${i}_na_variants`] = arr(na.variants).map(str).join(', ');
    v[`img${i}_na_tags`] = arr(na.tags).map(tagRefText).join('\n');
    v[`img${i}_na_justification`] = str(na.justification);
    v[`img${i}_na_statement`] = str(na.statement);
  });
  return v;
}

function parseTagRef(s: string): string | { tag: string; digest: string } {
  const at = s.indexOf('@');
  return at < 0 ? s : { tag: s.slice(0, at), digest: s.slice(at + 1) };
}

const RANGE = /^(\S+?)\s*\.\.\s*(=?)\s*(\S*)$/;

export interface ParsedForm {
  /** The editable part of the document (the desk adds id, status, dates). */
  document: Record<string, unknown>;
  reportNumbers: number[];
  /** Lines the form's own syntax cannot read. */
  problems: FieldProblem[];
  /** The document's images[j] is the policy's image imageIndex[j]. */
  imageIndex: number[];
  changeSummary: string;
}

/** Reads the posted fields into a document for the model to check; only what the form cannot read is a problem here. */
export function documentFromForm(policy: Policy, f: FormValues): ParsedForm {
  const problems: FieldProblem[] = [];
  const reportNumbers: number[] = [];
  for (const w of words(f.reports)) {
    const n = Number(w.replace(/^#/, ''));
    if (Number.isInteger(n) && n > 0 && n < 2_147_483_647) reportNumbers.push(n);
    else problems.push({ field: 'reports', message: `"${w.slice(0, 40)}" is not a report number` });
  }
  const optional = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
  const severity: Record<string, string> = {};
  if (optional(f.cvss31)) severity.cvss31 = f.cvss31!.trim();
  if (optional(f.cvss40)) severity.cvss40 = f.cvss40!.trim();
  const images: Array<Record<string, unknown>> = [];
  const imageIndex: number[] = [];
  policy.project.images.forEach((pi, i) => {
    if (f[`img${i}`] !== 'yes') return;
    const versions = lines(f[`img${i}_versions`]).flatMap((l) => {
      const m = RANGE.exec(l);
      if (!m) {
        problems.push({ field: `img${i}_versions`, message: `"${l.slice(0, 60)}" is not a range: write 5.0.0..5.2.2 (up to, not including, 5.2.2), 5.0.0..=5.2.1 (up to and including) or 5.0.0.. (no fix yet)` });
        return [];
      }
      const [, introduced, inclusive, end] = m;
      return [{ introduced, ...(end ? (inclusive ? { lastAffected: end } : { fixed: end }) : {}) }];
    });
    const variants = words(f[`img${i}_variants`]);
    const tags = words(f[`img${i}_tags`]).map(parseTagRef);
    const affected = { ...(versions.length ? { versions } : {}), ...(variants.length ? { variants } : {}), ...(tags.length ? { tags } : {}) };
    const fixed = lines(f[`img${i}_fixed`]).map((l) => {
      const [ref = '', keyword, ...digests] = l.split(/\s+/);
      if (keyword !== undefined && keyword !== 'replaces') problems.push({ field: `img${i}_fixed`, message: `"${l.slice(0, 60)}": write one tag a line, optionally followed by "replaces sha256:…" for a rebuild pushed under the same tag` });
      const t = parseTagRef(ref);
      return { ...(typeof t === 'string' ? { tag: t } : t), ...(keyword === 'replaces' ? { replaces: digests } : {}) };
    });
    const naVariants = words(f[`img${i}_na_variants`]);
    const naTags = words(f[`img${i}_na_tags`]).map(parseTagRef);
    const justification = optional(f[`img${i}_na_justification`]);
    const statement = optional(f[`img${i}_na_statement`]);
    const notAffected =
      naVariants.length || naTags.length || justification || statement
        ? [{ ...(naVariants.length ? { variants: naVariants } : {}), ...(naTags.length ? { tags: naTags } : {}), justification, statement }]
        : [];
    images.push({ name: pi.name, ...(Object.keys(affected).length ? { affected } : {}), fixed, notAffected });
    imageIndex.push(i);
  });
  const references = lines(f.references).map((l) => {
    const parts = l.split(/\s+/);
    const typed = (REFERENCE_TYPES as readonly string[]).includes(parts[0]!.toLowerCase());
    const type = typed ? parts.shift()!.toLowerCase() : 'web';
    const url = parts.shift() ?? '';
    const summary = parts.join(' ');
    return { url, type, ...(summary ? { summary } : {}) };
  });
  const credits = lines(f.credits).map((l) => {
    const m = /^([a-z_]+)\s*:\s*(.*)$/i.exec(l);
    const typed = m && (CREDIT_TYPES as readonly string[]).includes(m[1]!.toLowerCase());
    const [name = '', contact = ''] = (typed ? m[2]! : l).split('|').map((s) => s.trim());
    return { name, type: typed ? m[1]!.toLowerCase() : 'finder', contact: words(contact) };
  });
  const document: Record<string, unknown> = {
    title: f.title?.trim() ?? '',
    summary: f.summary?.trim() ?? '',
    details: f.details?.trim() ?? '',
    severity,
    cwe: words(f.cwe),
    aliases: words(f.aliases),
    upstream: words(f.upstream),
    images,
    ...(optional(f.remediation) ? { remediation: f.remediation!.trim() } : {}),
    workarounds: (f.workarounds ?? '')
      .split(/\r?\n\s*\r?\n/)
      .map((s) => s.trim())
      .filter(Boolean),
    references,
    credits,
  };
  return { document, reportNumbers, problems, imageIndex, changeSummary: f.changeSummary ?? '' };
}

const IMAGE_KEYS: Record<string, string> = { versions: '_versions', variants: '_variants', tags: '_tags' };
const NA_KEYS: Record<string, string> = { variants: '_na_variants', tags: '_na_tags', versions: '_na_variants', justification: '_na_justification', statement: '_na_statement' };

/** The form field that holds the document's value at `path` ('' for the form as a whole). */
export function fieldOfPath(path: readonly PropertyKey[], imageIndex: readonly number[]): string {
  const [head, ...rest] = path.map((p) => (typeof p === 'symbol' ? '' : p));
  switch (head) {
    case 'severity':
      return rest[0] === 'cvss40' ? 'cvss40' : 'cvss31';
    case 'images': {
      if (typeof rest[0] !== 'number') return 'images';
      const i = imageIndex[rest[0]];
      if (i === undefined) return 'images';
      const [part, , key] = rest.slice(1);
      if (part === 'affected') return `img${i}${IMAGE_KEYS[String(rest[2] ?? '')] ?? '_versions'}`;
      if (part === 'fixed') return `img${i}_fixed`;
      if (part === 'notAffected') return `img${i}${NA_KEYS[String(key ?? '')] ?? '_na_statement'}`;
      return `img${i}`;
    }
    case 'title':
    case 'summary':
    case 'details':
    case 'cwe':
    case 'aliases':
    case 'upstream':
    case 'remediation':
    case 'workarounds':
    case 'references':
    case 'credits':
    case 'reports':
    case 'changeSummary':
    case 'overrideReason':
    case 'withdrawReason':
      return String(head);
    default:
      return '';
  }
}

const FIELD_LABELS: Record<string, string> = {
  reports: 'Reports',
  title: 'Title',
  summary: 'Summary',
  details: 'Details',
  cvss31: 'CVSS 3.1',
  cvss40: 'CVSS 4.0',
  cwe: 'CWE',
  aliases: 'Aliases',
  upstream: 'Upstream vulnerabilities',
  images: 'Images',
  remediation: 'Remediation',
  workarounds: 'Workarounds',
  references: 'References',
  credits: 'Credits',
  changeSummary: 'What changed',
};

/** The model's problems as form problems; the message names the item when a list holds several. */
export function formProblems(problems: readonly PathProblem[], imageIndex: readonly number[], policy: Policy): FieldProblem[] {
  return problems.map((p) => {
    const field = fieldOfPath(p.path, imageIndex);
    const image = /^img(\d+)/.exec(field);
    const where = image ? policy.project.images[Number(image[1])]?.name : FIELD_LABELS[field];
    const item = p.path.length > 1 && typeof p.path[1] === 'number' && p.path[0] !== 'images' ? ` (item ${p.path[1] + 1})` : '';
    return { field: field || 'form', message: `${where ?? 'Advisory'}${item}: ${p.message}` };
  });
}

export const JUSTIFICATIONS = NOT_AFFECTED_JUSTIFICATIONS;
