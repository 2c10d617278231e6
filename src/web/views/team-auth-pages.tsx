import type { FieldProblem } from '../../app/accounts.js';
import type { OpenInvitation } from '../../app/accept-invitation.js';
import { PASSWORD_MIN } from '../../domain/accounts/password-rules.js';
import { CsrfField, Field, ProblemSummary } from './team-form-parts.js';
import { Layout } from './layout.js';

/** The pages of signing in and joining: no team navigation, since nobody is signed in yet. */

interface Base {
  projectName: string;
  csrf: string;
}

const passwordHint = `At least ${PASSWORD_MIN} characters. A few unrelated words are easy to remember and hard to guess.`;

export function SetupPage({ projectName, csrf, action, values = {}, problems }: Base & { action: string; values?: { name?: string; email?: string }; problems?: FieldProblem[] }) {
  return (
    <Layout title="Create the first admin account" lang="en" projectName={projectName}>
      <section class="card narrow">
        <h1>Create the first admin account</h1>
        <p>This one-time link sets up the desk's first account. Admins manage the policy, the members and the settings, and sign in with a password and a code from an authenticator app.</p>
        <ProblemSummary problems={problems} />
        <form method="post" action={action}>
          <CsrfField token={csrf} />
          <Field name="name" label="Your name" value={values.name} problems={problems} autocomplete="name" maxLength={100} />
          <Field name="email" label="E-mail address" type="email" value={values.email} problems={problems} autocomplete="email" maxLength={254} />
          <Field name="password" label="Password" type="password" problems={problems} autocomplete="new-password" hint={passwordHint} />
          <div class="actions">
            <button type="submit">Create account and set up two-factor sign-in</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}

export function LoginPage({ projectName, csrf, next, email, message }: Base & { next: string; email?: string; message?: { level: 'bad' | 'warn' | 'info'; text: string } }) {
  return (
    <Layout title="Team sign-in" lang="en" projectName={projectName}>
      <section class="card narrow">
        <h1>Team sign-in</h1>
        {message && (
          <p class={`notice ${message.level}`} role="alert">
            {message.text}
          </p>
        )}
        <form method="post" action="/team/login">
          <CsrfField token={csrf} />
          <input type="hidden" name="next" value={next} />
          <Field name="email" label="E-mail address" type="email" value={email} autocomplete="username" maxLength={254} autofocus />
          <Field name="password" label="Password" type="password" autocomplete="current-password" />
          <div class="actions">
            <button type="submit">Sign in</button>
          </div>
        </form>
        <p class="muted small">Reporting a vulnerability? You need no account: use the <a href="/report">report form</a>.</p>
      </section>
    </Layout>
  );
}

export function CodePage({ projectName, csrf, next, message }: Base & { next: string; message?: { level: 'bad' | 'warn'; text: string } }) {
  return (
    <Layout title="Two-factor sign-in" lang="en" projectName={projectName}>
      <section class="card narrow">
        <h1>Enter your code</h1>
        {message && (
          <p class={`notice ${message.level}`} role="alert">
            {message.text}
          </p>
        )}
        <form method="post" action="/team/login/code">
          <CsrfField token={csrf} />
          <input type="hidden" name="next" value={next} />
          <Field name="code" label="Six-digit code from your authenticator app" inputMode="numeric" pattern="[0-9 ]{6,7}" maxLength={7} autocomplete="one-time-code" autofocus />
          <div class="actions">
            <button type="submit">Verify</button>
          </div>
        </form>
        <form method="post" action="/team/logout" class="small">
          <CsrfField token={csrf} />
          <button type="submit" class="link">
            Cancel and sign out
          </button>
        </form>
      </section>
    </Layout>
  );
}

const ROLE_WORDS: Record<OpenInvitation['role'], string> = {
  admin: 'an admin (policy, members and settings; two-factor sign-in required)',
  member: 'a member of the security team (all reports)',
  coordinator: 'a coordinator',
};

export function InvitePage({ projectName, csrf, action, invitation, values = {}, problems }: Base & { action: string; invitation: OpenInvitation; values?: { name?: string }; problems?: FieldProblem[] }) {
  return (
    <Layout title="Join the security team" lang="en" projectName={projectName}>
      <section class="card narrow">
        <h1>Join the security team</h1>
        <p>
          You are invited to {projectName}'s disclosure desk as {ROLE_WORDS[invitation.role]}
          {invitation.role === 'coordinator' && invitation.reportNumber !== null && <> for report #{invitation.reportNumber}</>}. Your account will be{' '}
          <strong>{invitation.email}</strong>.
        </p>
        <ProblemSummary problems={problems} />
        <form method="post" action={action}>
          <CsrfField token={csrf} />
          <Field name="name" label="Your name" value={values.name} problems={problems} autocomplete="name" maxLength={100} />
          <Field name="password" label="Choose a password" type="password" problems={problems} autocomplete="new-password" hint={passwordHint} />
          <div class="actions">
            <button type="submit">Create my account</button>
          </div>
        </form>
        <p class="muted small">This link works once and until {invitation.expiresAt.toISOString().slice(0, 10)}.</p>
      </section>
    </Layout>
  );
}

/** A setup or invitation link that does not (or no longer) work; it does not say which reason applies. */
export function LinkInvalidPage({ projectName, what }: { projectName: string; what: 'setup' | 'invitation' }) {
  return (
    <Layout title="This link does not work" lang="en" projectName={projectName}>
      <section class="card narrow">
        <h1>This link does not work</h1>
        {what === 'setup' ? (
          <p>The set-up link has been used, has expired, or an account exists already. Restarting the desk prints a new link while no account exists.</p>
        ) : (
          <p>The invitation has been used, has expired (links last 7 days) or was withdrawn. Ask an admin of the team for a new one.</p>
        )}
        <p>
          <a href="/team/login">Team sign-in</a>
        </p>
      </section>
    </Layout>
  );
}
