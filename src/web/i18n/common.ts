import type { UiLanguage } from './languages.js';

/** Words of the page frame, in every UI language. Each area of the site keeps its own catalog beside this one. */
export const common = {
  en: {
    skip: 'Skip to content',
    policy: 'Security policy',
    report: 'Report a vulnerability',
    securityTxt: 'security.txt',
    securityMd: 'SECURITY.md',
    teamLogin: 'Team sign-in',
    language: 'Language',
    poweredBy: 'Run with cvdesk, a coordinated vulnerability disclosure desk.',
    errorTitle: 'Something is not right',
    notFound: 'There is nothing at this address.',
    back: 'Back to the security policy',
  },
  de: {
    skip: 'Zum Inhalt springen',
    policy: 'Sicherheitsrichtlinie',
    report: 'Schwachstelle melden',
    securityTxt: 'security.txt',
    securityMd: 'SECURITY.md',
    teamLogin: 'Anmeldung für das Team',
    language: 'Sprache',
    poweredBy: 'Betrieben mit cvdesk, einem Meldesystem für koordinierte Offenlegung von Schwachstellen.',
    errorTitle: 'Etwas stimmt nicht',
    notFound: 'Unter dieser Adresse gibt es nichts.',
    back: 'Zurück zur Sicherheitsrichtlinie',
  },
} satisfies Record<UiLanguage, Record<string, string>>;

export type CommonWords = (typeof common)['en'];
