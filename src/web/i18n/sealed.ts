import type { UiLanguage } from './languages.js';

/**
 * Words of the report form's "Encrypt in my browser" choice. The `script*` texts reach
 * assets/encrypt-report.js as data attributes, so the script carries no language of its own.
 */
export const sealedWords: Record<UiLanguage, {
  legend: string;
  toggle: string;
  hint: (fingerprint: string) => string;
  clear: string;
  field: string;
  scriptWorking: string;
  scriptFailed: string;
  scriptUnavailable: string;
  scriptSendFailed: string;
}> = {
  en: {
    legend: 'Encryption',
    toggle: 'Encrypt in my browser',
    hint: (fp) =>
      `Before anything is sent, this page encrypts the title, description, steps, impact, CVSS vector and attachments with the project's OpenPGP key (${fp}). The desk stores only the encrypted message and only the security team can read it. The report is listed as "Encrypted report".`,
    clear: 'Sent in clear, because the desk needs them without reading the report: the image and tag, your name and e-mail address (for the acknowledgement and the replies), your credit choice and the language.',
    field: 'Encrypted report',
    scriptWorking: 'Encrypting your report…',
    scriptFailed: 'The report could not be encrypted, so nothing was sent:',
    scriptUnavailable: 'Encryption is not available in this browser right now. Without it the report is sent unencrypted (over HTTPS).',
    scriptSendFailed: 'The report could not be sent; your text is still here:',
  },
  de: {
    legend: 'Verschlüsselung',
    toggle: 'In meinem Browser verschlüsseln',
    hint: (fp) =>
      `Bevor etwas gesendet wird, verschlüsselt diese Seite Titel, Beschreibung, Schritte, Auswirkung, CVSS-Vektor und Anhänge mit dem OpenPGP-Schlüssel des Projekts (${fp}). Die Plattform speichert nur die verschlüsselte Nachricht, lesen kann sie nur das Sicherheitsteam. Die Meldung erscheint als „Verschlüsselte Meldung“.`,
    clear: 'Unverschlüsselt gesendet, weil die Plattform sie braucht, ohne die Meldung zu lesen: Image und Tag, Ihr Name und Ihre E-Mail-Adresse (für die Eingangsbestätigung und Antworten), Ihr Wunsch zur Nennung und die Sprache.',
    field: 'Verschlüsselte Meldung',
    scriptWorking: 'Ihre Meldung wird verschlüsselt …',
    scriptFailed: 'Die Meldung konnte nicht verschlüsselt werden, es wurde nichts gesendet:',
    scriptUnavailable: 'Verschlüsselung ist in diesem Browser gerade nicht verfügbar. Ohne sie wird die Meldung unverschlüsselt (über HTTPS) gesendet.',
    scriptSendFailed: 'Die Meldung konnte nicht gesendet werden; Ihr Text ist noch da:',
  },
};
