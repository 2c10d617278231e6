import { sql } from 'kysely';
import { createGitLabClient } from '../../adapters/forges/gitlab.js';
import type { Context } from '../../context.js';
import { enqueueJob, type QueuedJob, type RetryRule } from '../../jobs/queue.js';
import { appendAudit } from '../audit.js';
import { AppError, isAppError } from '../errors.js';
import { forgeSources } from './forge-sources.js';

/**
 * A team message on a report imported from GitLab, posted back as a comment on its confidential
 * issue, so that the reporter reads it where they reported. Asking for it records the request and
 * queues the work in one transaction; a worker posts it (retried with backoff) and records the
 * note, or why not. GitHub offers no API to comment on a repository security advisory: reports
 * from there are answered on the advisory's page, which the report page links.
 *
 * The comment is an ordinary note: an internal note would be hidden from the reporter, who is not
 * a project member. It is confidential all the same because the issue is; and the worker checks
 * that it still is right before posting, and refuses when the issue has been made public.
 */
export const MIRROR_QUEUE = 'forge-comment';
export const MIRROR_RETRY: RetryRule = { maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 3_600_000 };

type Deps = Pick<Context, 'db' | 'clock'>;

export type MirrorRequest = { ok: true } | { ok: false; reason: string };

/** Asks for a team message to be posted to the report's forge issue (again, after a failure). */
export async function requestMirror(deps: Deps, input: { reportId: string; messageId: string; actorId: string }): Promise<MirrorRequest> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const origin = await trx.selectFrom('forge_imports').select(['forge']).where('report_id', '=', input.reportId).executeTakeFirst();
    if (!origin) return { ok: false as const, reason: 'this report did not come from a forge' };
    if (origin.forge !== 'gitlab') return { ok: false as const, reason: 'GitHub has no API for comments on security advisories; answer on the advisory’s page' };
    const m = await trx.selectFrom('messages').select(['id', 'author_kind', 'internal']).where('id', '=', input.messageId).where('report_id', '=', input.reportId).executeTakeFirst();
    if (!m) throw new AppError('not_found', 'There is no such message.');
    if (m.internal || m.author_kind !== 'user') return { ok: false as const, reason: 'only the team’s messages to the reporter are posted, never private notes' };
    const inserted = await trx
      .insertInto('forge_comments')
      .values({ message_id: m.id, report_id: input.reportId, forge: 'gitlab', state: 'pending', requested_by: input.actorId, requested_at: now, posted_at: null, external_id: null, url: null, error: null })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .returning('message_id')
      .executeTakeFirst();
    // Only a failed one is asked for again: a pending one is on its way, a posted one is there.
    const again = inserted
      ? null
      : await trx
          .updateTable('forge_comments')
          .set({ state: 'pending', requested_by: input.actorId, requested_at: now, error: null, attempts: 0 })
          .where('message_id', '=', m.id)
          .where('state', '=', 'failed')
          .returning('message_id')
          .executeTakeFirst();
    if (!inserted && !again) return { ok: false as const, reason: 'this message is already posted or on its way' };
    await enqueueJob(trx, { queue: MIRROR_QUEUE, payload: { messageId: m.id } }, now);
    await appendAudit(trx, { actorKind: 'user', actorId: input.actorId, action: 'forge.comment.request', reportId: input.reportId, detail: { messageId: m.id, forge: 'gitlab', again: !!again } }, now);
    return { ok: true as const };
  });
}

type WorkDeps = Pick<Context, 'db' | 'clock' | 'config' | 'policy' | 'log'>;

/**
 * The queued work: posts one message as a comment. Transient faults (network, 5xx, rate limits)
 * are thrown for the queue to retry; when the last attempt fails, or the fault cannot pass (no
 * token, access refused, the issue gone or public), the comment is marked failed with the reason,
 * which the report page shows beside the message.
 */
export async function postMirroredComment(deps: WorkDeps, messageId: string, job: Pick<QueuedJob, 'attempts'>, options: { timeoutMs?: number } = {}): Promise<'posted' | 'failed' | 'skipped'> {
  const row = await deps.db
    .selectFrom('forge_comments')
    .innerJoin('forge_imports', 'forge_imports.report_id', 'forge_comments.report_id')
    .innerJoin('messages', 'messages.id', 'forge_comments.message_id')
    .leftJoin('users', 'users.id', 'messages.author_id')
    .select(['forge_comments.state', 'forge_comments.report_id', 'forge_imports.project', 'forge_imports.issue_iid', 'forge_imports.url', 'forge_imports.external_id', 'messages.body', 'users.name as authorName'])
    .where('forge_comments.message_id', '=', messageId)
    .executeTakeFirst();
  if (!row || row.state !== 'pending') return 'skipped';
  await deps.db.updateTable('forge_comments').set({ attempts: sql<number>`attempts + 1` }).where('message_id', '=', messageId).execute();
  const fail = async (error: string) => {
    await deps.db.updateTable('forge_comments').set({ state: 'failed', error: error.slice(0, 2000) }).where('message_id', '=', messageId).where('state', '=', 'pending').execute();
    deps.log.warn({ messageId, error }, 'a team message was not posted to GitLab');
    return 'failed' as const;
  };
  const token = deps.config.forges.gitlabToken;
  if (!token) return fail('CVDESK_GITLAB_TOKEN is not set, so the desk cannot post to GitLab');
  const host = row.external_id.split(':')[0]!;
  const source = forgeSources(deps.policy, deps.config.forges).gitlab.find((s) => s.host === host && s.path.toLowerCase() === row.project.toLowerCase());
  if (!source || row.issue_iid === null) return fail(`the policy no longer names the GitLab project ${row.project}`);
  const client = createGitLabClient({ apiUrl: source.apiUrl, token, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  try {
    const issue = await client.getIssue(row.project, row.issue_iid);
    if (!issue.confidential) return fail(`issue #${row.issue_iid} is no longer confidential; the message was not posted, so that it does not become public`);
    const body = `${row.body}\n\n— ${row.authorName ?? 'the security team'}, via cvdesk`;
    const note = await client.createNote(row.project, row.issue_iid, body);
    const now = deps.clock();
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('forge_comments')
        .set({ state: 'posted', posted_at: now, external_id: String(note.id), url: `${row.url}#note_${note.id}`, error: null })
        .where('message_id', '=', messageId)
        .execute();
      await trx
        .insertInto('report_events')
        .values({ report_id: row.report_id, at: now, actor_kind: 'system', actor_id: null, kind: 'forge_comment', data: { forge: 'gitlab', messageId, noteId: note.id }, visible: false })
        .execute();
      await appendAudit(trx, { actorKind: 'system', action: 'forge.comment.posted', reportId: row.report_id, detail: { messageId, forge: 'gitlab', noteId: note.id } }, now);
    });
    return 'posted';
  } catch (e) {
    if (!isAppError(e)) throw e;
    const permanent = e.code === 'forbidden' || e.code === 'not_found' || e.code === 'invalid_input';
    if (permanent || job.attempts >= MIRROR_RETRY.maxAttempts) return fail(e.message);
    await deps.db.updateTable('forge_comments').set({ error: `${e.message.slice(0, 1900)} (trying again)` }).where('message_id', '=', messageId).execute();
    throw e;
  }
}
