/**
 * The advisory model: one vulnerability of a project's container images, as a file (YAML) or as
 * the desk stores it. Plain data in, plain data out; the resolver turns its selectors into
 * concrete tags and digests, and the renderers (CSAF, OSV, Markdown, HTML) read the result.
 */
import { z } from 'zod';
import { parseCvss } from './cvss.js';
import { cweName, normaliseCweId } from './cwe.js';

/** OSV's credit types (GitHub and CSAF use the same roles). */
export const CREDIT_TYPES = [
  'finder',
  'reporter',
  'analyst',
  'coordinator',
  'remediation_developer',
  'remediation_reviewer',
  'remediation_verifier',
  'tool',
  'sponsor',
  'other',
] as const;
export type CreditType = (typeof CREDIT_TYPES)[number];

/** OSV's reference types. */
export const REFERENCE_TYPES = ['advisory', 'article', 'detection', 'discussion', 'report', 'fix', 'introduced', 'git', 'package', 'evidence', 'web'] as const;
export type ReferenceType = (typeof REFERENCE_TYPES)[number];

/** CSAF's VEX justification labels for a product that is not affected. */
export const NOT_AFFECTED_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'vulnerable_code_not_in_execute_path',
  'inline_mitigations_already_exist',
] as const;
export type NotAffectedJustification = (typeof NOT_AFFECTED_JUSTIFICATIONS)[number];

const quoted = (what: string, example: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? undefined : typeof iss.input === 'number' ? `write the ${what} in quotes, e.g. "${example}" (YAML reads ${String(iss.input)} as a number)` : `must be a ${what} such as "${example}"`;

/** An instant, ISO 8601 with a zone; a bare date is 00:00 UTC. Normalised to 2026-11-25T10:00:00Z. */
export const instantSchema = z.string({ error: quoted('date', '2026-11-25T10:00:00Z') }).transform((s, ctx) => {
  const v = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s;
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v) || Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not a date-time with a time zone, e.g. 2026-11-25T10:00:00Z` });
    return z.NEVER;
  }
  return d.toISOString().replace(/\.000Z$/, 'Z');
});

export const digestSchema = z
  .string({ error: quoted('digest', 'sha256:…') })
  .regex(/^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/, 'must be an image digest: sha256: and 64 lowercase hex digits');

const TAG_RE = /^[\w][\w.-]{0,127}$/;
const tagSchema = z.string({ error: quoted('tag', '5.2') }).regex(TAG_RE, 'is not an image tag (letters, digits, "_", "." and "-", at most 128)');

/** A tag, optionally pinned to a digest: "5.2.1-apache", "5.2.1-apache@sha256:…" or {tag, digest}. */
const tagRefSchema = z
  .union([z.string(), z.strictObject({ tag: tagSchema, digest: digestSchema.optional() })], { error: quoted('tag', '5.2.1') })
  .transform((v, ctx): { tag: string; digest?: string } => {
    if (typeof v !== 'string') return v;
    const [tag = '', digest, extra] = v.split('@');
    if (!TAG_RE.test(tag) || extra !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a tag or tag@digest` });
      return z.NEVER;
    }
    if (digest === undefined) return { tag };
    const d = digestSchema.safeParse(digest);
    if (!d.success) {
      ctx.addIssue({ code: 'custom', message: `"${v}": the part after "@" must be a digest such as sha256:<64 hex digits>` });
      return z.NEVER;
    }
    return { tag, digest: d.data };
  });

/** An inventory entry always has a digest: it is what the registry serves under the tag now. */
const inventoryEntrySchema = tagRefSchema.refine((t) => t.digest !== undefined, 'an inventory entry needs its digest: "5.2.1-apache@sha256:…"') as z.ZodType<
  { tag: string; digest: string },
  unknown
>;

const versionSchema = z.string({ error: quoted('version', '5.2.2') }).regex(/^(0|v?\d+(\.\d+)*([-.]?[A-Za-z][A-Za-z0-9.]*)?)$/, 'must be a version such as "5.2.2" ("0" means from the first version)');

/** OSV-style range over release versions: introduced ≤ v < fixed (or ≤ lastAffected). */
const rangeSchema = z
  .strictObject({ introduced: versionSchema, fixed: versionSchema.optional(), lastAffected: versionSchema.optional() })
  .superRefine((r, ctx) => {
    if (r.fixed !== undefined && r.lastAffected !== undefined) ctx.addIssue({ code: 'custom', path: ['lastAffected'], message: 'give either fixed or lastAffected, not both' });
  });
export type VersionRange = z.output<typeof rangeSchema>;

const buildWindowSchema = z.strictObject({
  /** Build tags built at or after this instant. */
  since: instantSchema.optional(),
  /** Build tags built before this instant (typically the first fixed build). */
  before: instantSchema.optional(),
});

const variantSchema = z.string().regex(/^[a-z0-9][a-z0-9._]*$/i, 'must be a variant name such as "apache"');

/** Which tags a statement is about. Tags sharing a digest with a selected tag are the same image and follow it. */
const selectorShape = {
  /** Release (and pre-release) versions, whatever their variant suffix. */
  versions: z.array(rangeSchema).optional(),
  /** Only these variants (with versions): ['apache'] selects 5.2.1-apache, not 5.2.1-fpm. */
  variants: z.array(variantSchema).min(1).optional(),
  /** Build tags (main-<sha>-<ts>) by build time; {} selects every build tag. */
  builds: buildWindowSchema.optional(),
  /** Named tags; with a digest, that image (an earlier image of a tag that has moved since). */
  tags: z.array(tagRefSchema).optional(),
};
const selectorSchema = z.strictObject(selectorShape);
export type TagSelector = z.output<typeof selectorSchema>;

const fixedSchema = z.strictObject({
  tag: tagSchema,
  digest: digestSchema,
  /** For a rebuild pushed under the same tag: the digest the tag pointed to before (the affected image). */
  replaces: z.array(digestSchema).min(1).optional(),
});
export type FixedImage = z.output<typeof fixedSchema>;

const notAffectedSchema = z.strictObject({
  ...selectorShape,
  justification: z.enum(NOT_AFFECTED_JUSTIFICATIONS),
  /** Why, in a sentence an operator understands (CSAF impact statement). */
  statement: z.string().trim().min(1),
});
export type NotAffectedStatement = z.output<typeof notAffectedSchema>;

const imageName = z.string().regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+$/, 'must be a full repository name such as docker.io/mautic/mautic');

const imageSchema = z.strictObject({
  name: imageName,
  affected: selectorSchema.optional(),
  fixed: z.array(fixedSchema).default([]),
  notAffected: z.array(notAffectedSchema).default([]),
  /** The tags the repository holds, with digests. The desk reads them from the registry instead. */
  inventory: z.array(inventoryEntrySchema).optional(),
});
export type AdvisoryImage = z.output<typeof imageSchema>;

const cvssField = (version: '3.1' | '4.0') =>
  z.string().transform((s, ctx) => {
    const r = parseCvss(s);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    if (r.version !== version) {
      ctx.addIssue({ code: 'custom', message: `this is a CVSS ${r.version} vector; give it as cvss${r.version.replace('.', '')}` });
      return z.NEVER;
    }
    return r.vector;
  });

const cweSchema = z.union([z.string(), z.number().int()], { error: 'must be a CWE id such as CWE-79' }).transform((v, ctx) => {
  const id = normaliseCweId(String(v));
  if (!id) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a CWE id such as CWE-79` });
    return z.NEVER;
  }
  if (cweName(id) === undefined) {
    ctx.addIssue({ code: 'custom', message: `${id} is not in the CWE catalogue (a weakness id such as CWE-276 is expected, not a category or view)` });
    return z.NEVER;
  }
  return id;
});

/** CVE-2024-6119, GHSA-xxxx-xxxx-xxxx, or another database's id (PREFIX-rest). */
const vulnId = z.string().regex(/^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9._:]+)+)$/, 'must be a vulnerability id such as CVE-2024-6119 or GHSA-xxxx-xxxx-xxxx');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const creditSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(CREDIT_TYPES).default('finder'),
  organization: z.string().min(1).optional(),
  /** URLs or mailto: addresses the credited person chose to show. */
  contact: z.array(z.string().min(1)).default([]),
});
export type Credit = z.output<typeof creditSchema>;

const referenceSchema = z.strictObject({
  url: httpUrl,
  type: z.enum(REFERENCE_TYPES).default('web'),
  summary: z.string().min(1).optional(),
});
export type AdvisoryReference = z.output<typeof referenceSchema>;

/** A base-image (or other upstream) package the vulnerability lives in. */
const componentSchema = z.strictObject({
  name: z.string().min(1),
  purl: z.string().regex(/^pkg:[a-z.+-][a-z0-9.+-]*\/.+/i, 'must be a package URL such as pkg:apk/alpine/openssl').optional(),
  /** The first version of the package without the flaw. */
  fixedVersion: z.string().min(1).optional(),
});

const language = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a language tag such as "en"');

export const advisorySchema = z
  .strictObject({
    /** The desk's id for this advisory, e.g. MAUTIC-DOCKER-2026-001; it names the CSAF file too. */
    id: z.string().regex(/^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+$/, 'must be an id of letters and digits in parts joined by "-", such as MAUTIC-DOCKER-2026-001'),
    status: z.enum(['draft', 'final']).default('draft'),
    withdrawn: z.strictObject({ date: instantSchema, reason: z.string().min(1) }).optional(),
    lang: language.default('en'),
    /** One line: it heads mail, feeds and pages. */
    title: z.string().trim().min(1).max(200).refine((s) => !/[\r\n]/.test(s), 'is one line of plain text; put more into details'),
    /** One line, plain text. */
    summary: z.string().trim().min(1).max(400).refine((s) => !/[\r\n]/.test(s), 'is one line of plain text; put more into details'),
    /** Markdown. */
    details: z.string().trim().min(1),
    severity: z
      .strictObject({ cvss31: cvssField('3.1').optional(), cvss40: cvssField('4.0').optional() })
      .refine((s) => s.cvss31 !== undefined || s.cvss40 !== undefined, 'give a CVSS 3.1 (cvss31) and/or 4.0 (cvss40) vector'),
    cwe: z.array(cweSchema).default([]),
    /** The same vulnerability in other databases (CVE, GHSA) — not upstream ones. */
    aliases: z.array(vulnId).default([]),
    /** Vulnerabilities of an upstream component this advisory is about (a base-image CVE). */
    upstream: z.array(vulnId).default([]),
    component: componentSchema.optional(),
    discovered: instantSchema.optional(),
    /** First publication; without it, the first revision's date (or "now" when rendering). */
    published: instantSchema.optional(),
    images: z.array(imageSchema).min(1, 'name at least one image repository'),
    /** More steps after moving to a fixed image (markdown). */
    remediation: z.string().trim().min(1).optional(),
    workarounds: z.array(z.string().trim().min(1)).default([]),
    references: z.array(referenceSchema).default([]),
    credits: z.array(creditSchema).default([]),
    revisions: z.array(z.strictObject({ date: instantSchema, summary: z.string().min(1) })).default([]),
  })
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    a.images.forEach((img, i) => {
      if (seen.has(img.name)) ctx.addIssue({ code: 'custom', path: ['images', i, 'name'], message: `${img.name} is listed twice` });
      seen.add(img.name);
    });
    if (a.component && a.upstream.length === 0) ctx.addIssue({ code: 'custom', path: ['upstream'], message: 'an advisory about a component names its upstream vulnerability (e.g. upstream: [CVE-2024-6119])' });
    const firstRevision = a.revisions.map((r) => r.date).sort()[0];
    if (a.published && firstRevision && firstRevision < a.published) ctx.addIssue({ code: 'custom', path: ['published'], message: `is after the first revision (${firstRevision})` });
    if (a.withdrawn && a.published && a.withdrawn.date < a.published) ctx.addIssue({ code: 'custom', path: ['withdrawn', 'date'], message: 'is before the advisory was published' });
    for (const [i, id] of a.aliases.entries()) {
      if (a.upstream.includes(id)) ctx.addIssue({ code: 'custom', path: ['aliases', i], message: `${id} is upstream, not an alias: list it under upstream only` });
    }
  });

export type Advisory = z.output<typeof advisorySchema>;
export type AdvisoryInput = z.input<typeof advisorySchema>;
