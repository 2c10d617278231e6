import type { InventoryTagRow, RepositoryInventory } from '../../app/images/describe-inventory.js';
import { formatInstant } from '../format.js';
import type { TeamPrincipal } from '../team-session.js';
import { TeamFrame } from './team-nav.js';

export interface TeamImagesPageProps {
  projectName: string;
  principal: TeamPrincipal;
  csrf: string;
  timeZone: string;
  /** CVDESK_IMAGE_SYNC_CRON (UTC), or null when the schedule is off. */
  syncCron: string | null;
  repositories: RepositoryInventory[];
  /** Tags shown per repository on the overview; the repository's own view shows all. */
  limit: number | null;
}

const short = (digest: string) => digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]{52}$/, '$1…').replace(/^(sha512:[0-9a-f]{12})[0-9a-f]{116}$/, '$1…');

const KIND: Record<InventoryTagRow['kind'], string> = { release: 'release', prerelease: 'pre-release', rolling: 'rolling', build: 'build', unknown: 'unknown' };

export function TeamImagesPage(p: TeamImagesPageProps) {
  return (
    <TeamFrame title="Images" projectName={p.projectName} user={p.principal.user} csrf={p.csrf} current="images">
      <h1>Images</h1>
      <p class="hint">
        The registry inventory of the policy's image repositories: every tag with its digest and build facts, and whether it receives security advisories under the policy's support rule.{' '}
        {p.syncCron ? (
          <>
            Synced on the schedule <code>{p.syncCron}</code> (UTC) and at every start of the desk;{' '}
          </>
        ) : (
          <>The scheduled sync is off (CVDESK_IMAGE_SYNC_CRON=off); </>
        )}
        <code>cvdesk images sync</code> syncs now.
      </p>
      {p.repositories.length === 0 && <p class="muted">The policy names no image repositories (project.images).</p>}
      {p.repositories.map((r) => (
        <Repository repo={r} timeZone={p.timeZone} limit={p.limit} />
      ))}
    </TeamFrame>
  );
}

function Repository({ repo, timeZone, limit }: { repo: RepositoryInventory; timeZone: string; limit: number | null }) {
  const s = repo.lastSync;
  const at = (d: Date | null) => (d ? formatInstant(d, timeZone) : 'never');
  return (
    <section class="card">
      <h2>
        <code>{repo.name}</code>{' '}
        {repo.lastError ? <span class="badge bad">last sync failed</span> : s?.status === 'running' ? <span class="badge info">syncing</span> : repo.lastSuccessAt ? <span class="badge ok">synced</span> : <span class="badge warn">not synced yet</span>}
      </h2>
      <dl class="facts">
        <dt>Last sync</dt>
        <dd>{at(repo.lastSyncAt)}</dd>
        <dt>Last successful sync</dt>
        <dd>{at(repo.lastSuccessAt)}</dd>
        {s && s.status !== 'running' && (
          <>
            <dt>That sync</dt>
            <dd>
              {s.status === 'succeeded'
                ? `${s.tags} tags listed: ${s.added} added, ${s.changed} moved, ${s.removed} removed; ${s.manifestsFetched} new ${s.manifestsFetched === 1 ? 'digest' : 'digests'} fetched`
                : `failed after ${s.manifestsFetched} new ${s.manifestsFetched === 1 ? 'digest' : 'digests'} fetched`}
            </dd>
          </>
        )}
        {s?.status === 'running' && (
          <>
            <dt>Syncing</dt>
            <dd>since {formatInstant(s.startedAt, timeZone)}</dd>
          </>
        )}
        {repo.lastError && (
          <>
            <dt>Error</dt>
            <dd class="notice bad">{repo.lastError}</dd>
          </>
        )}
        <dt>Tags</dt>
        <dd>
          {repo.tagCount} stored, {repo.receivingAdvisories} receive advisories
        </dd>
      </dl>
      {repo.tags.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tag</th>
                <th scope="col">Kind</th>
                <th scope="col">Advisories</th>
                <th scope="col">Digest</th>
                <th scope="col">Platforms</th>
                <th scope="col">Created</th>
                <th scope="col">Revision</th>
              </tr>
            </thead>
            <tbody>
              {repo.tags.map((t) => (
                <TagRow tag={t} timeZone={timeZone} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {limit !== null && repo.tagCount > repo.tags.length && (
        <p>
          <a href={`/team/images?repository=${encodeURIComponent(repo.name)}`}>All {repo.tagCount} tags of {repo.name}</a>
        </p>
      )}
    </section>
  );
}

function TagRow({ tag: t, timeZone }: { tag: InventoryTagRow; timeZone: string }) {
  return (
    <tr>
      <td>
        <code>{t.tag}</code>
        {t.rolling && (
          <div class="hint">
            {t.rolling.target ? (
              <>
                → <code>{t.rolling.target}</code> {t.rolling.via === 'digest' ? '(same digest)' : '(by its name)'}
              </>
            ) : (
              '→ no release'
            )}
          </div>
        )}
      </td>
      <td>{KIND[t.kind]}</td>
      <td>
        {t.receivesAdvisories ? <span class="badge ok">yes</span> : <span class="badge">no</span>}
        <div class="hint">{t.reason}</div>
      </td>
      <td class="mono">
        <code title={t.digest}>{short(t.digest)}</code>
      </td>
      <td>{t.platforms.length ? t.platforms.join(', ') : '—'}</td>
      <td class="small">{t.created ? formatInstant(t.created, timeZone) : '—'}</td>
      <td class="mono">{t.revision ? <code title={t.revision}>{t.revision.length > 12 ? `${t.revision.slice(0, 12)}…` : t.revision}</code> : '—'}</td>
    </tr>
  );
}
