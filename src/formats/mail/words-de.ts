import type { RejectionReason, ReportState } from '../../domain/reports/states.js';
import { formatMailInstant, type ReporterMailWords } from './words.js';

// German mail to reporters. Addresses the reader formally ("Sie"), like the German SECURITY.md and pages.

const STATE: Record<ReportState, [string, string]> = {
  received: ['eingegangen', 'Ihre Meldung ist angekommen. Das Team hat den Eingang noch nicht bestätigt.'],
  acknowledged: ['bestätigt', 'Das Team hat den Eingang Ihrer Meldung bestätigt und bewertet sie.'],
  waiting_on_reporter: ['wartet auf Ihre Antwort', 'Das Team hat Ihnen eine Frage gestellt. Bitte antworten Sie; bis dahin ruht die Frist für die Bewertung.'],
  accepted: ['als Schwachstelle anerkannt', 'Das Team hat die Schwachstelle bestätigt und wird sie beheben.'],
  rejected: ['geschlossen', 'Das Team hat Ihre Meldung ohne Behebung geschlossen.'],
  fixing: ['in Behebung', 'Das Team bereitet eine Behebung vor.'],
  fixed: ['behoben', 'Eine Behebung ist in einem Build enthalten. Die Sicherheitsmeldung erscheint, sobald das behobene Image veröffentlicht ist.'],
  disclosed: ['veröffentlicht', 'Die Sicherheitsmeldung ist veröffentlicht. Vielen Dank für Ihre Meldung.'],
};

const REASON: Record<RejectionReason, string> = {
  invalid: 'Es handelt sich nicht um eine Schwachstelle.',
  duplicate: 'Sie entspricht einer früheren Meldung.',
  out_of_scope: 'Sie liegt außerhalb des Geltungsbereichs dieser Sicherheitsrichtlinie.',
  upstream: 'Sie betrifft ein anderes Projekt; die Nachricht des Teams sagt, wo Sie sie melden können.',
};

const titled = (r: { number: number; title: string }) => `Nr. ${r.number} „${r.title}“`;

/** "Ihre Meldung ist jetzt bestätigt", but "Ihre Meldung wartet auf Ihre Antwort". */
const isNow = (s: ReportState) => (s === 'waiting_on_reporter' ? `wartet jetzt auf Ihre Antwort` : `ist jetzt ${STATE[s][0]}`);

export const reporterWordsDe: ReporterMailWords = {
  greeting: (name) => (name ? `Guten Tag ${name},` : 'Guten Tag,'),
  signature: (team) => `— ${team}`,
  instant: (d, tz) => formatMailInstant(d, tz, 'de'),

  ackSubject: (n) => `Ihre Meldung Nr. ${n} ist eingegangen`,
  ackThanks: (team, project, r, received) => `vielen Dank, dass Sie dem ${team} von ${project} eine Schwachstelle melden. Ihre Meldung ${titled(r)} ist am ${received} eingegangen.`,
  ackLink: 'Hier verfolgen Sie Ihre Meldung, lesen die Nachrichten des Teams und antworten darauf:',
  ackKeepSecret: 'Dieser Link ist der einzige Weg zurück zu Ihrer Meldung. Geben Sie ihn nicht weiter: Wer ihn hat, kann die Meldung lesen und dem Team schreiben.',
  ackAutomatic: 'Diese Nachricht ist unsere Eingangsbestätigung.',
  ackPromises: 'Was wir zusagen:',
  replyByMail: 'Sie können auch auf diese E-Mail antworten: Ihre Antwort wird Ihrer Meldung hinzugefügt.',
  replyOnPage: 'Um die ganze Meldung zu sehen oder zu antworten, öffnen Sie den Link zur Nachverfolgung aus unserer ersten E-Mail.',

  stateSubject: (n, s) => (s === 'waiting_on_reporter' ? `Ihre Meldung Nr. ${n} wartet auf Ihre Antwort` : `Ihre Meldung Nr. ${n} ist ${STATE[s][0]}`),
  stateNow: (r, s) => `Ihre Meldung ${titled(r)} ${isNow(s)}.`,
  stateExplained: (s) => STATE[s][1],
  rejectedBecause: (reason) => REASON[reason],

  messageSubject: (n) => `Eine Nachricht zu Ihrer Meldung Nr. ${n}`,
  messageFromTeam: (r) => `Das Team hat Ihnen zu Ihrer Meldung ${titled(r)} geschrieben:`,
  messageFromDesk: (r) => `Ein Hinweis zu Ihrer Meldung ${titled(r)}:`,

  updateSubject: (n) => `Neuigkeiten zu Ihrer Meldung Nr. ${n}`,
  forwarded: (r, upstream) => `Mit Ihrer Zustimmung hat das Team Ihre Meldung ${titled(r)} an ${upstream} weitergegeben.`,
  updated: (r) => `Es gibt Neuigkeiten zu Ihrer Meldung ${titled(r)}.`,
};
