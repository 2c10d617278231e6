/**
 * The rebuild job (issue #4, "Base-image drift and the weekly rebuild"): on the policy's rebuild
 * schedule, or when an admin asks, check the drift of every supported tag and start the project's
 * CI when the policy says so: always (`when: always`), or only when a supported tag's base image
 * moved (`when: drift`). Every run is recorded in rebuild_runs, whatever its outcome: the drift
 * found, the request sent (never the secret), the answer, and the error. A run that cannot trigger
 * (no trigger in the policy, no CVDESK_REBUILD_TOKEN, the CI refused) tells the admins.
 */
import { describeTrigger, imagesOf, prepareTrigger, scrub, sendTrigger, type DriftedTag, type RebuildPayload, type SendOptions } from '../../adapters/ci/index.js';
import type { RebuildRunsTable } from '../../adapters/db/tables.js';
import type { Context } from '../../context.js';
import type { RebuildTrigger } from '../../domain/policy/schema-releases.js';
import { addAdminNotice } from '../admin-notices.js';
import { appendAudit } from '../audit.js';
import { getRebuildRun, type RebuildRun } from './list-rebuild-runs.js';
import { driftCounts, supportedTagDrift, type DriftChecker, type RepositoryCheck, type TagDrift } from './supported-tag-drift.js';

type Deps = Pick<Context, 'db' | 'policy' | 'config' | 'registries' | 'log' | 'clock' | 'newId'>;

export interface RunRebuildInput {
  /** The schedule's slot; null for a run an admin started. */
  slot: Date | null;
  source: 'schedule' | 'manual';
  /** The admin who started a manual run (audited). */
  requestedBy?: string | null;
}

export interface RunRebuildOptions extends SendOptions {
  /** Replaces B's checkDrift (tests of the decision alone). */
  checkDrift?: DriftChecker;
}

export type RunRebuildResult = { kind: 'ran'; run: RebuildRun } | { kind: 'busy'; since: Date } | { kind: 'not_scheduled' };

export const REBUILD_NOTICE_KEY = 'rebuild.trigger';
/** A run still "running" after this long belongs to a desk process that stopped mid-run. */
export const STALE_RUN_MS = 30 * 60_000;

type Outcome = Pick<RebuildRunsTable, 'status' | 'reason' | 'trigger_kind' | 'response_status' | 'response_body' | 'error'> & {
  request?: unknown;
  attempts?: number;
  triggered_at?: Date | null;
  notice?: { level: 'warn' | 'bad'; message: string };
};

const SECRET_FOR: Record<RebuildTrigger['type'], string> = {
  'github-workflow': 'a GitHub token with the "Actions: write" permission',
  'github-dispatch': 'a GitHub token with the "Contents: write" permission',
  'gitlab-pipeline': "the project's pipeline trigger token",
  webhook: 'the HMAC key the receiver checks signatures with',
};

export async function runRebuild(deps: Deps, input: RunRebuildInput, options: RunRebuildOptions = {}): Promise<RunRebuildResult> {
  const rebuild = deps.policy.releases.rebuild;
  if (!rebuild) return { kind: 'not_scheduled' };
  const startedAt = deps.clock();
  const id = deps.newId();

  await deps.db
    .updateTable('rebuild_runs')
    .set({ status: 'failed', finished_at: startedAt, error: 'The desk process stopped before this run finished.' })
    .where('status', '=', 'running')
    .where('started_at', '<', new Date(startedAt.getTime() - STALE_RUN_MS))
    .execute();
  const claimed = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('rebuild_runs')
      .values({ id, slot: input.slot, source: input.source, requested_by: input.requestedBy ?? null, started_at: startedAt, status: 'running', rebuild_when: rebuild.when })
      .onConflict((oc) => oc.column('status').where('status', '=', 'running').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row && input.source === 'manual') {
      await appendAudit(trx, { actorKind: 'user', actorId: input.requestedBy ?? null, action: 'rebuild.run_requested', detail: { run: id } }, startedAt);
    }
    return row !== undefined;
  });
  if (!claimed) {
    const running = await deps.db.selectFrom('rebuild_runs').select('started_at').where('status', '=', 'running').executeTakeFirst();
    return { kind: 'busy', since: running?.started_at ?? startedAt };
  }

  const secret = deps.config.rebuildToken ?? '';
  let found: { repositories: RepositoryCheck[]; tags: TagDrift[] } = { repositories: [], tags: [] };
  let outcome: Outcome;
  try {
    found = await supportedTagDrift(deps, options.checkDrift);
    outcome = await decideAndTrigger(deps, { id, slot: input.slot, source: input.source, startedAt }, found.tags, options);
  } catch (e) {
    // A fault of the desk itself (the database, say): recorded, then passed on to the scheduler or the page.
    const message = scrub(e instanceof Error ? e.message : String(e), secret);
    await finish(deps, id, { status: 'failed', reason: null, trigger_kind: null, response_status: null, response_body: null, error: `The run stopped: ${message}` }, found).catch(() => {});
    throw e;
  }
  await finish(deps, id, outcome, found);
  if (outcome.notice) await addAdminNotice(deps.db, { key: REBUILD_NOTICE_KEY, ...outcome.notice }, deps.clock());
  const logLine = { run: id, status: outcome.status, tags: found.tags.length, drifted: found.tags.filter((t) => t.status === 'rebuild-needed').length, responseStatus: outcome.response_status, error: outcome.error };
  if (outcome.status === 'failed') deps.log.warn(logLine, 'rebuild run could not start the CI');
  else deps.log.info(logLine, 'rebuild run finished');
  return { kind: 'ran', run: (await getRebuildRun(deps.db, id))! };
}

async function finish(deps: Deps, id: string, o: Outcome, found: { repositories: RepositoryCheck[]; tags: TagDrift[] }): Promise<void> {
  await deps.db
    .updateTable('rebuild_runs')
    .set({
      status: o.status,
      finished_at: deps.clock(),
      reason: o.reason,
      repositories: JSON.stringify(found.repositories),
      tags: JSON.stringify(found.tags),
      trigger_kind: o.trigger_kind,
      request: o.request === undefined ? null : JSON.stringify(o.request),
      response_status: o.response_status,
      response_body: o.response_body,
      attempts: o.attempts ?? 0,
      triggered_at: o.triggered_at ?? null,
      error: o.error,
    })
    .where('id', '=', id)
    .execute();
}

const day = (d: Date) => d.toISOString().slice(0, 10);

async function decideAndTrigger(deps: Deps, run: { id: string; slot: Date | null; source: 'schedule' | 'manual'; startedAt: Date }, tags: TagDrift[], options: RunRebuildOptions): Promise<Outcome> {
  const rebuild = deps.policy.releases.rebuild!;
  const drifted = tags.filter((t) => t.status === 'rebuild-needed');
  const counts = `${driftCounts(tags)}.`;
  const none = { response_status: null, response_body: null, error: null } as const;
  if (rebuild.when === 'drift' && drifted.length === 0) {
    return { ...none, status: 'not-needed', reason: `No supported tag's base image moved (${counts.replace(/\.$/, '')}), and the policy rebuilds only on drift.`, trigger_kind: rebuild.trigger?.type ?? null };
  }
  const why = drifted.length > 0 ? `${drifted.length} supported ${drifted.length === 1 ? 'tag needs' : 'tags need'} a rebuild: ${counts}` : `The policy rebuilds on every run (when: always); ${counts}`;
  const trigger = rebuild.trigger;
  if (!trigger) {
    const reason = `${why} Not triggered: the policy names no releases.rebuild.trigger, so cvdesk cannot start the project's CI.`;
    return {
      ...none,
      status: 'not-triggered',
      reason,
      trigger_kind: null,
      notice: { level: 'warn', message: `The rebuild run of ${day(run.startedAt)} could not start the project's CI: the policy names no releases.rebuild.trigger (a GitHub workflow or repository dispatch, a GitLab pipeline, or a signed webhook). ${why}` },
    };
  }
  const token = deps.config.rebuildToken;
  if (!token) {
    const reason = `${why} Not triggered: CVDESK_REBUILD_TOKEN is not set; the ${describeTrigger(trigger)} needs ${SECRET_FOR[trigger.type]}.`;
    return { ...none, status: 'not-triggered', reason, trigger_kind: trigger.type, notice: { level: 'warn', message: `The rebuild run of ${day(run.startedAt)} could not start the project's CI: set CVDESK_REBUILD_TOKEN to ${SECRET_FOR[trigger.type]} and restart the desk.` } };
  }

  const driftedTags: DriftedTag[] = drifted.map((t) => ({ repository: t.repository, tag: t.tag, digest: t.digest, baseName: t.baseName, recordedBaseDigest: t.recordedBaseDigest, currentBaseDigest: t.currentBaseDigest }));
  const payload: RebuildPayload = {
    run: run.id,
    slot: run.slot?.toISOString() ?? null,
    reason: drifted.length > 0 ? 'drift' : 'scheduled',
    source: run.source,
    images: imagesOf(driftedTags),
    drifted: driftedTags,
  };
  const prepared = prepareTrigger(trigger, payload, token, deps.clock());
  if (!prepared.ok) {
    return { ...none, status: 'failed', reason: why, trigger_kind: trigger.type, error: prepared.error, notice: { level: 'bad', message: `The rebuild run of ${day(run.startedAt)} could not start the CI: ${prepared.error}` } };
  }
  const sent = await sendTrigger(prepared.request, token, options);
  const answer = { trigger_kind: trigger.type, request: prepared.request.summary, attempts: sent.attempts, response_status: sent.status, response_body: sent.bodyExcerpt };
  if (sent.ok) return { ...answer, status: 'triggered', reason: `${why} Triggered the ${describeTrigger(trigger)}.`, error: null, triggered_at: deps.clock() };
  return {
    ...answer,
    status: 'failed',
    reason: why,
    error: sent.error,
    notice: { level: 'bad', message: `The rebuild run of ${day(run.startedAt)} could not start the ${describeTrigger(trigger)}: ${sent.error}` },
  };
}
