/**
 * Everything the renderers need, computed once: the advisory, its resolved images, scores,
 * weakness names, the numbered revision history and the document's dates. "now" is an argument:
 * it dates what the advisory itself leaves undated.
 */
import { parseCvss, type CvssResult, type CvssSeverity } from './cvss.js';
import { cweName } from './cwe.js';
import type { ResolvedImage } from './resolve.js';
import type { Advisory } from './schema.js';

export type CvssScore = Extract<CvssResult, { ok: true }>;

export interface Revision {
  number: string;
  date: string;
  summary: string;
}

export interface ProjectInfo {
  name: string;
  url: string;
  /** Where the security policy is published (SECURITY.md, the desk's /policy). */
  policyUrl?: string;
}

export interface AdvisoryView {
  advisory: Advisory;
  project: ProjectInfo;
  images: ResolvedImage[];
  cvss31?: CvssScore;
  cvss40?: CvssScore;
  /** The headline rating: from CVSS 4.0 when given, else 3.1. */
  severity: CvssSeverity;
  score: number;
  cwes: Array<{ id: string; name: string }>;
  revisions: Revision[];
  version: string;
  initialRelease: string;
  currentRelease: string;
}

function score(vector: string | undefined): CvssScore | undefined {
  if (vector === undefined) return undefined;
  const r = parseCvss(vector);
  return r.ok ? r : undefined;
}

/** The revision history as published: numbered 1..n by date; a withdrawal is its last entry. */
function revisionsOf(a: Advisory, now: string): { revisions: Revision[]; initialRelease: string } {
  const listed = [...a.revisions].sort((x, y) => x.date.localeCompare(y.date));
  const initialRelease = a.published ?? listed[0]?.date ?? now;
  if (listed.length === 0 && a.status === 'draft' && !a.withdrawn) return { revisions: [{ number: '0', date: initialRelease, summary: 'Draft.' }], initialRelease };
  if ((listed[0]?.date ?? '') !== initialRelease) listed.unshift({ date: initialRelease, summary: 'Initial version.' });
  if (a.withdrawn && !listed.some((r) => r.date === a.withdrawn?.date)) listed.push({ date: a.withdrawn.date, summary: `Withdrawn: ${a.withdrawn.reason}` });
  return { revisions: listed.map((r, i) => ({ number: String(i + 1), date: r.date, summary: r.summary })), initialRelease };
}

/** The scores of an advisory's vectors, and the headline one: CVSS 4.0 when given, else 3.1. */
function scoresOf(advisory: Advisory) {
  const cvss31 = score(advisory.severity.cvss31);
  const cvss40 = score(advisory.severity.cvss40);
  return { cvss31, cvss40, headline: cvss40 ?? cvss31 };
}

/** The headline severity of an advisory, as its view states it. */
export const advisorySeverity = (advisory: Advisory): CvssSeverity => scoresOf(advisory).headline?.severity ?? 'none';

export function buildAdvisoryView(advisory: Advisory, images: ResolvedImage[], ctx: { now: Date; project: ProjectInfo }): AdvisoryView {
  const now = ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { cvss31, cvss40, headline } = scoresOf(advisory);
  const { revisions, initialRelease } = revisionsOf(advisory, now);
  const last = revisions[revisions.length - 1];
  return {
    advisory,
    project: ctx.project,
    images,
    ...(cvss31 ? { cvss31 } : {}),
    ...(cvss40 ? { cvss40 } : {}),
    severity: headline?.severity ?? 'none',
    score: headline?.score ?? 0,
    cwes: advisory.cwe.map((id) => ({ id, name: cweName(id) ?? id })),
    revisions,
    version: last?.number ?? '1',
    initialRelease,
    currentRelease: last?.date ?? initialRelease,
  };
}

/** "High", "Critical": the rating as a word. */
export const severityWord = (s: CvssSeverity): string => s.charAt(0).toUpperCase() + s.slice(1);

/** "5.2.1-apache": every name an image carries in this advisory, for sentences. */
export const allProducts = (v: AdvisoryView) => v.images.flatMap((i) => [...i.affected, ...i.fixed, ...i.notAffected]);
