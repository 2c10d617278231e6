import type { RebuildRunStatus, RebuildRunView } from '../../app/rebuilds/list-rebuild-runs.js';
import type { TagDrift, TagDriftStatus } from '../../app/rebuilds/supported-tag-drift.js';
import { formatInstant } from '../format.js';
import type { TeamPrincipal } from '../team-session.js';
import { CsrfField } from './team-form-parts.js';
import { TeamFrame } from './team-nav.js';

export interface RebuildSchedule {
  cron: string;
  timeZone: string;
  when: 'always' | 'drift';
  next: Date | null;
  /** The trigger in words, or null when the policy names none. */
  trigger: string | null;
  webhook: boolean;
  tokenSet: boolean;
}

export interface RebuildsPageProps {
  projectName: string;
  principal: TeamPrincipal;
  csrf: string;
  timeZone: string;
  /** Null when the policy schedules no rebuilds. */
  schedule: RebuildSchedule | null;
  runs: RebuildRunView[];
  /** The started_at of the oldest run shown, when older runs exist. */
  olderThan: Date | null;
  notice?: { level: 'ok' | 'bad' | 'warn' | 'info'; text: string };
}

const STATUS: Record<RebuildRunStatus, { label: string; level: string }> = {
  running: { label: 'running', level: 'info' },
  triggered: { label: 'CI triggered', level: 'ok' },
  'not-needed': { label: 'no rebuild needed', level: 'ok' },
  'not-triggered': { label: 'not triggered', level: 'warn' },
  failed: { label: 'failed', level: 'bad' },
};

const DRIFT: Record<TagDriftStatus, { label: string; level: string }> = {
  'up-to-date': { label: 'up to date', level: 'ok' },
  'rebuild-needed': { label: 'rebuild needed', level: 'warn' },
  unknown: { label: 'unknown', level: 'info' },
  error: { label: 'could not check', level: 'bad' },
};

const short = (digest: string | null) => (digest ? digest.replace(/^(sha256:)?([0-9a-f]{12})[0-9a-f]*$/, '$1$2…') : '—');

/** The checked tags by repository, in the order the run checked them. */
function repositoriesOf(tags: readonly TagDrift[]): [string, TagDrift[]][] {
  const out = new Map<string, TagDrift[]>();
  for (const t of tags) out.set(t.repository, [...(out.get(t.repository) ?? []), t]);
  return [...out];
}

/** The request as the CI received it, minus the secret: method and URL, headers, body. */
function requestText(run: RebuildRunView): string {
  const r = run.request!;
  const headers = Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`);
  const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2);
  return [`${r.method} ${r.url}`, ...headers, '', body].join('\n');
}

export function RebuildsPage(p: RebuildsPageProps) {
  const admin = p.principal.user.role === 'admin';
  const s = p.schedule;
  return (
    <TeamFrame title="Rebuilds" projectName={p.projectName} user={p.principal.user} csrf={p.csrf} current="rebuilds">
      <h1>Rebuilds</h1>
      {p.notice && (
        <p class={`notice ${p.notice.level}`} role="status">
          {p.notice.text}
        </p>
      )}
      <section class="card">
        <h2>Schedule</h2>
        {s === null ? (
          <p>The policy schedules no rebuilds (releases.rebuild).</p>
        ) : (
          <>
            <dl class="facts">
              <dt>Runs</dt>
              <dd>
                <code>{s.cron}</code> ({s.timeZone}){s.next && <>; next on {formatInstant(s.next, p.timeZone)}</>}
              </dd>
              <dt>Starts the CI</dt>
              <dd>{s.when === 'always' ? 'on every run (when: always)' : "only when a supported tag's base image moved (when: drift)"}</dd>
              <dt>Trigger</dt>
              <dd>{s.trigger ?? <span class="badge warn">none: add releases.rebuild.trigger to the policy</span>}</dd>
              <dt>Secret</dt>
              <dd>{s.tokenSet ? 'CVDESK_REBUILD_TOKEN is set' : <span class="badge warn">CVDESK_REBUILD_TOKEN is not set</span>}</dd>
            </dl>
            <p class="hint">
              Each run checks every supported tag in the image inventory: the base image it records (org.opencontainers.image.base.name and .base.digest) against the current digest of that base's tag.
            </p>
            {s.webhook && (
              <details>
                <summary>How the webhook is signed</summary>
                <p>
                  cvdesk POSTs the run as JSON with the headers <code>X-Cvdesk-Timestamp</code> (Unix seconds) and <code>X-Cvdesk-Signature-256: sha256=&lt;hex&gt;</code>, the HMAC-SHA256 of{' '}
                  <code>&lt;timestamp&gt;.&lt;raw body&gt;</code> keyed with CVDESK_REBUILD_TOKEN. The receiver recomputes it over the bytes it received, compares in constant time, and refuses
                  timestamps more than 5 minutes from its clock, so a recorded request cannot be replayed later.
                </p>
              </details>
            )}
            {admin && (
              <form method="post" action="/team/rebuilds/run" class="actions">
                <CsrfField token={p.csrf} />
                <button type="submit" data-confirm="Check drift now and start the CI as the policy says?">
                  Run now
                </button>
                <span class="hint">Checks drift now and starts the CI as the policy says; recorded below and in the audit log.</span>
              </form>
            )}
          </>
        )}
      </section>
      <h2>Runs</h2>
      {p.runs.length === 0 && <p class="muted">No run yet.</p>}
      {p.runs.map((run) => (
        <RunCard run={run} timeZone={p.timeZone} />
      ))}
      {p.olderThan && (
        <p>
          <a href={`/team/rebuilds?before=${encodeURIComponent(p.olderThan.toISOString())}`}>Older runs</a>
        </p>
      )}
    </TeamFrame>
  );
}

function RunCard({ run, timeZone }: { run: RebuildRunView; timeZone: string }) {
  const status = STATUS[run.status];
  return (
    <section class="card" id={`run-${run.id}`}>
      <h3>
        {formatInstant(run.startedAt, timeZone)} <span class={`badge ${status.level}`}>{status.label}</span>
      </h3>
      <dl class="facts">
        <dt>Started by</dt>
        <dd>{run.source === 'manual' ? `${run.requestedByName ?? 'an admin'} (run now)` : run.slot ? `the schedule, slot ${formatInstant(run.slot, timeZone)}` : 'the schedule'}</dd>
        {run.finishedAt && (
          <>
            <dt>Finished</dt>
            <dd>{formatInstant(run.finishedAt, timeZone)}</dd>
          </>
        )}
        {run.reason && (
          <>
            <dt>Outcome</dt>
            <dd>{run.reason}</dd>
          </>
        )}
        {run.error && (
          <>
            <dt>Error</dt>
            <dd class="notice bad">{run.error}</dd>
          </>
        )}
      </dl>
      {run.repositories
        .filter((r) => r.note)
        .map((r) => (
          <p class="notice warn">
            {r.name}: {r.note}
          </p>
        ))}
      {repositoriesOf(run.tags).map(([repository, tags]) => (
        <div class="table-wrap">
          <table>
            <caption class="small muted">{repository}: supported tags checked</caption>
            <thead>
              <tr>
                <th scope="col">Tag</th>
                <th scope="col">Drift</th>
                <th scope="col">Base image: recorded → now</th>
              </tr>
            </thead>
            <tbody>
              {tags.map((t) => (
                <tr>
                  <td>
                    <strong>{t.tag}</strong>
                  </td>
                  <td>
                    <span class={`badge ${DRIFT[t.status].level}`} title={t.reason}>
                      {DRIFT[t.status].label}
                    </span>
                    {(t.status === 'error' || t.status === 'unknown') && <div class="small muted">{t.reason}</div>}
                  </td>
                  <td class="small">
                    {t.baseName ?? '—'}
                    {(t.recordedBaseDigest || t.currentBaseDigest) && (
                      <div>
                        <span class="mono">{short(t.recordedBaseDigest)}</span> → <span class="mono">{short(t.currentBaseDigest)}</span>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {run.request && (
        <>
          <h4>Request sent{run.attempts > 1 ? ` (${run.attempts} attempts)` : ''}</h4>
          <pre>{requestText(run)}</pre>
          <h4>Answer</h4>
          {run.responseStatus === null ? <p class="muted">No answer.</p> : <p>HTTP {run.responseStatus}</p>}
          {run.responseBody ? <pre>{run.responseBody}</pre> : null}
        </>
      )}
      {run.triggeredAt && (
        <>
          <h4>Builds since the trigger</h4>
          {run.builds.length === 0 ? (
            <p class="muted">No tag of the policy's repositories has changed since (as of the last inventory sync).</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Tag</th>
                    <th scope="col">Digest</th>
                    <th scope="col">Seen changed</th>
                    <th scope="col">Created</th>
                    <th scope="col">Revision</th>
                  </tr>
                </thead>
                <tbody>
                  {run.builds.map((b) => (
                    <tr>
                      <td>
                        <span class="muted small">{b.repository}:</span>
                        <strong>{b.tag}</strong>
                      </td>
                      <td class="mono">{short(b.digest)}</td>
                      <td class="small">{formatInstant(b.changedAt, timeZone)}</td>
                      <td class="small">{b.created ? formatInstant(b.created, timeZone) : '—'}</td>
                      <td class="mono">{b.revision ? b.revision.slice(0, 12) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
