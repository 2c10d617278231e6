import type { UiLanguage } from './languages.js';

/** Words of the public advisory pages. The advisory itself is in its own language (its `lang`). */
export interface AdvisoryWords {
  nav: string;
  title: string;
  lead: string;
  none: string;
  published: string;
  updated: string;
  withdrawn: string;
  severity: string;
  feeds: string;
  atom: string;
  csaf: string;
  osvNote: string;
  alsoAs: string;
  json: string;
  osv: string;
  csafDocument: string;
  csafVex: (vulnerability: string) => string;
  allAdvisories: string;
  subscribeTitle: string;
  subscribeLead: string;
  email: string;
  subscribe: string;
}

export const advisoryWords = {
  en: {
    nav: 'Advisories',
    title: 'Security advisories',
    lead: 'Published advisories about the images of this project: what is affected, tag by tag with digests, and where to move.',
    none: 'No advisory has been published yet.',
    published: 'Published',
    updated: 'Updated',
    withdrawn: 'withdrawn',
    severity: 'Severity',
    feeds: 'Machine-readable',
    atom: 'Atom feed of the advisories',
    csaf: 'CSAF 2.0 provider (provider-metadata.json)',
    osvNote: 'Each advisory is also available as OSV and as its source document (JSON).',
    alsoAs: 'This advisory as',
    json: 'JSON (the advisory document)',
    osv: 'OSV',
    csafDocument: 'CSAF 2.0',
    csafVex: (v) => `CSAF 2.0 VEX: ${v}`,
    allAdvisories: 'All advisories',
    subscribeTitle: 'Get new advisories by e-mail',
    subscribeLead: 'We send a link to confirm the address first. Every mail has a link to unsubscribe with one click.',
    email: 'E-mail address',
    subscribe: 'Subscribe',
  },
  de: {
    nav: 'Sicherheitshinweise',
    title: 'Sicherheitshinweise',
    lead: 'Veröffentlichte Hinweise zu den Images dieses Projekts: was betroffen ist, Tag für Tag mit Digests, und wohin Sie wechseln.',
    none: 'Es wurde noch kein Sicherheitshinweis veröffentlicht.',
    published: 'Veröffentlicht',
    updated: 'Aktualisiert',
    withdrawn: 'zurückgezogen',
    severity: 'Schweregrad',
    feeds: 'Maschinenlesbar',
    atom: 'Atom-Feed der Sicherheitshinweise',
    csaf: 'CSAF-2.0-Provider (provider-metadata.json)',
    osvNote: 'Jeder Hinweis ist auch als OSV und als Quelldokument (JSON) abrufbar.',
    alsoAs: 'Dieser Hinweis als',
    json: 'JSON (das Dokument des Hinweises)',
    osv: 'OSV',
    csafDocument: 'CSAF 2.0',
    csafVex: (v) => `CSAF 2.0 VEX: ${v}`,
    allAdvisories: 'Alle Sicherheitshinweise',
    subscribeTitle: 'Neue Sicherheitshinweise per E-Mail',
    subscribeLead: 'Wir schicken zuerst einen Link, mit dem Sie die Adresse bestätigen. Jede Mail enthält einen Link, mit dem Sie sich mit einem Klick abmelden.',
    email: 'E-Mail-Adresse',
    subscribe: 'Abonnieren',
  },
} satisfies Record<UiLanguage, AdvisoryWords>;
