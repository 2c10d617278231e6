/**
 * GitHub advisory records in the shapes GitHub serves them, read into one form:
 * - REST, global advisories (GET /advisories/{ghsa_id}): ghsa_id, cve_id, vulnerabilities with
 *   vulnerable_version_range and first_patched_version, cvss_severities, cwes, credits.
 * - REST, repository advisories (GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}): the same
 *   plus state, patched_versions, cwe_ids, credits_detailed.
 * - GraphQL (securityAdvisory): ghsaId, identifiers, vulnerabilities.nodes with
 *   vulnerableVersionRange and firstPatchedVersion, cvss / cvssSeverities, cwes.nodes.
 * - GitHub's advisory database (github/advisory-database), which is OSV: id, affected[].ranges.
 * Unknown fields are ignored; a record of none of these shapes is refused with a message that
 * says what was expected.
 */
import { z } from 'zod';
import type { CreditType } from '../domain/advisories/schema.js';
import { CREDIT_TYPES } from '../domain/advisories/schema.js';

export type GhsaShape = 'rest-global' | 'rest-repository' | 'graphql' | 'osv';

/** One affected package: events as OSV has them (introduced / fixed / last_affected), or exact versions. */
export interface GhsaPackage {
  ecosystem: string;
  name: string;
  /** GitHub's range text when the record has one (">= 5.0.0, < 5.2.2"). */
  rangeText?: string;
  events: Array<{ introduced?: string; fixed?: string; last_affected?: string }>;
  versions: string[];
  firstPatched?: string;
}

export interface GhsaRecord {
  shape: GhsaShape;
  ghsaId: string;
  cveIds: string[];
  summary?: string;
  description?: string;
  /** GitHub's rating word: low, moderate, high, critical. */
  severity?: string;
  vectors: string[];
  cwes: string[];
  references: Array<{ url: string; type?: string }>;
  htmlUrl: string;
  publishedAt?: string;
  updatedAt?: string;
  withdrawnAt?: string;
  /** Repository advisories: published, draft, triage, closed, withdrawn. */
  state?: string;
  packages: GhsaPackage[];
  credits: Array<{ name: string; type: CreditType; contact: string[] }>;
}

const GHSA_ID = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;
const ghsaId = z.string().regex(GHSA_ID, 'is not a GHSA id (GHSA-xxxx-xxxx-xxxx)');
const str = z.string().nullish();
const when = z.string().nullish();

const creditType = (t: string | null | undefined): CreditType => ((CREDIT_TYPES as readonly string[]).includes(t ?? '') ? (t as CreditType) : 'other');

/** ">= 5.0.0, < 5.2.2" as OSV events; "> x" is taken as from x (noted by the caller). */
export function rangeEvents(text: string): GhsaPackage['events'] {
  let introduced = '0';
  const upper: GhsaPackage['events'] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(>=|>|<=|<|=)\s*(\S+)$/.exec(part);
    if (!m) throw new Error(`"${part}" is not a version constraint`);
    const [, op, v = ''] = m;
    if (op === '>=' || op === '>') introduced = v;
    else if (op === '<') upper.push({ fixed: v });
    else if (op === '<=') upper.push({ last_affected: v });
    else {
      introduced = v;
      upper.push({ last_affected: v });
    }
  }
  return [{ introduced }, ...upper];
}

const restVulnerability = z.looseObject({
  package: z.looseObject({ ecosystem: z.string(), name: str }).nullish(),
  vulnerable_version_range: str,
  first_patched_version: z.union([z.string(), z.looseObject({ identifier: z.string() })]).nullish(),
  patched_versions: str,
});

const cvssPair = z.looseObject({ vector_string: str, score: z.number().nullish() }).nullish();

const restShape = z.looseObject({
  ghsa_id: ghsaId,
  cve_id: str,
  html_url: str,
  summary: str,
  description: str,
  severity: str,
  state: str,
  identifiers: z.array(z.looseObject({ type: z.string(), value: z.string() })).nullish(),
  references: z.array(z.union([z.string(), z.looseObject({ url: z.string() })])).nullish(),
  published_at: when,
  updated_at: when,
  withdrawn_at: when,
  vulnerabilities: z.array(restVulnerability).nullish(),
  cvss: cvssPair,
  cvss_severities: z.looseObject({ cvss_v3: cvssPair, cvss_v4: cvssPair }).nullish(),
  cwes: z.array(z.looseObject({ cwe_id: z.string() })).nullish(),
  cwe_ids: z.array(z.string()).nullish(),
  credits: z.array(z.looseObject({ login: str, type: str, user: z.looseObject({ login: z.string(), html_url: str }).nullish() })).nullish(),
  credits_detailed: z.array(z.looseObject({ type: str, state: str, user: z.looseObject({ login: z.string(), html_url: str }) })).nullish(),
});

const graphqlShape = z.looseObject({
  ghsaId: ghsaId,
  identifiers: z.array(z.looseObject({ type: str, value: z.string() })).nullish(),
  references: z.array(z.looseObject({ url: z.string() })).nullish(),
  summary: str,
  description: str,
  severity: str,
  permalink: str,
  publishedAt: when,
  updatedAt: when,
  withdrawnAt: when,
  cvss: z.looseObject({ vectorString: str }).nullish(),
  cvssSeverities: z.looseObject({ cvssV3: z.looseObject({ vectorString: str }).nullish(), cvssV4: z.looseObject({ vectorString: str }).nullish() }).nullish(),
  cwes: z.looseObject({ nodes: z.array(z.looseObject({ cweId: z.string() })) }).nullish(),
  vulnerabilities: z
    .looseObject({
      nodes: z.array(
        z.looseObject({
          package: z.looseObject({ ecosystem: z.string(), name: z.string() }),
          vulnerableVersionRange: str,
          firstPatchedVersion: z.looseObject({ identifier: z.string() }).nullish(),
        }),
      ),
    })
    .nullish(),
});

const osvShape = z.looseObject({
  id: ghsaId,
  modified: z.string(),
  published: when,
  withdrawn: when,
  aliases: z.array(z.string()).nullish(),
  summary: str,
  details: str,
  severity: z.array(z.looseObject({ type: z.string(), score: z.string() })).nullish(),
  affected: z
    .array(
      z.looseObject({
        package: z.looseObject({ ecosystem: z.string(), name: z.string() }).nullish(),
        ranges: z.array(z.looseObject({ type: z.string(), events: z.array(z.record(z.string(), z.string())) })).nullish(),
        versions: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
  references: z.array(z.looseObject({ type: str, url: z.string() })).nullish(),
  credits: z.array(z.looseObject({ name: z.string(), type: str, contact: z.array(z.string()).nullish() })).nullish(),
  database_specific: z.looseObject({ cwe_ids: z.array(z.string()).nullish(), severity: str }).nullish(),
});

const defined = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined && v !== '';
const opt = <K extends string, V>(key: K, v: V | null | undefined): { [P in K]?: V } => (defined(v) ? ({ [key]: v } as { [P in K]: V }) : {});
const ghsaUrl = (id: string) => `https://github.com/advisories/${id}`;

function fromRest(r: z.output<typeof restShape>): GhsaRecord {
  const packages = (r.vulnerabilities ?? []).map((v): GhsaPackage => {
    const patched = typeof v.first_patched_version === 'string' ? v.first_patched_version : (v.first_patched_version?.identifier ?? v.patched_versions?.split(',')[0]?.trim());
    return { ecosystem: v.package?.ecosystem ?? 'other', name: v.package?.name ?? '', ...opt('rangeText', v.vulnerable_version_range), events: [], versions: [], ...opt('firstPatched', patched) };
  });
  const credits = r.credits_detailed
    ? r.credits_detailed.filter((c) => c.state !== 'declined').map((c) => ({ name: c.user.login, type: creditType(c.type), contact: c.user.html_url ? [c.user.html_url] : [] }))
    : (r.credits ?? []).flatMap((c) => {
        const name = c.user?.login ?? c.login;
        return name ? [{ name, type: creditType(c.type), contact: c.user?.html_url ? [c.user.html_url] : [] }] : [];
      });
  return {
    shape: r.state ? 'rest-repository' : 'rest-global',
    ghsaId: r.ghsa_id,
    cveIds: [...new Set([r.cve_id, ...(r.identifiers ?? []).filter((i) => i.type === 'CVE').map((i) => i.value)].filter(defined))],
    ...opt('summary', r.summary),
    ...opt('description', r.description),
    ...opt('severity', r.severity),
    vectors: [r.cvss_severities?.cvss_v3?.vector_string, r.cvss_severities?.cvss_v4?.vector_string, r.cvss?.vector_string].filter(defined),
    cwes: [...(r.cwes ?? []).map((c) => c.cwe_id), ...(r.cwe_ids ?? [])],
    references: (r.references ?? []).map((x) => ({ url: typeof x === 'string' ? x : x.url })),
    htmlUrl: r.html_url ?? ghsaUrl(r.ghsa_id),
    ...opt('publishedAt', r.published_at),
    ...opt('updatedAt', r.updated_at),
    ...opt('withdrawnAt', r.withdrawn_at),
    ...opt('state', r.state),
    packages,
    credits,
  };
}

function fromGraphql(g: z.output<typeof graphqlShape>): GhsaRecord {
  return {
    shape: 'graphql',
    ghsaId: g.ghsaId,
    cveIds: (g.identifiers ?? []).map((i) => i.value).filter((v) => v.startsWith('CVE-')),
    ...opt('summary', g.summary),
    ...opt('description', g.description),
    ...opt('severity', g.severity?.toLowerCase()),
    vectors: [g.cvssSeverities?.cvssV3?.vectorString, g.cvssSeverities?.cvssV4?.vectorString, g.cvss?.vectorString].filter(defined),
    cwes: (g.cwes?.nodes ?? []).map((c) => c.cweId),
    references: (g.references ?? []).map((r) => ({ url: r.url })),
    htmlUrl: g.permalink ?? ghsaUrl(g.ghsaId),
    ...opt('publishedAt', g.publishedAt),
    ...opt('updatedAt', g.updatedAt),
    ...opt('withdrawnAt', g.withdrawnAt),
    packages: (g.vulnerabilities?.nodes ?? []).map((n) => ({
      ecosystem: n.package.ecosystem,
      name: n.package.name,
      ...opt('rangeText', n.vulnerableVersionRange),
      events: [],
      versions: [],
      ...opt('firstPatched', n.firstPatchedVersion?.identifier),
    })),
    credits: [],
  };
}

function fromOsv(o: z.output<typeof osvShape>): GhsaRecord {
  return {
    shape: 'osv',
    ghsaId: o.id,
    cveIds: (o.aliases ?? []).filter((a) => a.startsWith('CVE-')),
    ...opt('summary', o.summary),
    ...opt('description', o.details),
    ...opt('severity', o.database_specific?.severity?.toLowerCase()),
    vectors: (o.severity ?? []).filter((s) => s.type.startsWith('CVSS_V')).map((s) => s.score),
    cwes: o.database_specific?.cwe_ids ?? [],
    references: (o.references ?? []).map((r) => ({ url: r.url, ...opt('type', r.type?.toLowerCase()) })),
    htmlUrl: ghsaUrl(o.id),
    ...opt('publishedAt', o.published),
    ...opt('updatedAt', o.modified),
    ...opt('withdrawnAt', o.withdrawn),
    packages: (o.affected ?? []).map((a) => ({
      ecosystem: a.package?.ecosystem ?? 'other',
      name: a.package?.name ?? '',
      events: (a.ranges ?? []).flatMap((r) => r.events),
      versions: a.versions ?? [],
    })),
    credits: (o.credits ?? []).map((c) => ({ name: c.name, type: creditType(c.type?.toLowerCase()), contact: c.contact ?? [] })),
  };
}

export type GhsaReadResult = { ok: true; record: GhsaRecord } | { ok: false; message: string };

const firstIssue = (e: z.ZodError): string => {
  const i = e.issues[0];
  return i ? `${i.path.map(String).join('.') || 'the record'}: ${i.message.replace(/^Invalid input: /, '')}` : 'it does not match';
};

/** Reads one GitHub advisory record (already JSON-parsed) in any of the four shapes. */
export function readGhsa(json: unknown): GhsaReadResult {
  let v = json;
  // a GraphQL response as returned: {"data": {"securityAdvisory": {...}}}
  const data = (v as { data?: { securityAdvisory?: unknown } } | null)?.data;
  if (data && typeof data === 'object' && data.securityAdvisory) v = data.securityAdvisory;
  if (Array.isArray(v)) return { ok: false, message: `the file holds a list of ${v.length} advisories; import one advisory per file` };
  if (!v || typeof v !== 'object') return { ok: false, message: 'a GitHub advisory record is a JSON object' };
  const shapes: Array<[string, () => GhsaReadResult | null]> = [
    ['ghsa_id', () => (restShape.safeParse(v).success ? { ok: true, record: fromRest(restShape.parse(v)) } : null)],
    ['ghsaId', () => (graphqlShape.safeParse(v).success ? { ok: true, record: fromGraphql(graphqlShape.parse(v)) } : null)],
    ['id', () => (osvShape.safeParse(v).success ? { ok: true, record: fromOsv(osvShape.parse(v)) } : null)],
  ];
  for (const [key, read] of shapes) {
    if (!(key in v)) continue;
    const r = read();
    if (r) return r;
    const schema = key === 'ghsa_id' ? restShape : key === 'ghsaId' ? graphqlShape : osvShape;
    const what = key === 'ghsa_id' ? 'REST' : key === 'ghsaId' ? 'GraphQL' : 'OSV (advisory database)';
    const err = schema.safeParse(v);
    return { ok: false, message: `not a valid GitHub advisory in the ${what} shape: ${err.success ? 'unreadable' : firstIssue(err.error)}` };
  }
  return { ok: false, message: 'not a GitHub advisory record: expected the REST shape (ghsa_id), the GraphQL shape (ghsaId) or the advisory database OSV shape (id, modified)' };
}
