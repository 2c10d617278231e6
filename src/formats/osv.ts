/**
 * OSV JSON for an advisory view.
 *
 * Container images have no OSV ecosystem: `affected[].package` requires an `ecosystem` from the
 * schema's closed list, and none of them means "an OCI image repository" (the "GIT" ecosystem is
 * for source repositories; "Docker Hardened Images", "Bitnami" or "Chainguard" name other vendors'
 * package sets). Claiming one of them would make scanners match our images against a package
 * namespace they do not belong to. So each image repository is one `affected` entry *without* a
 * `package`, which the schema allows:
 * - `versions` lists the digests of the affected images. For the purl "oci" type the version of an
 *   image is its digest, and a digest is what a running container reports (RepoDigests), so it is
 *   the one value a consumer can match exactly. Tags are not versions: they move (a rebuild puts
 *   a fixed image under the same tag), so listing "5.2.1-apache" would wrongly flag the rebuilt tag.
 * - no `ranges`: SEMVER would misread "5.2.1-apache" as a pre-release of 5.2.1, ECOSYSTEM needs an
 *   ecosystem's ordering, and GIT needs commit hashes, not image versions.
 * - `database_specific` carries what the digests mean: the repository with its pkg:oci purl, each
 *   affected tag with its digest and the tag to move to (or to pull again), the fixed images, the
 *   images that are not affected and why.
 * The record id uses the schema's `x_` prefix: a project's own desk is not one of the registered
 * home databases whose prefixes the schema lists. An advisory about a base-image CVE names it in
 * `upstream`, not in `aliases` (OSV: aliases are the same vulnerability, not upstream ones).
 */
import { ociRepositoryPurl } from '../domain/advisories/purl.js';
import type { AdvisoryView } from '../domain/advisories/view.js';
import { remedySentence } from './advisory-text.js';

export const OSV_SCHEMA_VERSION = '1.7.4';

export const osvId = (advisoryId: string): string => `x_${advisoryId}`;

export interface OsvRecord {
  schema_version: string;
  id: string;
  modified: string;
  published: string;
  withdrawn?: string;
  aliases?: string[];
  upstream?: string[];
  summary: string;
  details: string;
  severity?: Array<{ type: 'CVSS_V3' | 'CVSS_V4'; score: string }>;
  affected: Array<Record<string, unknown>>;
  references?: Array<{ type: string; url: string }>;
  credits?: Array<{ name: string; contact?: string[]; type: string }>;
  database_specific: Record<string, unknown>;
}

/** The details, followed by what to do: each affected tag's remedy, extra steps, workarounds. */
function detailsWithRemedies(view: AdvisoryView): string {
  const a = view.advisory;
  const parts = [a.details.trim()];
  const steps = view.images.flatMap((i) => i.affected.map((p) => `- \`${i.name}:${p.tag}\` (${p.digest}): ${remedySentence(i.name, p.remedy)}`));
  if (steps.length) parts.push(`## What to do\n\n${steps.join('\n')}`);
  if (a.remediation) parts.push(a.remediation.trim());
  if (a.workarounds.length) parts.push(`## Workarounds\n\n${a.workarounds.map((w) => `- ${w.trim()}`).join('\n')}`);
  if (a.withdrawn) parts.unshift(`**Withdrawn** on ${a.withdrawn.date.slice(0, 10)}: ${a.withdrawn.reason}`);
  return parts.join('\n\n');
}

export function renderOsv(view: AdvisoryView): OsvRecord {
  const a = view.advisory;
  const severity = [
    ...(view.cvss31 ? [{ type: 'CVSS_V3' as const, score: view.cvss31.vector }] : []),
    ...(view.cvss40 ? [{ type: 'CVSS_V4' as const, score: view.cvss40.vector }] : []),
  ];
  const affected = view.images
    .filter((i) => i.affected.length > 0)
    .map((i) => ({
      versions: [...new Set(i.affected.map((p) => p.digest))],
      database_specific: {
        image: i.name,
        purl: ociRepositoryPurl(i.name),
        affected: i.affected.map((p) => ({ tag: p.tag, digest: p.digest, remedy: p.remedy.kind === 'none' ? { action: 'none' } : { action: p.remedy.kind, tag: p.remedy.tag, digest: p.remedy.digest } })),
        fixed: i.fixed.map((p) => ({ tag: p.tag, digest: p.digest })),
        ...(i.notAffected.length ? { not_affected: i.notAffected.map((p) => ({ tag: p.tag, digest: p.digest, justification: p.justification, statement: p.statement })) } : {}),
      },
    }));
  return {
    schema_version: OSV_SCHEMA_VERSION,
    id: osvId(a.id),
    modified: view.currentRelease,
    published: view.initialRelease,
    ...(a.withdrawn ? { withdrawn: a.withdrawn.date } : {}),
    ...(a.aliases.length ? { aliases: a.aliases } : {}),
    ...(a.upstream.length ? { upstream: a.upstream } : {}),
    summary: a.summary,
    details: detailsWithRemedies(view),
    ...(severity.length ? { severity } : {}),
    affected,
    ...(a.references.length ? { references: a.references.map((r) => ({ type: r.type.toUpperCase(), url: r.url })) } : {}),
    ...(a.credits.length ? { credits: a.credits.map((c) => ({ name: c.name, ...(c.contact.length ? { contact: c.contact } : {}), type: c.type.toUpperCase() })) } : {}),
    database_specific: {
      severity: view.severity.toUpperCase(),
      ...(view.cwes.length ? { cwe_ids: view.cwes.map((c) => c.id) } : {}),
      ...(a.component ? { component: { name: a.component.name, ...(a.component.purl ? { purl: a.component.purl } : {}), ...(a.component.fixedVersion ? { fixed_version: a.component.fixedVersion } : {}) } } : {}),
    },
  };
}

export const stringifyOsv = (record: OsvRecord): string => `${JSON.stringify(record, null, 2)}\n`;
