import { checkSealed } from '../adapters/pgp/sealed-message.js';
import { cleanFilename, type Upload } from '../domain/reports/attachment-rules.js';
import { SEALED_FILE_OVERHEAD_BYTES, SEALED_MESSAGE_MAX_BYTES, sealedFilenameProblem, sealedTitle, type SealedFields, type SealedUpload } from '../domain/reports/sealed-report.js';
import { deskPublicKey } from './desk-public-key.js';
import { AppError } from './errors.js';
import { submitReport, type SubmitReportInput, type SubmittedReport } from './submit-report.js';

type Deps = Parameters<typeof submitReport>[0] & Parameters<typeof deskPublicKey>[0];

export interface SubmitSealedInput {
  /** Parsed with sealedFieldsSchema: the clear fields and the armored message. */
  fields: SealedFields;
  /** Each an OpenPGP message (binary or armored) to the desk's key, named *.pgp. */
  files: readonly Upload[];
  channel: SubmitReportInput['channel'];
}

function refuse(code: 'invalid_input' | 'too_large', field: string, message: string, shown: string): never {
  throw new AppError(code, shown, [{ field, message }]);
}

const ARMOR = '-----BEGIN PGP MESSAGE-----';

/**
 * A report its reporter encrypted in their browser: checked as OpenPGP messages to the desk's key
 * (never decrypted, never logged), then filed like any report with `encrypted` set, the message as
 * its description, the encrypted files as its attachments and a neutral title. Nothing is stored
 * when any part is refused.
 */
export async function submitSealedReport(deps: Deps, input: SubmitSealedInput): Promise<SubmittedReport> {
  const key = await deskPublicKey(deps);
  if (!key) refuse('invalid_input', 'encrypted', 'this desk takes no encrypted reports (it has no OpenPGP key)', 'This desk has no OpenPGP key for encrypted reports: send the report without encryption.');
  const { keyIds } = key;
  const message = await checkSealed(input.fields.encrypted, keyIds, SEALED_MESSAGE_MAX_BYTES);
  if (!message.ok) refuse('invalid_input', 'encrypted', message.problem, `The encrypted report was not accepted: it ${message.problem}.`);
  const limits = deps.config.limits;
  if (input.files.length > limits.attachmentsPerReport) {
    refuse('too_large', 'attachments', `at most ${limits.attachmentsPerReport} files at once`, `At most ${limits.attachmentsPerReport} attachments can be sent at once.`);
  }
  const files: SealedUpload[] = [];
  for (const f of input.files) {
    const nameProblem = sealedFilenameProblem(f.filename);
    if (nameProblem) refuse('invalid_input', 'attachments', nameProblem, `The attachments were not accepted: ${nameProblem}`);
    const name = cleanFilename(f.filename);
    const max = limits.attachmentBytes + SEALED_FILE_OVERHEAD_BYTES;
    if (f.data.byteLength > max) refuse('too_large', 'attachments', `${name}: larger than the most this desk accepts per file`, `The attachments were not accepted: ${name} is too large.`);
    // A file may come armored (a script's or gpg's --armor output); it is kept binary either way.
    const data = Buffer.from(f.data.subarray(0, 64)).toString('latin1').trimStart().startsWith(ARMOR) ? Buffer.from(f.data).toString('utf8') : f.data;
    const checked = await checkSealed(data, keyIds, max);
    if (!checked.ok) refuse('invalid_input', 'attachments', `${name}: ${checked.problem}`, `The attachments were not accepted: ${name} ${checked.problem}.`);
    files.push({ filename: name, contentType: 'application/pgp-encrypted', data: checked.binary });
  }
  const { encrypted: _, ...clear } = input.fields;
  void _;
  return submitReport(deps, {
    fields: { ...clear, title: sealedTitle(clear.language), description: message.armored },
    attachments: [],
    sealed: { files },
    channel: input.channel,
  });
}
