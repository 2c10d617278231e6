import type { FieldProblem } from '../../app/accounts.js';
import type { MemberRow, PendingInvitation } from '../../app/list-members.js';
import { HANDLED_WINDOW_DAYS } from '../../app/list-members.js';
import type { TeamPrincipal } from '../team-session.js';
import { CsrfField, ProblemSummary } from './team-form-parts.js';
import { TeamFrame } from './team-nav.js';

export interface MembersPageProps {
  projectName: string;
  principal: TeamPrincipal;
  csrf: string;
  now: Date;
  members: MemberRow[];
  invitations: PendingInvitation[];
  inactivityDays: number | null;
  notice?: { level: 'ok' | 'bad' | 'warn' | 'info'; text: string };
  problems?: FieldProblem[];
  values?: { email?: string; role?: string; report?: string };
  /** A link just made: shown this once, never stored. */
  created?: { url: string; email: string; expiresAt: Date; /** An e-mail with the link is queued (mail is configured). */ mailed?: boolean };
}

const ROLES = [
  { value: 'member', label: 'Security team member: all reports' },
  { value: 'coordinator', label: 'Coordinator: one report (upstream team, fix contributor)' },
  { value: 'admin', label: 'Admin: policy, members, settings' },
] as const;

const day = (d: Date) => d.toISOString().slice(0, 10);

function ago(now: Date, d: Date | null): string {
  if (!d) return 'never';
  const days = Math.floor((now.getTime() - d.getTime()) / 86_400_000);
  return days <= 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`;
}

export function MembersPage(p: MembersPageProps) {
  const flagged = p.members.filter((m) => m.inactive);
  return (
    <TeamFrame title="Members" projectName={p.projectName} user={p.principal.user} csrf={p.csrf} current="members">
      <h1>Members</h1>
      {p.notice && (
        <p class={`notice ${p.notice.level}`} role="status">
          {p.notice.text}
        </p>
      )}
      {p.created && (
        <section class="card notice ok">
          <h2>Invitation link for {p.created.email}</h2>
          {p.created.mailed ? (
            <p>
              An e-mail with this link is on its way to them (see <a href="/team/mail">Mail</a>). It is shown here only now, works once, and expires on {day(p.created.expiresAt)}.
            </p>
          ) : (
            <p>Send this link to them yourself, over a channel you trust. It is shown only now, works once, and expires on {day(p.created.expiresAt)}.</p>
          )}
          <code class="secret" id="invite-link">
            {p.created.url}
          </code>
          <button type="button" class="secondary" data-copy="invite-link" data-copied="Copied">
            Copy link
          </button>
        </section>
      )}
      {p.inactivityDays !== null && flagged.length > 0 && (
        <p class="notice warn">
          {flagged.length === 1 ? '1 member has' : `${flagged.length} members have`} not been active for more than {p.inactivityDays} days (the policy's review threshold): please review whether they still need access.
        </p>
      )}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Last active</th>
              <th scope="col">Reports handled ({HANDLED_WINDOW_DAYS} days)</th>
              <th scope="col">Actions ({HANDLED_WINDOW_DAYS} days)</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {p.members.map((m) => (
              <MemberTableRow member={m} csrf={p.csrf} now={p.now} self={m.id === p.principal.user.id} />
            ))}
          </tbody>
        </table>
      </div>
      <div class="grid-2">
        <section class="card">
          <h2>Invite someone</h2>
          <ProblemSummary problems={p.problems} />
          <form method="post" action="/team/members/invite">
            <CsrfField token={p.csrf} />
            <div class="field">
              <label for="f-email">E-mail address</label>
              <input id="f-email" name="email" type="email" required maxLength={254} value={p.values?.email} />
            </div>
            <fieldset>
              <legend>Role</legend>
              {ROLES.map((r) => (
                <label class="choice">
                  <input type="radio" name="role" value={r.value} checked={(p.values?.role ?? 'member') === r.value} /> {r.label}
                </label>
              ))}
            </fieldset>
            <div class="field">
              <label for="f-report">Report number (coordinators only)</label>
              <p class="hint">A coordinator sees only this report. Inviting an existing coordinator adds the report to their account.</p>
              <input id="f-report" name="report" type="text" inputMode="numeric" maxLength={12} value={p.values?.report} />
            </div>
            <div class="actions">
              <button type="submit">Make invitation link</button>
            </div>
          </form>
        </section>
        <section class="card">
          <h2>Pending invitations</h2>
          {p.invitations.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <ul>
              {p.invitations.map((i) => (
                <li>
                  <strong>{i.email}</strong> as {i.role}
                  {i.reportNumber !== null && <> for report #{i.reportNumber}</>}, until {day(i.expiresAt)}
                  {i.invitedBy && <span class="muted"> (by {i.invitedBy})</span>}{' '}
                  <form method="post" action="/team/members/invitations/revoke" class="inline-form">
                    <CsrfField token={p.csrf} />
                    <input type="hidden" name="id" value={i.id} />
                    <button type="submit" class="link" data-confirm={`Withdraw the invitation for ${i.email}?`}>
                      Withdraw
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </TeamFrame>
  );
}

function MemberTableRow({ member: m, csrf, now, self }: { member: MemberRow; csrf: string; now: Date; self: boolean }) {
  return (
    <tr>
      <td>
        {m.name} {self && <span class="badge info">you</span>}
        <br />
        <span class="muted small">{m.email}</span>
      </td>
      <td>
        {m.role}
        {m.role === 'coordinator' && m.reports.length > 0 && <span class="muted small"> (reports {m.reports.map((n) => `#${n}`).join(', ')})</span>}
        {!m.totpEnabled && m.role === 'admin' && <span class="badge warn">no 2FA yet</span>}
      </td>
      <td>
        {ago(now, m.lastActiveAt)} {m.inactive && <span class="badge warn">inactive: review</span>}
      </td>
      <td>{m.reportsHandled}</td>
      <td>{m.actions}</td>
      <td>
        <form method="post" action={`/team/members/${m.id}/role`} class="inline-form">
          <CsrfField token={csrf} />
          <select name="role" aria-label={`Role of ${m.name}`}>
            {ROLES.map((r) => (
              <option value={r.value} selected={m.role === r.value}>
                {r.value}
              </option>
            ))}
          </select>{' '}
          <button type="submit" class="secondary">
            Save
          </button>
        </form>{' '}
        {!self && (
          <form method="post" action={`/team/members/${m.id}/remove`} class="inline-form">
            <CsrfField token={csrf} />
            <button type="submit" class="danger" data-confirm={`Remove ${m.name}? Their sessions end at once.`}>
              Remove
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}
