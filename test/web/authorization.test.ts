import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAdminNotice } from '../../src/app/admin-notices.js';
import { OPENPGP_BROWSER_PATH } from '../../src/web/vendor-assets.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertReport } from '../support/fixtures.js';
import { draftAdvisory } from '../../src/app/advisories/draft-advisory.js';
import { anonymousCsrf, createMember, loginAs, type TeamAgent, type TestMember } from '../support/team.js';

/**
 * Every route the desk serves, called as each kind of caller, against who may. A route that is not
 * in ACCESS fails the test: a new route must be classified before it can land.
 */
type Access =
  | 'public' // anyone, no identity needed
  | 'token' // opened by a secret link: a made-up token gets nobody in
  | 'reporter' // the reporter of a report, for their own report only
  | 'not-theirs' // a reporter's route, asked for the target report's attachment: nobody else's reporter gets it
  | 'non-admin' // own-account actions that admins may not take (turning off two-factor sign-in)
  | 'team' // any signed-in team account, coordinators included
  | 'team-report' // members and admins, and coordinators invited to that report
  | 'manage' // members and admins
  | 'admin';

const ACCESS: Record<string, Access> = {
  'GET /assets/*': 'public',
  'GET /.well-known/security.txt': 'public',
  'GET /security.txt': 'public',
  'GET /SECURITY.md': 'public',
  'GET /openpgp-key.asc': 'public', // the public half of the desk key, for browser encryption
  [`GET ${OPENPGP_BROWSER_PATH}`]: 'public',
  'GET /': 'public',
  'GET /policy': 'public',
  'GET /report': 'public',
  'POST /report': 'public',
  'GET /api/openapi.json': 'public',
  'POST /api/v1/reports': 'public',
  'GET /images': 'public',
  'GET /images/*': 'public',
  'GET /api/v1/images/*': 'public',
  'GET /advisories': 'public', // published and withdrawn advisories only
  'GET /advisories.atom': 'public',
  'GET /advisories/:name': 'public',
  'GET /advisories/subscribe': 'public', // the same answer for every address
  'POST /advisories/subscribe': 'public',
  'GET /advisories/confirm/:token': 'token', // a subscriber's mailed link; its POST needs the page's CSRF token too
  'POST /advisories/confirm/:token': 'token',
  'GET /advisories/unsubscribe/:token': 'token',
  'POST /advisories/unsubscribe/:token': 'token', // RFC 8058 one-click: the token alone, no cookie, no CSRF token
  'GET /.well-known/csaf/provider-metadata.json': 'public',
  'GET /.well-known/csaf/service.json': 'public',
  'GET /.well-known/csaf/white/index.txt': 'public',
  'GET /.well-known/csaf/white/changes.csv': 'public',
  'GET /.well-known/csaf/white/csaf-feed-tlp-white.json': 'public',
  'GET /.well-known/csaf/white/:year/:file': 'public',
  'GET /.well-known/csaf/openpgp/:file': 'public',
  'GET /team/login': 'public',
  'POST /team/login': 'public',
  'GET /team/login/code': 'public',
  'POST /team/login/code': 'public',
  'GET /r/:token': 'token',
  'GET /team/setup/:token': 'token',
  'POST /team/setup/:token': 'token',
  'GET /team/invite/:token': 'token',
  'POST /team/invite/:token': 'token',
  'POST /hooks/gitlab': 'token', // GitLab's webhook, opened by X-Gitlab-Token (none is configured here, so nobody)
  'GET /report/status': 'reporter',
  'GET /report/attachments/:id': 'not-theirs',
  'POST /report/status/reply': 'reporter',
  'POST /report/status/credit': 'reporter',
  'POST /report/status/upstream': 'reporter',
  'POST /report/status/forget': 'public', // clears the device's cookie; harmless for anyone
  'GET /api/v1/reporter/report': 'reporter',
  'POST /api/v1/reporter/messages': 'reporter',
  'PUT /api/v1/reporter/credit': 'reporter',
  'PUT /api/v1/reporter/upstream-consent': 'reporter',
  'GET /api/v1/reporter/attachments/:id': 'not-theirs',
  'POST /team/logout': 'public', // signing out when not signed in just leads to the sign-in page
  'GET /team/account': 'team',
  'POST /team/account/password': 'team',
  'POST /team/account/totp/start': 'team',
  'POST /team/account/totp/confirm': 'team',
  'POST /team/account/totp/disable': 'non-admin',
  'GET /team': 'team',
  'GET /team/reports/:number': 'team-report',
  'POST /team/reports/:number/messages': 'team-report',
  'GET /team/reports/:number/attachments/:attachment': 'team-report',
  'POST /team/reports/:number/transition': 'manage',
  'POST /team/reports/:number/details': 'manage',
  'POST /team/reports/:number/forward': 'manage',
  'POST /team/reports/:number/forge-comments/:message': 'manage',
  'GET /team/releases': 'team', // a coordinator sees only the invited reports on it
  'POST /team/reports/:number/release/build': 'manage',
  'POST /team/reports/:number/release/out-of-cycle': 'manage',
  'POST /team/reports/:number/release/in-cycle': 'manage',
  'POST /team/reports/:number/release/shipped': 'manage',
  'GET /team/advisories': 'manage',
  'GET /team/advisories/new': 'manage',
  'POST /team/advisories': 'manage',
  'GET /team/advisories/:ident': 'manage',
  'POST /team/advisories/:ident': 'manage',
  'POST /team/advisories/:ident/schedule': 'manage',
  'POST /team/advisories/:ident/unschedule': 'manage',
  'POST /team/advisories/:ident/publish': 'manage', // when due; only an admin ahead of schedule
  'POST /team/advisories/:ident/override': 'admin', // publishing without a fixed build
  'POST /team/advisories/:ident/withdraw': 'admin',
  'GET /team/sla': 'manage',
  'GET /team/rebuilds': 'manage',
  'POST /team/rebuilds/run': 'admin',
  'GET /team/images': 'manage',
  'GET /team/members': 'admin',
  'POST /team/members/invite': 'admin',
  'POST /team/members/invitations/revoke': 'admin',
  'POST /team/members/:id/role': 'admin',
  'POST /team/members/:id/remove': 'admin',
  'GET /team/audit': 'admin',
  'GET /team/mail': 'team', // each account sees the mail it may see (admins all)
  'POST /team/mail/retry': 'manage',
  'GET /team/webhooks': 'admin',
  'POST /team/webhooks': 'admin',
  'POST /team/webhooks/remove': 'admin',
  'POST /team/notices/:key/dismiss': 'admin',
};

type Caller = 'anonymous' | 'other reporter' | 'uninvited coordinator' | 'member' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'other reporter', 'uninvited coordinator', 'member', 'admin'];

const MAY: Record<Access, Caller[]> = {
  public: CALLERS,
  token: [],
  reporter: ['other reporter'], // on their own report; the target report's content must never show
  'not-theirs': [],
  'non-admin': ['uninvited coordinator', 'member'],
  team: ['uninvited coordinator', 'member', 'admin'],
  'team-report': ['member', 'admin'],
  manage: ['member', 'admin'],
  admin: ['admin'],
};

const SECRET_TITLE = `Target report ${randomUUID()}`;

describe('authorization: every route, every kind of caller', () => {
  let desk: TestDesk;
  let target: { id: string; number: number; token: string };
  let attachmentId: string;
  let otherReporterToken: string;
  let victim: TestMember;
  let advisoryIdent: string;
  const agents = new Map<Caller, TeamAgent>();
  let anon: { csrf: string; cookie: string };
  const members = new Map<Caller, TestMember>();

  beforeAll(async () => {
    desk = await startTestDesk({ now: new Date('2026-11-23T12:00:00Z') });
    target = await insertReport(desk.ctx.db, { title: SECRET_TITLE });
    otherReporterToken = (await insertReport(desk.ctx.db, { title: 'Other reporter report' })).token;
    attachmentId = randomUUID();
    await desk.ctx.db
      .insertInto('attachments')
      .values({ id: attachmentId, report_id: target.id, message_id: null, filename: 'poc.txt', content_type: 'text/plain', size: 5, sha256: 'x'.repeat(64), data: Buffer.from(SECRET_TITLE), created_at: new Date() })
      .execute();
    const someReport = await insertReport(desk.ctx.db, { title: 'the coordinator is invited here' });
    members.set('uninvited coordinator', await createMember(desk, { role: 'coordinator', reports: [someReport.id] }));
    members.set('member', await createMember(desk, { role: 'member' }));
    members.set('admin', await createMember(desk, { role: 'admin' }));
    victim = await createMember(desk, { role: 'member', name: 'Victim' });
    // an advisory of the target report, for the team's advisory routes (its title is the target's secret)
    const drafted = await draftAdvisory(desk.ctx, {
      actorId: victim.id,
      reportNumbers: [target.number],
      document: { title: SECRET_TITLE, summary: 'Authorization test.', details: 'Authorization test.', severity: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N' }, images: [{ name: 'docker.io/mautic/mautic', affected: { tags: [`5.2.1-apache@sha256:${'a'.repeat(64)}`] } }] },
    });
    if (!drafted.ok) throw new Error(`advisory not drafted: ${drafted.reason}`);
    advisoryIdent = drafted.ident;
    for (const [caller, m] of members) agents.set(caller, await loginAs(desk, m));
    anon = await anonymousCsrf(desk);
  });
  afterAll(() => desk?.close());

  it('every served route is classified', () => {
    const unclassified = desk.app.routeTable.map((r) => `${r.method} ${r.url}`).filter((k) => !(k in ACCESS));
    expect(unclassified).toEqual([]);
    const served = new Set(desk.app.routeTable.map((r) => `${r.method} ${r.url}`));
    expect(Object.keys(ACCESS).filter((k) => !served.has(k))).toEqual([]);
  });

  const urlOf = (pattern: string) =>
    pattern
      .replace(':ident', advisoryIdent) // before ':id', which it starts with
      .replace(':number', String(target.number))
      .replace(':attachment', attachmentId)
      .replace(':id', pattern.startsWith('/team/members') ? victim.id : attachmentId)
      .replace(':token', 'made-up-token-that-opens-nothing')
      .replace(':key', 'authz-notice');

  async function call(caller: Caller, method: string, url: string) {
    const headers: Record<string, string> = {};
    let cookie = anon.cookie;
    let csrf = anon.csrf;
    const agent = agents.get(caller);
    if (agent) ({ cookie, csrf } = agent);
    if (caller === 'other reporter') {
      cookie += `; cvdesk_reporter=${otherReporterToken}`;
      headers.authorization = `Bearer ${otherReporterToken}`;
    }
    headers.cookie = cookie;
    const json = url.startsWith('/api/');
    if (method === 'GET') return desk.app.inject({ method, url, headers });
    if (json) return desk.app.inject({ method: method as 'POST', url, headers: { ...headers, 'content-type': 'application/json', 'x-csrf-token': csrf }, payload: '{}' });
    return desk.app.inject({ method: method as 'POST', url, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf }).toString() });
  }

  for (const [key, access] of Object.entries(ACCESS)) {
    const [method, pattern] = key.split(' ') as [string, string];
    it(`${key} (${access})`, async () => {
      await addAdminNotice(desk.ctx.db, { key: 'authz-notice', level: 'info', message: 'authorization test' }, desk.ctx.clock());
      for (const caller of CALLERS) {
        const r = await call(caller, method, urlOf(pattern));
        const label = `${caller}: ${key} answered ${r.statusCode} ${String(r.headers.location ?? '')}`;
        expect(r.statusCode, label).toBeLessThan(500);
        // 404 is a denial for a resource named in the URL; for one named in an empty form it only means "no such thing".
        const denied =
          [401, 403].includes(r.statusCode) ||
          (r.statusCode === 404 && (method === 'GET' || pattern.includes(':'))) ||
          (method === 'GET' && r.statusCode >= 300 && r.statusCode < 400);
        if (access !== 'public') expect(denied, label).toBe(!MAY[access].includes(caller));
        // Whoever is let in, the target report's content shows only to those who may see that report.
        if (!['member', 'admin'].includes(caller)) expect(r.body.includes(SECRET_TITLE), `${label}: leaked the target report`).toBe(false);
        if (key === 'POST /team/logout' && agents.has(caller)) agents.set(caller, await loginAs(desk, members.get(caller)!));
      }
    });
  }
});
