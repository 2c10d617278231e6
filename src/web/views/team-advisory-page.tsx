import type { ComponentChildren } from 'preact';
import type { FieldProblem } from '../../app/accounts.js';
import type { TeamAdvisoryView } from '../../app/advisories/advisory-for-team.js';
import type { ResolvedImage } from '../../domain/advisories/resolve.js';
import type { Policy } from '../../domain/policy/schema.js';
import { formatInstant, relativeTo } from '../format.js';
import { Layout } from './layout.js';
import { AdvisoryStateBadge } from './team-advisories-page.js';
import { CsrfField } from './team-form-parts.js';

export interface AdvisoryPageProps {
  policy: Policy;
  nav: ComponentChildren;
  /** null while drafting a new advisory. */
  view: TeamAdvisoryView | null;
  editor: ComponentChildren;
  csrf: string;
  role: 'admin' | 'member' | 'coordinator';
  now: Date;
  flash?: { tone: 'ok' | 'bad'; text: string } | undefined;
  /** Problems of the override and withdraw forms, and what was typed there. */
  actionProblems?: FieldProblem[];
  actionValues?: Record<string, string>;
}

const short = (d: string) => `${d.slice(0, 19)}…`;

function TagTable({ image }: { image: ResolvedImage }) {
  const rows = [
    ...image.affected.map((a) => ({ tag: a.tag, digest: a.digest, status: 'affected', note: a.remedy.kind === 'pull' ? `pull ${a.remedy.tag} again` : a.remedy.kind === 'move' ? `move to ${a.remedy.tag}` : 'no fixed tag yet' })),
    ...image.fixed.map((f) => ({ tag: f.tag, digest: f.digest, status: 'fixed', note: '' })),
    ...image.notAffected.map((n) => ({ tag: n.tag, digest: n.digest, status: 'not affected', note: n.statement })),
  ];
  return (
    <>
      <h3 class="mono">{image.name}</h3>
      {rows.length === 0 ? (
        <p class="muted small">No tag of the inventory is selected.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Tag</th>
                <th>Status</th>
                <th>Digest</th>
                <th>What to do</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td class="mono">{r.tag}</td>
                  <td>
                    <span class={`badge ${r.status === 'affected' ? 'bad' : r.status === 'fixed' ? 'ok' : 'info'}`}>{r.status}</span>
                  </td>
                  <td class="mono small">{short(r.digest)}</td>
                  <td class="small">{r.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {image.excluded.length > 0 && (
        <details>
          <summary class="small">{`${image.excluded.length} selected tag${image.excluded.length === 1 ? '' : 's'} not named: they receive no advisories`}</summary>
          <ul class="small">
            {image.excluded.map((e) => (
              <li>
                <span class="mono">{e.tag}</span>: {e.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

function ReasonForm({ action, name, label, button, hint, p, danger }: { action: string; name: string; label: string; button: string; hint: string; p: AdvisoryPageProps; danger?: boolean }) {
  const mine = p.actionProblems?.filter((x) => x.field === name) ?? [];
  return (
    <form method="post" action={action}>
      <CsrfField token={p.csrf} />
      <div class="field">
        <label for={`f-${name}`}>{label}</label>
        <p class="hint" id={`f-${name}-hint`}>
          {hint}
        </p>
        <textarea id={`f-${name}`} name="reason" rows={2} required aria-invalid={mine.length ? 'true' : undefined} aria-describedby={`f-${name}-hint`}>
          {p.actionValues?.[name] ?? ''}
        </textarea>
        {mine.map((x) => (
          <p class="hint problem">{x.message}</p>
        ))}
      </div>
      <button type="submit" class={danger ? 'danger' : 'secondary'}>
        {button}
      </button>
    </form>
  );
}

function StatusCard({ p, v }: { p: AdvisoryPageProps; v: TeamAdvisoryView }) {
  const tz = p.policy.calendar.timeZone;
  const r = v.row;
  const base = `/team/advisories/${r.ident}`;
  const admin = p.role === 'admin';
  const due = r.scheduled_for !== null && r.scheduled_for.getTime() <= p.now.getTime();
  return (
    <section class="card" aria-labelledby="status-heading">
      <h2 id="status-heading">Publication</h2>
      <p>
        <AdvisoryStateBadge state={r.state} />{' '}
        {r.state === 'scheduled' && r.scheduled_for && `Publishes ${formatInstant(r.scheduled_for, tz)} (${relativeTo(r.scheduled_for, p.now)}).`}
        {r.published_at && ` Published ${formatInstant(r.published_at, tz)}.`}
        {r.withdrawn_at && ` Withdrawn ${formatInstant(r.withdrawn_at, tz)}: ${r.withdrawn_reason ?? ''}`}
      </p>
      {r.override_reason && (
        <p class="notice warn small">
          Published without a fixed build in the inventory, by {v.overrideByName ?? 'an admin'}’s decision: {r.override_reason}
        </p>
      )}
      {v.embargo.kind === 'warn' && <p class="notice warn small">{`The maximum embargo (${p.policy.disclosure.maxEmbargoDays} days from the first report) ends ${formatInstant(v.embargo.endsAt, tz)}, in ${v.embargo.daysLeft} days.`}</p>}
      {v.embargo.kind === 'over' && <p class="notice bad small">{`The maximum embargo (${p.policy.disclosure.maxEmbargoDays} days from the first report) ended ${formatInstant(v.embargo.endsAt, tz)}.`}</p>}
      {v.embargo.kind === 'running' && <p class="small muted">{`The maximum embargo ends ${formatInstant(v.embargo.endsAt, tz)}.`}</p>}
      {(r.state === 'draft' || r.state === 'scheduled') && v.missing.length > 0 && (
        <div class="notice bad small">
          <p>No fixed build yet:</p>
          <ul>
            {v.missing.map((m) => (
              <li>{m.reason}</li>
            ))}
          </ul>
        </div>
      )}
      {r.state === 'draft' && v.plan && <p class="small">{`Scheduling now: ${v.plan.explanation} It would publish ${formatInstant(v.plan.at, tz)}.`}</p>}
      {r.state === 'draft' && (
        <form method="post" action={`${base}/schedule`} class="actions">
          <CsrfField token={p.csrf} />
          <button type="submit" disabled={v.missing.length > 0 || v.problems.length > 0}>
            Schedule
          </button>
        </form>
      )}
      {r.state === 'draft' && admin && v.missing.length > 0 && (
        <ReasonForm action={`${base}/override`} name="overrideReason" label="Publish without a fixed build (admin)" button="Schedule without a fixed build" hint="Recorded in the audit log with your name. Say why users are better served by the advisory now." p={p} danger />
      )}
      {r.state === 'scheduled' && (
        <div class="actions">
          {(due || admin) && (
            <form method="post" action={`${base}/publish`} class="inline-form">
              <CsrfField token={p.csrf} />
              <button type="submit">{due ? 'Publish now' : 'Publish now, ahead of schedule'}</button>
            </form>
          )}
          <form method="post" action={`${base}/unschedule`} class="inline-form">
            <CsrfField token={p.csrf} />
            <button type="submit" class="secondary">
              Back to draft
            </button>
          </form>
        </div>
      )}
      {r.state === 'published' && <p class="small">{<a href={`/advisories/${r.ident}`}>The public page</a>}</p>}
      {r.state === 'published' && admin && <ReasonForm action={`${base}/withdraw`} name="withdrawReason" label="Withdraw (admin)" button="Withdraw" hint="The advisory stays public, marked withdrawn with this reason." p={p} danger />}
    </section>
  );
}

/** One advisory for the team: where it stands, the tags it resolves to, its reports and revisions, and the editor. */
export function AdvisoryPage(p: AdvisoryPageProps) {
  const v = p.view;
  const tz = p.policy.calendar.timeZone;
  const title = v ? `${v.row.ident}` : 'New advisory';
  return (
    <Layout title={title} lang="en" projectName={p.policy.project.name} nav={p.nav}>
      <p class="small">
        <a href="/team/advisories">Advisories</a>
      </p>
      <h1>{v ? `${v.row.ident}: ${v.advisory.title}` : 'New advisory'}</h1>
      {p.flash && (
        <p class={`notice ${p.flash.tone}`} role={p.flash.tone === 'bad' ? 'alert' : 'status'}>
          {p.flash.text}
        </p>
      )}
      <div class="grid-2">
        <div>{p.editor}</div>
        <aside>
          {v && <StatusCard p={p} v={v} />}
          {v && (
            <section class="card" aria-labelledby="reports-heading">
              <h2 id="reports-heading">Reports</h2>
              {v.reports.length === 0 ? (
                <p class="muted small">No report is linked.</p>
              ) : (
                <ul>
                  {v.reports.map((r) => (
                    <li>
                      <a href={`/team/reports/${r.number}`}>{`#${r.number}`}</a> {r.title} <span class="small muted">{r.state.replace(/_/g, ' ')}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
          {v && (
            <section class="card" aria-labelledby="tags-heading">
              <h2 id="tags-heading">Tags it names</h2>
              <p class="small muted">Resolved against the image inventory now, under the policy’s support rule.</p>
              {v.problems.length > 0 && (
                <ul class="notice bad small">
                  {v.problems.map((x) => (
                    <li>{x.message}</li>
                  ))}
                </ul>
              )}
              {v.images.map((image) => (
                <TagTable image={image} />
              ))}
            </section>
          )}
          {v && v.revisions.length > 0 && (
            <section class="card" aria-labelledby="revisions-heading">
              <h2 id="revisions-heading">Revisions</h2>
              <ol>
                {v.revisions.map((r) => (
                  <li>
                    {r.summary}
                    <div class="small muted">{`${formatInstant(r.at, tz)} · ${r.byName ?? 'the desk'}`}</div>
                  </li>
                ))}
              </ol>
            </section>
          )}
        </aside>
      </div>
    </Layout>
  );
}
