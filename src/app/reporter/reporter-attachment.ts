import type { Context } from '../../context.js';
import { auditRead } from '../audit.js';

type Deps = Pick<Context, 'db' | 'clock'>;

/**
 * One file the reporter may download: of their own report, and not attached to a team note.
 * null for any other id, so a guessed id tells nothing. The read is audited.
 */
export async function reporterAttachment(deps: Deps, input: { reportId: string; attachmentId: string }): Promise<{ filename: string; contentType: string; data: Uint8Array } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(input.attachmentId)) return null;
  const a = await deps.db
    .selectFrom('attachments')
    .leftJoin('messages', 'messages.id', 'attachments.message_id')
    .select(['attachments.id', 'attachments.filename', 'attachments.content_type', 'attachments.data'])
    .where('attachments.id', '=', input.attachmentId)
    .where('attachments.report_id', '=', input.reportId)
    .where((eb) => eb.or([eb('attachments.message_id', 'is', null), eb('messages.internal', '=', false)]))
    .executeTakeFirst();
  if (!a) return null;
  await auditRead(deps.db, { actorKind: 'reporter', action: 'report.attachment.read', reportId: input.reportId, detail: { attachmentId: a.id } }, deps.clock());
  return { filename: a.filename, contentType: a.content_type, data: a.data };
}
