import type { Announcement } from '../announcement.js';
import type { MailText } from './build-mail.js';
import { subscriberWordsDe } from './subscriber-words-de.js';
import { subscriberWordsEn } from './subscriber-words-en.js';
import type { SubscriberMailWords } from './subscriber-words.js';
import type { MailLanguage, MailSender } from './words.js';

/**
 * Mail to advisory subscribers as plain text: the confirmation of a subscription (double opt-in)
 * and the announcement of a published advisory, in the subscriber's language.
 */
const WORDS: Record<MailLanguage, SubscriberMailWords> = { en: subscriberWordsEn, de: subscriberWordsDe };

export interface SubscriberContext extends MailSender {
  lang: MailLanguage;
}

const lines = (parts: Array<string | null | false | undefined>): string =>
  parts
    .filter((p): p is string => typeof p === 'string')
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');

/** One line of text: the advisory's own words never break the mail's layout. */
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

export function confirmationMail(c: SubscriberContext, s: { link: string; expiresAt: Date }): MailText {
  const w = WORDS[c.lang];
  return {
    subject: w.confirmSubject(c.project),
    text: lines([w.confirmAsked(c.project), '', w.confirmLink(w.instant(s.expiresAt, c.timeZone)), s.link, '', w.confirmIgnore, '', w.signature(c.team), '']),
  };
}

export function announcementMail(c: SubscriberContext, a: Announcement, unsubscribeUrl: string): MailText {
  const w = WORDS[c.lang];
  const severity = w.severity(a.severity.rating);
  const cvss = [a.severity.cvss40 ? `CVSS 4.0: ${a.severity.cvss40.score.toFixed(1)} ${a.severity.cvss40.vector}` : null, a.severity.cvss31 ? `CVSS 3.1: ${a.severity.cvss31.score.toFixed(1)} ${a.severity.cvss31.vector}` : null];
  const text = lines([
    w.announceIntro(c.team, c.project, a.id),
    '',
    oneLine(a.title),
    '',
    a.summary.trim(),
    '',
    w.severityLine(severity, a.severity.score),
    ...cvss,
    a.aliases.length ? w.aliases(a.aliases.join(', ')) : null,
    '',
    w.affected,
    ...(a.affected.length ? a.affected.map((p) => `- ${p.image}:${p.tag} (${p.digest}): ${w.remedy(p.image, p.remedy)}`) : [w.noneAffected]),
    ...(a.fixed.length ? ['', w.fixed, ...a.fixed.map((p) => `- ${p.image}:${p.tag} (${p.digest})`)] : []),
    ...(a.remediation ? ['', w.whatToDo, a.remediation] : []),
    ...(a.workarounds.length ? ['', w.workarounds, ...a.workarounds.map((x) => `- ${oneLine(x)}`)] : []),
    '',
    w.readMore,
    a.urls.html,
    '',
    w.machineReadable,
    ...[a.urls.csaf ? `CSAF: ${a.urls.csaf}` : null, `OSV: ${a.urls.osv}`, `JSON: ${a.urls.json}`],
    '',
    w.signature(c.team),
    '',
    '--',
    w.footer(c.project),
    w.unsubscribe,
    unsubscribeUrl,
    '',
  ]);
  return { subject: w.announceSubject(c.project, a.id, severity, oneLine(a.title)), text };
}
