import type { ComponentChildren } from 'preact';
import type { ForgeOrigin } from '../../app/forges/forge-origin.js';
import type { TeamReportView } from '../../app/reports/report-for-team.js';
import { lookAlikeWarning } from '../../domain/mail/look-alike.js';
import { actionsFrom, REJECTION_REASONS, type ReportState } from '../../domain/reports/states.js';
import type { Policy } from '../../domain/policy/schema.js';
import { formatInstant, relativeTo } from '../format.js';
import { ForgeCommentLine, ForgeMirrorChoice, ForgeOriginCard } from './forge-parts.js';
import { Layout } from './layout.js';
import { ACTION_WORDS, CHANNEL_WORDS, CLOCK_WORDS, REASON_WORDS, STAGE_WORDS, STATE_WORDS } from './report-words.js';
import { SeverityBadge } from './team-inbox-page.js';
import { releaseEventText } from './release-parts.js';
import { SealedReportPanel } from './sealed-report-panel.js';
import { OPENPGP_BROWSER_PATH } from '../vendor-assets.js';

export interface ReportPageProps {
  policy: Policy;
  nav: ComponentChildren;
  view: TeamReportView;
  csrf: string;
  now: Date;
  /** Members and admins act on the report; a coordinator reads it and adds notes. */
  canManage: boolean;
  members: Array<{ id: string; name: string }>;
  flash?: { tone: 'ok' | 'bad'; text: string } | undefined;
  /** After a forward: what to send upstream, and where. */
  forwarded?: { upstream: { name: string; contact: string }; text: string } | undefined;
  /** Where a report imported from GitHub or GitLab came from, and its mirrored messages. */
  forge?: ForgeOrigin | null | undefined;
  /** The release card (src/web/views/release-panel.tsx), once the report is fixed. */
  release?: ComponentChildren;
}

const upstreams = (p: Policy) => p.scope.outOfScope.filter((a) => a.upstream);

function ForwardCard({ p, base }: { p: ReportPageProps; base: string }) {
  const areas = upstreams(p.policy);
  if (areas.length === 0) return null;
  const f = p.forwarded;
  return (
    <section class="card">
      <h2>Upstream</h2>
      {f ? (
        <>
          <p class="notice ok">
            Recorded as forwarded to {f.upstream.name}. Send this to{' '}
            <a href={f.upstream.contact} rel="noreferrer">
              {f.upstream.contact}
            </a>
            , and invite their team as coordinators of this report from the <a href="/team/members">members page</a> if they should work on it here.
          </p>
          <pre id="forward-text">{f.text}</pre>
          <button type="button" class="secondary" data-copy="forward-text" data-copied="Copied">
            Copy
          </button>
        </>
      ) : p.view.report.upstream_consent ? (
        <form method="post" action={`${base}/forward`}>
          <Csrf token={p.csrf} />
          <p class="small">The reporter agreed to share this report with an upstream project.</p>
          <div class="field">
            <label for="forward-area">Upstream project</label>
            <select id="forward-area" name="area">
              {areas.map((a) => (
                <option value={a.area}>{`${a.upstream!.name} (${a.area})`}</option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary">
            Forward upstream
          </button>
        </form>
      ) : (
        <p class="small muted">The reporter has not agreed to share this report with an upstream project. Ask them in a message; they answer on their view of the report.</p>
      )}
    </section>
  );
}

/** A mark on a name or address that may imitate another (mixed scripts, invisible characters): see look-alike.ts. */
function LookAlike({ label, text }: { label: string; text: string | null }) {
  const warning = text ? lookAlikeWarning(text) : null;
  return warning ? (
    <span class="badge warn" data-mixed-script>
      {` the ${label} ${warning}`}
    </span>
  ) : null;
}

const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

function Text({ label, text }: { label: string; text: string | null }) {
  if (!text) return null;
  return (
    <>
      <h3>{label}</h3>
      <div class="message body">{text}</div>
    </>
  );
}

export function ReportPage(p: ReportPageProps) {
  const { report: r, clocks } = p.view;
  const tz = p.policy.calendar.timeZone;
  const base = `/team/reports/${r.number}`;
  const actions = actionsFrom(r.state as ReportState).filter((a) => a !== 'reject');
  const canReject = actionsFrom(r.state as ReportState).includes('reject');
  return (
    <Layout title={`#${r.number} ${r.title}`} lang="en" projectName={p.policy.project.name} nav={p.nav}>
      {p.flash && <p class={`notice ${p.flash.tone}`}>{p.flash.text}</p>}
      <p class="small muted">
        <a href="/team">Inbox</a> / #{r.number}
      </p>
      <h1>{r.title}</h1>
      <p class="actions">
        <span class="badge info">{STATE_WORDS[r.state] ?? r.state}</span>
        {r.rejection_reason && <span class="badge">{REASON_WORDS[r.rejection_reason] ?? r.rejection_reason}</span>}
        <SeverityBadge severity={r.severity} />
        {r.cvss_score !== null && <span class="small mono">{`CVSS ${r.cvss_score.toFixed(1)}`}</span>}
        {p.view.duplicateOf && (
          <span class="small">
            duplicate of <a href={`/team/reports/${p.view.duplicateOf.number}`}>#{p.view.duplicateOf.number}</a>
          </span>
        )}
      </p>
      <div class="grid-2">
        <div>
          <section class="card">
            <h2>The report</h2>
            {r.encrypted ? (
              <SealedReportPanel message={r.description} files={p.view.attachments.filter((a) => a.message_id === null).map((a) => ({ filename: a.filename, url: `${base}/attachments/${a.id}` }))} openpgpPath={OPENPGP_BROWSER_PATH} />
            ) : (
              <Text label="Description" text={r.description} />
            )}
            <Text label="Steps to reproduce" text={r.steps} />
            <Text label="Impact" text={r.impact} />
            {r.reporter_cvss && (
              <p class="small">
                Reporter's CVSS: <code>{r.reporter_cvss}</code>
              </p>
            )}
            {p.view.attachments.length > 0 && (
              <>
                <h3>Attachments</h3>
                <ul>
                  {p.view.attachments.map((a) => (
                    <li>
                      <a href={`${base}/attachments/${a.id}`}>{a.filename}</a> <span class="small muted">{`${a.content_type}, ${a.size} bytes, sha256 ${a.sha256.slice(0, 12)}…`}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          <section class="card">
            <h2>Conversation</h2>
            {p.view.messages.length === 0 && <p class="muted">No messages yet.</p>}
            {p.view.messages.map((m) => (
              <article class={`message ${m.internal ? 'internal' : m.author_kind === 'reporter' ? 'reporter' : 'team'}`}>
                <header>
                  <span>
                    {m.internal ? 'Private note · ' : ''}
                    {m.author_kind === 'reporter' ? 'Reporter' : m.author_kind === 'system' ? 'The desk' : (m.authorName ?? 'Team')}
                  </span>
                  <time>{formatInstant(m.at, tz)}</time>
                </header>
                <div class="body">{m.body}</div>
                {p.forge && m.author_kind === 'user' && !m.internal && <ForgeCommentLine origin={p.forge} messageId={m.id} base={base} csrf={p.csrf} canManage={p.canManage} timeZone={tz} />}
              </article>
            ))}
            <form method="post" action={`${base}/messages`}>
              <Csrf token={p.csrf} />
              <div class="field">
                <label for="body">Write</label>
                <textarea id="body" name="body" required maxLength={50000} />
              </div>
              {p.forge && p.canManage && <ForgeMirrorChoice origin={p.forge} />}
              <div class="actions">
                {p.canManage && (
                  <button type="submit" name="kind" value="message">
                    Send to reporter
                  </button>
                )}
                <button type="submit" name="kind" value="note" class="secondary">
                  Add private note
                </button>
              </div>
            </form>
          </section>
          <section class="card">
            <h2>Timeline</h2>
            <ol class="timeline">
              {p.view.events.map((e) => (
                <li>
                  <strong>{eventText(e.kind, e.data)}</strong>
                  <div class="small muted">
                    {formatInstant(e.at, tz)} · {e.actor_kind === 'user' ? (e.actorName ?? 'team') : e.actor_kind}
                    {e.visible ? '' : ' · team only'}
                  </div>
                </li>
              ))}
            </ol>
          </section>
        </div>
        <aside>
          <section class="card">
            <h2>Clocks</h2>
            <ul class="clock-list">
              {clocks.map((c) => (
                <li>
                  <span>{STAGE_WORDS[c.stage]}</span>
                  <span class={`badge ${CLOCK_WORDS[c.status].tone}`}>{CLOCK_WORDS[c.status].label}</span>
                  <span class="small muted">
                    {c.reachedAt ? `done ${formatInstant(c.reachedAt, tz)}` : c.deadline ? `${formatInstant(c.deadline, tz)} (${relativeTo(c.deadline, p.now)})` : 'no date'}
                  </span>
                </li>
              ))}
            </ul>
            {p.policy.sla.commitment === 'best-effort' && <p class="small muted">The policy promises these on a best-effort basis.</p>}
          </section>
          {p.release}
          {p.canManage && (actions.length > 0 || canReject) && (
            <section class="card">
              <h2>Move on</h2>
              <form method="post" action={`${base}/transition`} class="actions">
                <Csrf token={p.csrf} />
                {actions.map((a) => (
                  <button type="submit" name="action" value={a} class={a === 'reopen' ? 'secondary' : ''}>
                    {ACTION_WORDS[a]}
                  </button>
                ))}
              </form>
              {canReject && (
                <form method="post" action={`${base}/transition`}>
                  <Csrf token={p.csrf} />
                  <input type="hidden" name="action" value="reject" />
                  <h3>Reject</h3>
                  <div class="field">
                    <label for="reason">Reason</label>
                    <select id="reason" name="reason">
                      {REJECTION_REASONS.map((x) => (
                        <option value={x}>{REASON_WORDS[x]}</option>
                      ))}
                    </select>
                  </div>
                  <div class="field">
                    <label for="duplicateOf">
                      Duplicate of <span class="hint">report number, for duplicates</span>
                    </label>
                    <input id="duplicateOf" name="duplicateOf" type="text" inputMode="numeric" placeholder="#12" />
                  </div>
                  {p.policy.scope.outOfScope.length > 0 && (
                    <div class="field">
                      <label for="scopeArea">
                        Out-of-scope area <span class="hint">the reporter is told where to go instead</span>
                      </label>
                      <select id="scopeArea" name="scopeArea">
                        <option value="">—</option>
                        {p.policy.scope.outOfScope.map((a) => (
                          <option value={a.area}>{a.upstream ? `${a.area} → ${a.upstream.name}` : a.area}</option>
                        ))}
                      </select>
                    </div>
                  )}
                  <button type="submit" class="danger" data-confirm="Reject this report?">
                    Reject
                  </button>
                </form>
              )}
            </section>
          )}
          {p.canManage && <ForwardCard p={p} base={base} />}
          {p.forge && <ForgeOriginCard origin={p.forge} timeZone={tz} />}
          <section class="card">
            <h2>Details</h2>
            <dl class="facts">
              <dt>Image</dt>
              <dd>{r.image ? `${r.image}${r.tag ? `:${r.tag}` : ''}` : '—'}</dd>
              <dt>Channel</dt>
              <dd>{CHANNEL_WORDS[r.channel] ?? r.channel}</dd>
              <dt>Received</dt>
              <dd>{formatInstant(r.received_at, tz)}</dd>
              <dt>Reporter</dt>
              <dd>
                {r.reporter_name ?? 'anonymous'}
                {r.reporter_email ? ` <${r.reporter_email}>` : ''}
                <LookAlike label="name" text={r.reporter_name} />
                <LookAlike label="address" text={r.reporter_email} />
              </dd>
              <dt>Credit</dt>
              <dd>{r.credit_name ? `as “${r.credit_name}”` : 'no credit wanted'}</dd>
              <dt>Language</dt>
              <dd>{r.language}</dd>
              <dt>Assignee</dt>
              <dd>{p.view.assignee?.name ?? '—'}</dd>
              <dt>CWE</dt>
              <dd>{r.cwe ?? '—'}</dd>
            </dl>
            {p.canManage && (
              <form method="post" action={`${base}/details`}>
                <Csrf token={p.csrf} />
                <div class="field">
                  <label for="cvss">
                    CVSS vector <span class="hint">3.1 or 4.0; the score and severity are computed</span>
                  </label>
                  <input id="cvss" name="cvss" type="text" value={r.cvss_vector ?? ''} placeholder="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" />
                </div>
                <div class="field">
                  <label for="cwe">CWE</label>
                  <input id="cwe" name="cwe" type="text" value={r.cwe ?? ''} placeholder="CWE-79" />
                </div>
                <div class="field">
                  <label for="assigneeId">Assignee</label>
                  <select id="assigneeId" name="assigneeId">
                    <option value="">—</option>
                    {p.members.map((m) => (
                      <option value={m.id} selected={m.id === r.assignee_id}>
                        {m.name}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="field">
                  <label for="inScope">In-scope area</label>
                  <select id="inScope" name="scopeArea">
                    <option value="">—</option>
                    {p.policy.scope.inScope.map((a) => (
                      <option value={a} selected={a === r.scope_area}>
                        {a}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" class="secondary">
                  Save details
                </button>
              </form>
            )}
          </section>
        </aside>
      </div>
    </Layout>
  );
}

function eventText(kind: string, data: Record<string, unknown>): string {
  if (kind === 'state') return `${STATE_WORDS[String(data.from)] ?? data.from} → ${STATE_WORDS[String(data.to)] ?? data.to}${data.reason ? ` (${REASON_WORDS[String(data.reason)] ?? data.reason})` : ''}`;
  if (kind === 'received') return 'Report received';
  if (kind === 'details') return `Details changed: ${Object.keys(data).join(', ')}`;
  if (kind === 'forwarded_upstream') return `Forwarded to ${String(data.upstream)}`;
  if (kind === 'upstream_consent_given') return 'Reporter agreed to share with the upstream project';
  if (kind === 'upstream_consent_withdrawn') return 'Reporter withdrew consent to share upstream';
  if (kind === 'forge_import') return `Imported from ${data.forge === 'github' ? 'GitHub' : 'GitLab'} (${String(data.externalId)}, ${String(data.via)})`;
  if (kind === 'forge_comment') return 'Message posted to GitLab as a comment';
  if (kind.startsWith('release_')) return releaseEventText(kind, data);
  return kind.replace(/_/g, ' ');
}
