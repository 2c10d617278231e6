/**
 * What an announcement of a published advisory says, as plain data: the same facts for the mail to
 * subscribers and the JSON a webhook receives. Built from the advisory's view (its resolved images),
 * so the affected and fixed builds are the concrete tags with digests the advisory page shows.
 */
import type { CvssSeverity } from '../domain/advisories/cvss.js';
import type { Remedy } from '../domain/advisories/resolve.js';
import type { AdvisoryView, CvssScore } from '../domain/advisories/view.js';

export interface AnnouncementUrls {
  /** The advisory's page. */
  html: string;
  /** The advisory document as published (JSON). */
  json: string;
  osv: string;
  /** The CSAF 2.0 document; null when the desk serves no provider. */
  csaf: string | null;
}

export interface AnnouncedScore {
  score: number;
  vector: string;
}

export interface Announcement {
  id: string;
  title: string;
  summary: string;
  /** The advisory's own language (its text is not translated). */
  lang: string;
  published: string;
  aliases: string[];
  cwe: string[];
  severity: { rating: CvssSeverity; score: number; cvss31: AnnouncedScore | null; cvss40: AnnouncedScore | null };
  affected: Array<{ image: string; tag: string; digest: string; remedy: Remedy }>;
  fixed: Array<{ image: string; tag: string; digest: string }>;
  remediation: string | null;
  workarounds: string[];
  urls: AnnouncementUrls;
}

/** The event a webhook receives when an advisory is published. */
export const PUBLISHED_EVENT = 'advisory.published';

const scoreOf = (s: CvssScore | undefined): AnnouncedScore | null => (s ? { score: s.score, vector: s.vector } : null);

export function announcementOf(view: AdvisoryView, urls: AnnouncementUrls): Announcement {
  const a = view.advisory;
  return {
    id: a.id,
    title: a.title,
    summary: a.summary,
    lang: a.lang,
    published: view.initialRelease,
    aliases: [...a.aliases],
    cwe: [...a.cwe],
    severity: { rating: view.severity, score: view.score, cvss31: scoreOf(view.cvss31), cvss40: scoreOf(view.cvss40) },
    affected: view.images.flatMap((i) => i.affected.map((p) => ({ image: i.name, tag: p.tag, digest: p.digest, remedy: p.remedy }))),
    fixed: view.images.flatMap((i) => i.fixed.map((p) => ({ image: i.name, tag: p.tag, digest: p.digest }))),
    remediation: a.remediation?.trim() ?? null,
    workarounds: a.workarounds.map((w) => w.trim()),
    urls,
  };
}

/** The webhook's JSON body: `{"event": "advisory.published", "delivery": "<id>", "advisory": {...}}`. */
export const webhookBody = (announcement: Announcement, delivery: string): string => JSON.stringify({ event: PUBLISHED_EVENT, delivery, advisory: announcement });
