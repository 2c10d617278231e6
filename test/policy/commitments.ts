// Every commitment of the two reference policies (see DESIGN.md), as SECURITY.md and the policy page must state it.

/** Every commitment of the reference policy, as the rendered SECURITY.md must say it. */
export const MAUTIC_COMMITMENTS = [
  'Docker image configuration',
  'Mautic core application vulnerabilities (handled by the Mautic Security Team: report at https://github.com/mautic/mautic/security/advisories/new)',
  'Third-party plugins not included in the official image',
  'rebuilt every Monday at 00:00 UTC',
  'most recent minor version of each supported major version',
  'Development, alpha, beta and release candidate images do not receive security advisories',
  'Images for unsupported versions do not receive security updates',
  "private disclosure via GitHub's Security Advisory feature at https://github.com/mautic/docker/security",
  'Keep it confidential',
  'private fork to propose a fix',
  'acknowledge your report within 24 hours of receiving it',
  'within 7 business days of receiving it',
  'develop and test a fix within 21 business days of confirming it',
  'on the 2nd and 4th Wednesday of each month',
  'out-of-cycle release is made in collaboration with the Mautic Security Team',
  'announced alongside the new image builds',
  'Announcements include the severity, affected builds and remediation steps',
  'ship the fix in a new image build in the next security release window after the fix is ready',
  'encouraged to update to the latest secure image',
  'Issues remain private until a fix is available',
  'Public announcements occur only after secure versions are released',
  'Coordination with the Mautic Security Team will occur when issues overlap with core application security',
  'Regular participation is expected',
];

export const OZG_COMMITMENTS = [
  'Send an e-mail to [ozgsec@bmi.bund.de](mailto:ozgsec@bmi.bund.de)',
  'issue[confidential]=on&issuable_template=security-advisory-en',
  'OpenPGP-encrypted e-mail to [ozgsec@neuland-homeland.de]',
  '7FA5 10EA 6D5B 404F A49D EDDD 52AC 2F9A ABDD 3852',
  'We endeavour to develop and test a fix within 1 week of receiving it',
  'newest build tag carries the latest security updates',
  '`main-{sha}-{ts}`',
  'rebuilt only for severe vulnerabilities',
  'as part of the release that contains the fix',
  'we credit you as the reporter',
  'English and German',
];

/** The same commitments as the German SECURITY.md must state them. Free text of the policy (scope areas, guidelines) stays as written. */
export const MAUTIC_COMMITMENTS_DE = [
  'Docker image configuration',
  'Mautic core application vulnerabilities (dafür ist das Mautic Security Team zuständig: Meldungen an https://github.com/mautic/mautic/security/advisories/new)',
  'Third-party plugins not included in the official image',
  'jeden Montag um 00:00 Uhr UTC neu gebaut',
  'für die neueste Nebenversion jeder unterstützten Hauptversion',
  'Entwicklungs-, Alpha-, Beta- und Release-Candidate-Images erhalten keine Sicherheitshinweise',
  'Images nicht unterstützter Versionen erhalten keine Sicherheitsupdates',
  'vertrauliche Meldung über die Security-Advisory-Funktion von GitHub unter https://github.com/mautic/docker/security',
  'Keep it confidential',
  'private fork to propose a fix',
  'Wir bestätigen Ihre Meldung innerhalb von 24 Stunden nach Eingang.',
  'Wir prüfen innerhalb von 7 Werktagen nach Eingang',
  'Wir entwickeln und testen innerhalb von 21 Werktagen nach Bestätigung der Schwachstelle eine Korrektur.',
  'am 2. und 4. Mittwoch jedes Monats (UTC)',
  'in Zusammenarbeit mit dem Mautic Security Team ein Release außerhalb des regulären Zyklus',
  'zusammen mit den neuen Image-Builds bekannt gegeben',
  'Die Bekanntmachungen enthalten den Schweregrad, die betroffenen Builds und die Schritte zur Behebung.',
  'Wir veröffentlichen die Korrektur im nächsten Release-Fenster für Sicherheitskorrekturen nach ihrer Fertigstellung in einem neuen Image-Build.',
  'auf das neueste sichere Image zu aktualisieren',
  'Meldungen bleiben vertraulich, bis eine Korrektur verfügbar ist.',
  'Öffentliche Bekanntmachungen erfolgen erst, wenn sichere Versionen veröffentlicht sind.',
  'Coordination with the Mautic Security Team will occur when issues overlap with core application security',
  'Regular participation is expected',
];

export const OZG_COMMITMENTS_DE = [
  'Senden Sie eine E-Mail an [ozgsec@bmi.bund.de](mailto:ozgsec@bmi.bund.de)',
  'issue[confidential]=on&issuable_template=security-advisory-en',
  'mit OpenPGP verschlüsselte E-Mail an [ozgsec@neuland-homeland.de]',
  '7FA5 10EA 6D5B 404F A49D EDDD 52AC 2F9A ABDD 3852',
  'Wir bemühen uns, innerhalb einer Woche nach Eingang eine Korrektur zu entwickeln und zu testen.',
  'das neueste Build-Tag enthält also die neuesten Sicherheitsupdates',
  '`main-{sha}-{ts}`',
  'Neu gebaut werden sie nur bei schwerwiegenden Sicherheitslücken',
  'mit dem Release veröffentlicht, das die Korrektur enthält',
  'Auf Wunsch nennen wir Sie im Sicherheitshinweis',
  'Englisch und Deutsch',
];

/** By language and example policy file, for the SECURITY.md test and the policy page test. */
export const COMMITMENTS = {
  en: { 'mautic-docker.yaml': MAUTIC_COMMITMENTS, 'ozg-security-scanner.yaml': OZG_COMMITMENTS },
  de: { 'mautic-docker.yaml': MAUTIC_COMMITMENTS_DE, 'ozg-security-scanner.yaml': OZG_COMMITMENTS_DE },
};
