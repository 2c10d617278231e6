import type { CvssSeverity } from '../../domain/advisories/cvss.js';
import type { Remedy } from '../../domain/advisories/resolve.js';

/**
 * Every sentence of mail to advisory subscribers (the confirmation and the announcements), in the
 * subscriber's language. The advisory's own text (title, summary, remediation) stays as written.
 */
export interface SubscriberMailWords {
  instant(d: Date, timeZone: string): string;
  severity(s: CvssSeverity): string;
  signature(team: string): string;

  confirmSubject(project: string): string;
  confirmAsked(project: string): string;
  confirmLink(expires: string): string;
  confirmIgnore: string;

  announceSubject(project: string, ident: string, severity: string, title: string): string;
  announceIntro(team: string, project: string, ident: string): string;
  severityLine(severity: string, score: number): string;
  aliases(ids: string): string;
  affected: string;
  noneAffected: string;
  remedy(image: string, r: Remedy): string;
  fixed: string;
  whatToDo: string;
  workarounds: string;
  readMore: string;
  machineReadable: string;
  footer(project: string): string;
  unsubscribe: string;
}
