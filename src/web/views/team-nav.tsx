import type { ComponentChildren } from 'preact';
import type { TeamPrincipal } from '../team-session.js';
import { Layout } from './layout.js';

export type TeamSection = 'inbox' | 'advisories' | 'releases' | 'rebuilds' | 'images' | 'sla' | 'mail' | 'webhooks' | 'members' | 'audit' | 'account';

export interface TeamNavProps {
  user: TeamPrincipal['user'];
  /** A CSRF token for the sign-out form (reply.generateCsrf()). */
  csrf: string;
  current?: TeamSection;
  /** An admin who must set up TOTP first sees only the account page and sign-out. */
  limited?: boolean;
}

/** The team side's navigation: every team page passes it to Layout's `nav`. */
export function TeamNav({ user, csrf, current, limited }: TeamNavProps) {
  const admin = user.role === 'admin';
  const link = (section: TeamSection, href: string, label: string) => (
    <a href={href} aria-current={current === section ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <>
      {!limited && link('inbox', '/team', 'Inbox')}
      {!limited && link('releases', '/team/releases', 'Releases')}
      {!limited && user.role !== 'coordinator' && link('advisories', '/team/advisories', 'Advisories')}
      {!limited && user.role !== 'coordinator' && link('rebuilds', '/team/rebuilds', 'Rebuilds')}
      {!limited && user.role !== 'coordinator' && link('images', '/team/images', 'Images')}
      {!limited && link('sla', '/team/sla', 'SLA')}
      {!limited && link('mail', '/team/mail', 'Mail')}
      {!limited && admin && link('webhooks', '/team/webhooks', 'Announcements')}
      {!limited && admin && link('members', '/team/members', 'Members')}
      {!limited && admin && link('audit', '/team/audit', 'Audit log')}
      {link('account', '/team/account', 'Account')}
      <form method="post" action="/team/logout" class="inline-form">
        <input type="hidden" name="_csrf" value={csrf} />
        <button type="submit" class="link" title={`Signed in as ${user.email}`}>
          Sign out
        </button>
      </form>
    </>
  );
}

export interface TeamFrameProps extends TeamNavProps {
  title: string;
  projectName: string;
  children: ComponentChildren;
}

/** The page frame of a team page: the site's Layout in English with the team navigation. */
export function TeamFrame({ title, projectName, children, ...nav }: TeamFrameProps) {
  return (
    <Layout title={title} lang="en" projectName={projectName} nav={<TeamNav {...nav} />}>
      {children}
    </Layout>
  );
}
