/**
 * The rebuild runs for the team's page, newest first, each with the builds that appeared after its
 * trigger: tags of the policy's repositories whose digest changed (in the inventory, at a sync)
 * after the CI accepted the request, and before the next accepted trigger.
 */
import type { Selectable } from 'kysely';
import type { RebuildRunsTable } from '../../adapters/db/tables.js';
import type { RequestSummary } from '../../adapters/ci/index.js';
import type { Context } from '../../context.js';
import type { RepositoryCheck, TagDrift } from './supported-tag-drift.js';

export type RebuildRunStatus = RebuildRunsTable['status'];

export interface RebuildRun {
  id: string;
  slot: Date | null;
  source: 'schedule' | 'manual';
  requestedBy: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  status: RebuildRunStatus;
  when: 'always' | 'drift';
  reason: string | null;
  repositories: RepositoryCheck[];
  tags: TagDrift[];
  triggerKind: string | null;
  request: RequestSummary | null;
  responseStatus: number | null;
  responseBody: string | null;
  attempts: number;
  triggeredAt: Date | null;
  error: string | null;
}

export interface BuildSeen {
  repository: string;
  tag: string;
  digest: string;
  changedAt: Date;
  created: Date | null;
  revision: string | null;
}

export interface RebuildRunView extends RebuildRun {
  /** Who started a manual run. */
  requestedByName: string | null;
  /** Tags that changed after this run's trigger (empty for runs that triggered nothing). */
  builds: BuildSeen[];
}

const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export function toRebuildRun(r: Selectable<RebuildRunsTable>): RebuildRun {
  return {
    id: r.id,
    slot: r.slot,
    source: r.source,
    requestedBy: r.requested_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    when: r.rebuild_when,
    reason: r.reason,
    repositories: list<RepositoryCheck>(r.repositories),
    tags: list<TagDrift>(r.tags),
    triggerKind: r.trigger_kind,
    request: (r.request as RequestSummary | null) ?? null,
    responseStatus: r.response_status,
    responseBody: r.response_body,
    attempts: r.attempts,
    triggeredAt: r.triggered_at,
    error: r.error,
  };
}

export async function getRebuildRun(db: Context['db'], id: string): Promise<RebuildRun | null> {
  const row = await db.selectFrom('rebuild_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRebuildRun(row) : null;
}

export async function listRebuildRuns(deps: Pick<Context, 'db' | 'policy'>, options: { limit?: number; before?: Date } = {}): Promise<{ runs: RebuildRunView[]; more: boolean }> {
  const limit = options.limit ?? 20;
  let q = deps.db
    .selectFrom('rebuild_runs as r')
    .leftJoin('users as u', 'u.id', 'r.requested_by')
    .selectAll('r')
    .select('u.name as requested_by_name')
    .orderBy('r.started_at', 'desc')
    .orderBy('r.id')
    .limit(limit + 1);
  if (options.before) q = q.where('r.started_at', '<', options.before);
  const rows = await q.execute();
  const runs: RebuildRunView[] = rows.slice(0, limit).map((r) => ({ ...toRebuildRun(r), requestedByName: r.requested_by_name ?? null, builds: [] }));

  const triggered = runs.filter((r) => r.triggeredAt !== null);
  const repositories = deps.policy.project.images.map((i) => i.name);
  if (triggered.length > 0 && repositories.length > 0) {
    const earliest = new Date(Math.min(...triggered.map((r) => r.triggeredAt!.getTime())));
    // every accepted trigger since the earliest on this page, also newer ones on other pages: each bounds the one before
    const bounds = (await deps.db.selectFrom('rebuild_runs').select('triggered_at').where('triggered_at', '>=', earliest).orderBy('triggered_at').execute()).map((r) => r.triggered_at!.getTime());
    const changed = await deps.db
      .selectFrom('image_tags as t')
      .leftJoin('image_manifests as m', (j) => j.onRef('m.repository', '=', 't.repository').onRef('m.digest', '=', 't.digest'))
      .select(['t.repository', 't.tag', 't.digest', 't.changed_at', 'm.created', 'm.revision'])
      .where('t.repository', 'in', repositories)
      .where('t.changed_at', '>', earliest)
      .orderBy('t.repository')
      .orderBy('t.tag')
      .execute();
    for (const run of triggered) {
      const from = run.triggeredAt!.getTime();
      const until = bounds.find((b) => b > from) ?? Infinity;
      run.builds = changed
        .filter((c) => c.changed_at.getTime() > from && c.changed_at.getTime() < until)
        .map((c) => ({ repository: c.repository, tag: c.tag, digest: c.digest, changedAt: c.changed_at, created: c.created ?? null, revision: c.revision ?? null }));
    }
  }
  return { runs, more: rows.length > limit };
}
