import type { Context } from '../../context.js';
import { textProblem } from '../../domain/reports/report-input.js';
import { appendAudit } from '../audit.js';
import { AppError } from '../errors.js';

export interface TeamMessageInput {
  reportId: string;
  authorId: string;
  body: string;
  /** A private team note: never shown to the reporter. */
  internal: boolean;
}

export const MAX_MESSAGE_LENGTH = 50_000;

type Deps = Pick<Context, 'db' | 'clock' | 'newId'>;

/** A message to the reporter or a private note, with its timeline entry and audit record in one transaction. */
export async function postTeamMessage(deps: Deps, input: TeamMessageInput): Promise<{ id: string }> {
  const body = input.body.trim();
  if (!body) throw new AppError('invalid_input', 'The message is empty.');
  if (body.length > MAX_MESSAGE_LENGTH) throw new AppError('invalid_input', `The message is longer than ${MAX_MESSAGE_LENGTH} characters.`);
  // The reporter's messages pass the same check (messageBodySchema): a NUL reached PostgreSQL and was a 500 (found by test/fuzz/payloads.test.ts).
  const problem = textProblem(body, true);
  if (problem) throw new AppError('invalid_input', `The message ${problem}.`);
  const now = deps.clock();
  const id = deps.newId();
  await deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('reports').select('id').where('id', '=', input.reportId).forUpdate().executeTakeFirst();
    if (!r) throw new AppError('not_found', 'There is no such report.');
    await trx.insertInto('messages').values({ id, report_id: r.id, at: now, author_kind: 'user', author_id: input.authorId, internal: input.internal, body }).execute();
    await trx.updateTable('reports').set({ updated_at: now }).where('id', '=', r.id).execute();
    await appendAudit(trx, { actorKind: 'user', actorId: input.authorId, action: input.internal ? 'report.note' : 'report.message', reportId: r.id, detail: { messageId: id } }, now);
  });
  return { id };
}
