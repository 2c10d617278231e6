import type { FieldProblem } from '../../app/accounts.js';
import { PASSWORD_MIN } from '../../domain/accounts/password-rules.js';
import type { TeamPrincipal } from '../team-session.js';
import { CsrfField, Field, ProblemSummary } from './team-form-parts.js';
import { TeamFrame } from './team-nav.js';

export interface AccountPageProps {
  projectName: string;
  principal: TeamPrincipal;
  csrf: string;
  /** An admin without TOTP: this page is all they may reach until it is set up. */
  enrolmentNeeded: boolean;
  totp: { enabled: boolean; pending: { secret: string; uri: string } | null };
  notice?: { level: 'ok' | 'bad' | 'warn' | 'info'; text: string };
  problems?: FieldProblem[];
}

const ROLE_NAMES = { admin: 'Admin', member: 'Security team member', coordinator: 'Coordinator' } as const;

export function AccountPage({ projectName, principal, csrf, enrolmentNeeded, totp, notice, problems }: AccountPageProps) {
  const { user } = principal;
  return (
    <TeamFrame title="Your account" projectName={projectName} user={user} csrf={csrf} current="account" limited={enrolmentNeeded}>
      <h1>Your account</h1>
      {enrolmentNeeded && <p class="notice warn">Admins sign in with a second factor. Set up your authenticator app below to reach the rest of the desk.</p>}
      {notice && (
        <p class={`notice ${notice.level}`} role="status">
          {notice.text}
        </p>
      )}
      <ProblemSummary problems={problems} />
      <div class="grid-2">
        <section class="card">
          <h2>Two-factor sign-in</h2>
          <TotpSection csrf={csrf} role={user.role} totp={totp} problems={problems} />
        </section>
        <section class="card">
          <h2>Profile</h2>
          <dl class="facts">
            <dt>Name</dt>
            <dd>{user.name}</dd>
            <dt>E-mail</dt>
            <dd>{user.email}</dd>
            <dt>Role</dt>
            <dd>{ROLE_NAMES[user.role]}</dd>
          </dl>
          <h2>Change password</h2>
          <form method="post" action="/team/account/password">
            <CsrfField token={csrf} />
            <Field name="current" label="Current password" type="password" problems={problems} autocomplete="current-password" />
            <Field name="next" label="New password" type="password" problems={problems} autocomplete="new-password" hint={`At least ${PASSWORD_MIN} characters. Your other sessions end when it changes.`} />
            <div class="actions">
              <button type="submit">Change password</button>
            </div>
          </form>
        </section>
      </div>
    </TeamFrame>
  );
}

function TotpSection({ csrf, role, totp, problems }: { csrf: string; role: TeamPrincipal['user']['role']; totp: AccountPageProps['totp']; problems?: FieldProblem[] }) {
  if (totp.enabled) {
    return (
      <>
        <p>
          <span class="badge ok">On</span> You sign in with your password and a code from your authenticator app.
        </p>
        {role === 'admin' ? (
          <p class="muted">Admins cannot turn it off.</p>
        ) : (
          <form method="post" action="/team/account/totp/disable">
            <CsrfField token={csrf} />
            <Field name="password" label="Your password, to turn it off" type="password" problems={problems} autocomplete="current-password" />
            <div class="actions">
              <button type="submit" class="danger" data-confirm="Turn off two-factor sign-in?">
                Turn off two-factor sign-in
              </button>
            </div>
          </form>
        )}
      </>
    );
  }
  if (!totp.pending) {
    return (
      <>
        <p>
          <span class="badge warn">Off</span> Add a code from an authenticator app (any TOTP app) to your password.
        </p>
        <form method="post" action="/team/account/totp/start">
          <CsrfField token={csrf} />
          <button type="submit">Set up two-factor sign-in</button>
        </form>
      </>
    );
  }
  return (
    <>
      <ol>
        <li>
          In your authenticator app, add an account with this secret key (time-based, 6 digits, 30 seconds):
          <code class="secret" id="totp-secret">
            {totp.pending.secret}
          </code>
          <button type="button" class="secondary" data-copy="totp-secret" data-copied="Copied">
            Copy key
          </button>
        </li>
        <li>
          Or paste this setup address into an app that accepts one:
          <code class="secret" id="totp-uri">
            {totp.pending.uri}
          </code>
        </li>
        <li>Enter the code the app shows now:</li>
      </ol>
      <form method="post" action="/team/account/totp/confirm">
        <CsrfField token={csrf} />
        <Field name="code" label="Six-digit code" problems={problems} inputMode="numeric" pattern="[0-9 ]{6,7}" maxLength={7} autocomplete="one-time-code" />
        <div class="actions">
          <button type="submit">Turn on two-factor sign-in</button>
        </div>
      </form>
      <form method="post" action="/team/account/totp/start" class="small">
        <CsrfField token={csrf} />
        <button type="submit" class="link">
          Make a new key instead
        </button>
      </form>
    </>
  );
}
