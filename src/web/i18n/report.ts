import type { PolicyDuration } from '../../domain/policy/duration.js';
import type { UiLanguage } from './languages.js';

/** Words of the report form and the page that hands out the tracking link. */
export const reportWords = {
  en: {
    title: 'Report a vulnerability',
    lead: (project: string) => `Tell the ${project} security team about a vulnerability, confidentially. You need no account.`,
    fieldTitle: 'Title',
    fieldTitleHint: 'A short summary, e.g. "Secrets left in the image layers".',
    fieldImage: 'Affected image',
    fieldImageNone: 'Not sure / not listed',
    fieldTag: 'Tag',
    fieldTagHint: 'The image tag you tested, e.g. 5.2.1-apache.',
    fieldDescription: 'Description',
    fieldDescriptionHint: 'What is wrong, and where.',
    fieldSteps: 'Steps to reproduce',
    fieldImpact: 'Impact',
    fieldImpactHint: 'What an attacker could do with it.',
    fieldCvss: 'CVSS vector',
    fieldCvssHint: 'Optional. CVSS 3.1 or 4.0, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H.',
    fieldAttachments: 'Attachments',
    fieldAttachmentsHint: (types: string, size: string, count: number) => `Optional. Up to ${count} files of at most ${size} each: ${types}.`,
    aboutYou: 'About you',
    fieldName: 'Your name',
    fieldEmail: 'Your e-mail address',
    optional: 'optional',
    emailHint: 'So the team can reach you. Leave both empty to report anonymously; your tracking link still shows you every answer.',
    emailRequiredHint: 'This project needs an address to reach you.',
    credit: 'Credit in the advisory',
    creditName: 'Credit me as',
    creditNone: 'Do not name me',
    creditHint: 'You can change this later on your report page.',
    fieldLanguage: 'Language for the conversation',
    submit: 'Send report',
    required: 'required',
    problems: 'Please correct these fields:',
    asideScope: 'What to report here',
    inScope: 'In scope',
    outOfScope: 'Out of scope',
    reportTo: 'report it to',
    asidePromise: 'What happens next',
    promiseAck: (d: string) => `The team acknowledges your report within ${d}.`,
    promiseTriage: (d: string) => `It is assessed within ${d}.`,
    promiseFix: (d: string) => `A fix for a confirmed vulnerability is due within ${d}.`,
    promiseFixAfterTriage: (d: string) => `A fix for a confirmed vulnerability is due within ${d} after the assessment.`,
    reattach: 'Files are not kept when the form comes back: please attach them again.',
    bestEffort: 'These are the times the team aims for (best effort).',
    asideGuidelines: 'Please',
    asidePrivacy: 'Anonymity and credit',
    privacyText:
      'Name and e-mail are optional. Your report stays confidential until a fix is published. Whether you are credited in the advisory is up to you.',
    encrypted: (address: string) => `Prefer encrypted e-mail? Write to ${address} with the project's OpenPGP key:`,
    createdTitle: 'Your report has been received',
    createdNumber: (n: number) => `Report #${n}`,
    createdKeep: 'This is your tracking link. It is shown only this once: keep it somewhere safe and do not share it. Anyone with the link can read and answer your report.',
    createdCopy: 'Copy link',
    createdCopied: 'Copied',
    createdOpen: 'Open my report',
    createdNext: 'On your report page you see its status, the deadlines the team works to, and the conversation with the team.',
  },
  de: {
    title: 'Schwachstelle melden',
    lead: (project: string) => `Melden Sie dem Sicherheitsteam von ${project} vertraulich eine Schwachstelle. Sie brauchen kein Konto.`,
    fieldTitle: 'Titel',
    fieldTitleHint: 'Eine kurze Zusammenfassung, z. B. „Geheimnisse in den Image-Schichten“.',
    fieldImage: 'Betroffenes Image',
    fieldImageNone: 'Nicht sicher / nicht aufgeführt',
    fieldTag: 'Tag',
    fieldTagHint: 'Der getestete Image-Tag, z. B. 5.2.1-apache.',
    fieldDescription: 'Beschreibung',
    fieldDescriptionHint: 'Was ist falsch, und wo?',
    fieldSteps: 'Schritte zum Nachvollziehen',
    fieldImpact: 'Auswirkung',
    fieldImpactHint: 'Was ein Angreifer damit tun könnte.',
    fieldCvss: 'CVSS-Vektor',
    fieldCvssHint: 'Optional. CVSS 3.1 oder 4.0, z. B. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H.',
    fieldAttachments: 'Anhänge',
    fieldAttachmentsHint: (types: string, size: string, count: number) => `Optional. Bis zu ${count} Dateien mit je höchstens ${size}: ${types}.`,
    aboutYou: 'Über Sie',
    fieldName: 'Ihr Name',
    fieldEmail: 'Ihre E-Mail-Adresse',
    optional: 'optional',
    emailHint: 'Damit das Team Sie erreichen kann. Lassen Sie beides leer, um anonym zu melden; Ihr Link zur Meldung zeigt Ihnen trotzdem jede Antwort.',
    emailRequiredHint: 'Dieses Projekt braucht eine Adresse, unter der es Sie erreicht.',
    credit: 'Nennung in der Sicherheitsmeldung',
    creditName: 'Nennen Sie mich als',
    creditNone: 'Mich nicht nennen',
    creditHint: 'Sie können das später auf der Seite Ihrer Meldung ändern.',
    fieldLanguage: 'Sprache für die Unterhaltung',
    submit: 'Meldung senden',
    required: 'Pflichtfeld',
    problems: 'Bitte korrigieren Sie diese Felder:',
    asideScope: 'Was Sie hier melden können',
    inScope: 'Im Geltungsbereich',
    outOfScope: 'Nicht im Geltungsbereich',
    reportTo: 'bitte melden an',
    asidePromise: 'Wie es weitergeht',
    promiseAck: (d: string) => `Das Team bestätigt den Eingang Ihrer Meldung innerhalb von ${d}.`,
    promiseTriage: (d: string) => `Sie wird innerhalb von ${d} bewertet.`,
    promiseFix: (d: string) => `Eine Behebung einer bestätigten Schwachstelle ist innerhalb von ${d} fällig.`,
    promiseFixAfterTriage: (d: string) => `Eine Behebung einer bestätigten Schwachstelle ist innerhalb von ${d} nach der Bewertung fällig.`,
    reattach: 'Dateien bleiben nicht erhalten, wenn das Formular zurückkommt: Bitte hängen Sie sie erneut an.',
    bestEffort: 'Das Team bemüht sich um diese Zeiten, sagt sie aber nicht fest zu.',
    asideGuidelines: 'Bitte',
    asidePrivacy: 'Anonymität und Nennung',
    privacyText:
      'Name und E-Mail-Adresse sind freiwillig. Ihre Meldung bleibt vertraulich, bis eine Behebung veröffentlicht ist. Ob Sie in der Sicherheitsmeldung genannt werden, entscheiden Sie.',
    encrypted: (address: string) => `Lieber verschlüsselt per E-Mail? Schreiben Sie an ${address} mit dem OpenPGP-Schlüssel des Projekts:`,
    createdTitle: 'Ihre Meldung ist eingegangen',
    createdNumber: (n: number) => `Meldung Nr. ${n}`,
    createdKeep:
      'Das ist Ihr Link zur Meldung. Er wird nur dieses eine Mal angezeigt: Bewahren Sie ihn sicher auf und geben Sie ihn nicht weiter. Wer den Link hat, kann Ihre Meldung lesen und beantworten.',
    createdCopy: 'Link kopieren',
    createdCopied: 'Kopiert',
    createdOpen: 'Meine Meldung öffnen',
    createdNext: 'Auf der Seite Ihrer Meldung sehen Sie den Stand, die Fristen, an die sich das Team hält, und die Unterhaltung mit dem Team.',
  },
} satisfies Record<UiLanguage, Record<string, string | ((...a: never[]) => string)>>;

export type ReportWords = (typeof reportWords)['en'];

/** A policy duration in words: "24 hours", "7 business days" / "24 Stunden", "7 Werktagen" (dative after "innerhalb von"). */
export function durationWords(d: PolicyDuration, lang: UiLanguage): string {
  const n = d.amount;
  if (lang === 'de') {
    if (d.unit === 'hours') return `${n} ${n === 1 ? 'Stunde' : 'Stunden'}`;
    if (d.unit === 'business_days') return `${n} ${n === 1 ? 'Werktag' : 'Werktagen'}`;
    return n % 7 === 0 ? `${n / 7} ${n === 7 ? 'Woche' : 'Wochen'}` : `${n} ${n === 1 ? 'Kalendertag' : 'Kalendertagen'}`;
  }
  if (d.unit === 'hours') return `${n} hour${n === 1 ? '' : 's'}`;
  if (d.unit === 'business_days') return `${n} business day${n === 1 ? '' : 's'}`;
  return n % 7 === 0 ? `${n / 7} week${n === 7 ? '' : 's'}` : `${n} calendar day${n === 1 ? '' : 's'}`;
}

/** The schema's messages are English; German pages show the common ones in German. */
const GERMAN_PROBLEMS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^is required$|^Invalid input: expected string, received undefined$/, () => 'ist ein Pflichtfeld'],
  [/^must be at most (\d+) characters$/, (m) => `darf höchstens ${m[1]} Zeichen lang sein`],
  [/^must be at least (\d+) characters$/, (m) => `muss mindestens ${m[1]} Zeichen lang sein`],
  [/^must be a single line$/, () => 'muss eine einzelne Zeile sein'],
  [/^must not contain a NUL character$/, () => 'darf kein NUL-Zeichen enthalten'],
  [/^must not contain control characters$/, () => 'darf keine Steuerzeichen enthalten'],
  [/^is not valid Unicode text$|^is not valid UTF-8 text$/, () => 'ist kein gültiger Text (UTF-8)'],
  [/^must be an e-mail address$/, () => 'muss eine E-Mail-Adresse sein'],
  [/^must be an image tag/, () => 'muss ein Image-Tag sein, z. B. 5.2.1-apache'],
  [/^must be one of: (.*)$/, (m) => `muss eines davon sein: ${m[1]}`],
  [/^this project does not credit reporters$/, () => 'dieses Projekt nennt keine Meldenden'],
];

export function problemWords(message: string, lang: UiLanguage): string {
  if (lang !== 'de') return message;
  for (const [re, say] of GERMAN_PROBLEMS) {
    const m = re.exec(message);
    if (m) return say(m);
  }
  return message;
}
