import type { ForgeOrigin } from '../../app/forges/forge-origin.js';
import { formatInstant } from '../format.js';

/** The parts of the team's report page that concern a report imported from GitHub or GitLab. */

const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

interface PackageFact {
  ecosystem: string | null;
  name: string | null;
  vulnerableVersions: string | null;
  patchedVersions: string | null;
}

const packagesOf = (v: unknown): PackageFact[] => (Array.isArray(v) ? (v as PackageFact[]).filter((p) => p && typeof p === 'object') : []);

/** Where the report came from, what the forge said beyond the report's fields, and how to answer there. */
export function ForgeOriginCard({ origin: o, timeZone }: { origin: ForgeOrigin; timeZone: string }) {
  const severity = typeof o.data.severity === 'string' ? o.data.severity : null;
  const cve = typeof o.data.cveId === 'string' ? o.data.cveId : null;
  const cwes = strings(o.data.cweIds);
  const labels = strings(o.data.labels);
  const packages = packagesOf(o.data.packages);
  return (
    <section class="card">
      <h2>Source</h2>
      <p>
        {o.forge === 'github' ? 'GitHub private vulnerability report ' : `GitLab confidential issue #${o.issueIid ?? '?'} of ${o.project}: `}
        <a href={o.url} rel="noreferrer">
          {o.forge === 'github' ? o.externalId : o.url}
        </a>
      </p>
      <dl class="facts">
        {o.forge === 'github' && (
          <>
            <dt>Repository</dt>
            <dd>{o.project}</dd>
          </>
        )}
        <dt>Reported by</dt>
        <dd>{o.reporterLogin ?? 'unknown'}</dd>
        {severity && (
          <>
            <dt>Their severity</dt>
            <dd>{severity}</dd>
          </>
        )}
        {cve && (
          <>
            <dt>CVE</dt>
            <dd>{cve}</dd>
          </>
        )}
        {cwes.length > 0 && (
          <>
            <dt>CWE</dt>
            <dd>{cwes.join(', ')}</dd>
          </>
        )}
        {packages.length > 0 && (
          <>
            <dt>Packages</dt>
            <dd>
              {packages
                .map((p) => `${[p.ecosystem, p.name].filter(Boolean).join('/') || '?'}${p.vulnerableVersions ? ` ${p.vulnerableVersions}` : ''}${p.patchedVersions ? ` (fixed in ${p.patchedVersions})` : ''}`)
                .join('; ')}
            </dd>
          </>
        )}
        {labels.length > 0 && (
          <>
            <dt>Labels</dt>
            <dd>{labels.join(', ')}</dd>
          </>
        )}
        <dt>Imported</dt>
        <dd>{`${formatInstant(o.importedAt, timeZone)} (${o.via === 'webhook' ? 'webhook' : o.via === 'backfill' ? 'back-fill' : 'poll'})`}</dd>
      </dl>
      <p class="small muted">
        {o.forge === 'github'
          ? 'The reporter has no link to this desk. GitHub has no API for comments on security advisories: answer them on the advisory’s page.'
          : 'The reporter has no link to this desk: messages to them can be posted as comments on the issue, which only they and the project’s members see.'}
      </p>
    </section>
  );
}

/** Under a team message: whether it went to GitLab, and a button to post it (again). */
export function ForgeCommentLine({ origin: o, messageId, base, csrf, canManage, timeZone }: { origin: ForgeOrigin; messageId: string; base: string; csrf: string; canManage: boolean; timeZone: string }) {
  if (o.forge !== 'gitlab') return null;
  const c = o.comments[messageId];
  const button = (label: string) =>
    canManage && (
      <form method="post" action={`${base}/forge-comments/${messageId}`} class="inline-form">
        <Csrf token={csrf} />
        <button type="submit" class="secondary">
          {label}
        </button>
      </form>
    );
  if (!c) return <p class="small muted">Not posted to GitLab. {button('Post to GitLab')}</p>;
  if (c.state === 'posted')
    return (
      <p class="small muted">
        Posted to GitLab{c.postedAt ? ` ${formatInstant(c.postedAt, timeZone)}` : ''}
        {c.url && (
          <>
            {' · '}
            <a href={c.url} rel="noreferrer">
              the comment
            </a>
          </>
        )}
      </p>
    );
  if (c.state === 'pending') return <p class="small muted">{c.error ? `Posting to GitLab: ${c.error}` : 'Posting to GitLab…'}</p>;
  return (
    <p class="small notice bad">
      Not posted to GitLab: {c.error ?? 'unknown reason'} {button('Try again')}
    </p>
  );
}

/** On the message form of a report from GitLab: post the message there too (on by default: the reporter has no other way to read it). */
export function ForgeMirrorChoice({ origin: o }: { origin: ForgeOrigin }) {
  if (o.forge !== 'gitlab') return null;
  return (
    <label class="choice">
      <input type="checkbox" name="mirror" value="gitlab" checked /> Also post a message to the reporter as a comment on GitLab issue #{o.issueIid ?? '?'}
    </label>
  );
}
