import { z } from 'zod';
import { cleanFilename } from './attachment-rules.js';
import { REPORT_LIMITS, reportFieldsSchema, textProblem, type ReportInputOptions } from './report-input.js';

/**
 * A report encrypted in the reporter's browser to the desk's OpenPGP key ("sealed"). The
 * vulnerability itself (title, description, steps, impact, the reporter's CVSS vector and the
 * files) travels as one OpenPGP message, `encrypted`, plus one encrypted file per attachment; the
 * desk stores them as they are and never decrypts them. What stays in clear is what the desk needs
 * to work without reading the report: the image and tag (the inbox and the support rules), the
 * reporter's name and address (the acknowledgement and replies), the credit choice and the language.
 *
 * The message decrypts to JSON, for the team's browser (assets/decrypt-report.js) or `gpg --decrypt`:
 *   {"type":"cvdesk-report","version":1,"title","description","steps"?,"impact"?,"cvss"?,
 *    "attachments":[{"file":"attachment-1.pgp","name":"poc.zip","type":"application/zip","size":123}]}
 * and each file to the original bytes (its literal packet carries the original name).
 */

/** An encrypted file as the desk keeps it: checked as an OpenPGP message to its key, never opened. */
export interface SealedUpload {
  filename: string;
  contentType: 'application/pgp-encrypted';
  data: Uint8Array;
}

/** Fields that never travel in clear when the reporter encrypts. */
export const SEALED_FIELDS = ['title', 'description', 'steps', 'impact', 'cvss'] as const;

/**
 * The armored message: the text fields' limits, UTF-8 and JSON-escaped, fit in a quarter of this;
 * the rest is room for armor and a large key. Below the multipart field limit (1 MiB).
 */
export const SEALED_MESSAGE_MAX_BYTES = 1_000_000;

/** An encrypted file may exceed the plain file limit by this much (packet headers, session keys). */
export const SEALED_FILE_OVERHEAD_BYTES = 64 * 1024;

/** The report's clear fields plus the armored message, as the form and the API send them. */
export function sealedFieldsSchema(o: ReportInputOptions) {
  return reportFieldsSchema(o)
    .omit({ title: true, description: true, steps: true, impact: true, cvss: true })
    .extend({
      encrypted: z
        .string()
        .min(1, 'is required')
        .max(SEALED_MESSAGE_MAX_BYTES, `must be at most ${SEALED_MESSAGE_MAX_BYTES} characters`)
        .meta({ description: 'The report (title, description, steps, impact, CVSS) as an ASCII-armored OpenPGP message encrypted to the desk key; see the README' }),
    });
}

export type SealedFields = z.output<ReturnType<typeof sealedFieldsSchema>>;

/** The title a sealed report has in the inbox and in mail: neutral, in the report's language. */
const SEALED_TITLES: Record<string, string> = { en: 'Encrypted report', de: 'Verschlüsselte Meldung' };
export const sealedTitle = (language: string): string => SEALED_TITLES[language] ?? SEALED_TITLES.en!;

/** Why an encrypted file's name is refused, or null: a plain name ending in .pgp. */
export function sealedFilenameProblem(filename: string): string | null {
  const name = cleanFilename(filename);
  if (name === '') return 'an encrypted file has no name';
  if (name.length > REPORT_LIMITS.filename) return `${name.slice(0, 40)}…: the file name is longer than ${REPORT_LIMITS.filename} characters`;
  const text = textProblem(name, false);
  if (text) return `the file name ${text}`;
  if (!/\.pgp$/i.test(name)) return `${name}: an encrypted file's name must end in .pgp`;
  return null;
}
