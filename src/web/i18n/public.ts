import type { UiLanguage } from './languages.js';

/** Words of the public home and policy pages. The policy's own sentences come from the SECURITY.md renderer. */
export interface PublicWords {
  homeTitle(project: string): string;
  homeLead: string;
  reportButton: string;
  readPolicy: string;
  waysToReport: string;
  formHint: string;
  openpgpKey: string;
  fingerprint: string;
  promises: string;
  scope: string;
  inScope: string;
  outOfScope: string;
  files: string;
  policyPage: string;
  securityTxt: string;
  securityMd: string;
  policyTitle: string;
  onThisPage: string;
  alsoAs: string;
}

export const publicWords = {
  en: {
    homeTitle: (project) => `Report a security vulnerability in ${project}`,
    homeLead: 'Tell us confidentially. Here is how to reach the security team, what is in scope, and what you can expect from us.',
    reportButton: 'Report a vulnerability',
    readPolicy: 'Read the security policy',
    waysToReport: 'Ways to report',
    formHint: 'The report form needs no account. You get a private link to follow your report and talk to the team.',
    openpgpKey: 'OpenPGP key',
    fingerprint: 'Fingerprint',
    promises: 'What we promise',
    scope: 'Scope',
    inScope: 'We handle',
    outOfScope: 'We do not directly handle',
    files: 'The policy as files',
    policyPage: 'Security policy, in full',
    securityTxt: 'security.txt (RFC 9116): the contacts, machine-readable',
    securityMd: 'SECURITY.md: the policy as markdown, for repositories',
    policyTitle: 'Security policy',
    onThisPage: 'On this page',
    alsoAs: 'Also as',
  },
  de: {
    homeTitle: (project) => `Eine Sicherheitslücke in ${project} melden`,
    homeLead: 'Melden Sie sie uns vertraulich. Hier steht, wie Sie das Sicherheitsteam erreichen, wofür es zuständig ist und was Sie von uns erwarten können.',
    reportButton: 'Schwachstelle melden',
    readPolicy: 'Sicherheitsrichtlinie lesen',
    waysToReport: 'So melden Sie',
    formHint: 'Für das Meldeformular brauchen Sie kein Benutzerkonto. Sie erhalten einen privaten Link, über den Sie Ihre Meldung verfolgen und mit dem Team schreiben können.',
    openpgpKey: 'OpenPGP-Schlüssel',
    fingerprint: 'Fingerabdruck',
    promises: 'Was wir zusagen',
    scope: 'Geltungsbereich',
    inScope: 'Wir bearbeiten',
    outOfScope: 'Nicht direkt bearbeitet werden',
    files: 'Die Richtlinie als Datei',
    policyPage: 'Sicherheitsrichtlinie, vollständig',
    securityTxt: 'security.txt (RFC 9116): die Kontakte, maschinenlesbar',
    securityMd: 'SECURITY.md: die Richtlinie als Markdown, für Repositories',
    policyTitle: 'Sicherheitsrichtlinie',
    onThisPage: 'Auf dieser Seite',
    alsoAs: 'Auch als',
  },
} satisfies Record<UiLanguage, PublicWords>;
