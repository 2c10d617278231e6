import { createHash } from 'node:crypto';
import type { Db } from '../adapters/db/open-database.js';
import type { Config } from '../config.js';
import { checkUpload, type AcceptedUpload, type Upload } from '../domain/reports/attachment-rules.js';
import type { SealedUpload } from '../domain/reports/sealed-report.js';
import { AppError } from './errors.js';

/**
 * Checks every file of one submission or message before anything is stored: all pass or the whole
 * request fails (an oversized file is a 413, a refused type a 400), naming each file's problem.
 */
export function acceptUploads(uploads: readonly Upload[], limits: Config['limits']): AcceptedUpload[] {
  if (uploads.length > limits.attachmentsPerReport) {
    throw new AppError('too_large', `At most ${limits.attachmentsPerReport} attachments can be sent at once.`, [
      { field: 'attachments', message: `at most ${limits.attachmentsPerReport} files at once` },
    ]);
  }
  const checked = uploads.map((u) => checkUpload(u, limits.attachmentBytes));
  const problems = checked.flatMap((c) => (c.ok ? [] : [c.problem]));
  if (problems.length > 0) {
    const fields = problems.map((p) => ({ field: 'attachments', message: p.message }));
    const code = problems.some((p) => p.kind === 'too_large') ? 'too_large' : 'invalid_input';
    throw new AppError(code, `The attachments were not accepted: ${problems.map((p) => p.message).join('; ')}`, fields);
  }
  return checked.flatMap((c) => (c.ok ? [c.upload] : []));
}

/** Stores accepted files with their SHA-256, inside the caller's transaction. */
export async function storeAttachments(
  trx: Db,
  deps: { newId: () => string },
  where: { reportId: string; messageId: string | null },
  uploads: readonly (AcceptedUpload | SealedUpload)[],
  now: Date,
): Promise<string[]> {
  const ids: string[] = [];
  for (const u of uploads) {
    const id = deps.newId();
    ids.push(id);
    await trx
      .insertInto('attachments')
      .values({
        id,
        report_id: where.reportId,
        message_id: where.messageId,
        filename: u.filename,
        content_type: u.contentType,
        size: u.data.byteLength,
        sha256: createHash('sha256').update(u.data).digest('hex'),
        data: u.data,
        created_at: now,
      })
      .execute();
  }
  return ids;
}
