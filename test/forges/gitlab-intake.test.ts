import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAdminNotices } from '../../src/app/admin-notices.js';
import { backfillGitLabIssues } from '../../src/app/forges/backfill-gitlab.js';
import { forgeSources, gitlabProjectPath } from '../../src/app/forges/forge-sources.js';
import { verifyAuditLog } from '../../src/app/verify-audit-log.js';
import { openTestDatabaseTwice, testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { gitlabIssue, issueHookPayload, startFakeGitLab, type FakeGitLab, type FakeProject } from '../support/forges-pvr.js';

const TOKEN = 'glpat-test-0123456789abcdef';
const SECRET = 'hook-secret-6d1f0c2a9b8e7d6c';
const POLICY = resolve(import.meta.dirname, 'fixtures/forge-policy.yaml');
const WEB = 'https://gitlab.acme.example';
const T0 = new Date('2026-11-23T12:00:00Z');

describe(`GitLab confidential issues (webhook and back-fill) on ${testEngine()}`, () => {
  let gl: FakeGitLab;
  let project: FakeProject;
  let stranger: FakeProject;
  let dbs: Awaited<ReturnType<typeof openTestDatabaseTwice>>;
  let desk: TestDesk;
  let other: TestDesk;
  const env = (over: Record<string, string> = {}) => ({
    CVDESK_POLICY: POLICY,
    CVDESK_GITLAB_TOKEN: TOKEN,
    CVDESK_GITLAB_API_URL: gl.apiUrl,
    CVDESK_GITLAB_WEBHOOK_SECRET: SECRET,
    CVDESK_FORGE_POLL_CRON: 'off',
    ...over,
  });

  beforeAll(async () => {
    gl = await startFakeGitLab({ token: TOKEN });
    project = gl.addProject('acme/security/widget');
    stranger = gl.addProject('someone/else');
    gl.maxPerPage = 10; // pages of 10: a few issues make several pages
    dbs = await openTestDatabaseTwice();
    desk = await startTestDesk({ database: dbs.database, now: T0, env: env() });
    other = await startTestDesk({ database: dbs.other, now: T0, env: env() });
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await desk?.close();
    await dbs?.close();
    await gl?.close();
  });
  afterEach(() => {
    gl.answer = null;
  });

  const hook = (body: unknown, headers: Record<string, string> = { 'x-gitlab-token': SECRET }, d: TestDesk = desk) =>
    d.app.inject({ method: 'POST', url: '/hooks/gitlab', headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Confidential Issue Hook', ...headers }, payload: JSON.stringify(body) });
  const gitlabReports = () =>
    desk.ctx.db
      .selectFrom('reports')
      .innerJoin('forge_imports', 'forge_imports.report_id', 'reports.id')
      .select(['reports.id', 'reports.number', 'reports.title', 'reports.description', 'reports.channel', 'reports.credit_name', 'forge_imports.external_id', 'forge_imports.via', 'forge_imports.issue_iid', 'forge_imports.project_id', 'forge_imports.url'])
      .where('reports.channel', '=', 'gitlab')
      .orderBy('reports.number')
      .execute();
  /** The open confidential issues of the project that are not in the desk yet: what a back-fill must bring. */
  const missing = async () => {
    const known = new Set((await gitlabReports()).map((x) => x.external_id));
    return project.issues.filter((i) => i.confidential === true && i.state === 'opened' && !known.has(`gitlab.acme.example:${i.id as number}`)).length;
  };
  const newIssue = (over: Record<string, unknown> = {}, p: FakeProject = project) => {
    const issue = gitlabIssue(p, WEB, over);
    p.issues.push(issue);
    return issue;
  };

  it('the project comes from the policy’s new-issue URL', () => {
    expect(gitlabProjectPath('/bmi/ozg-rahmenarchitektur/ozgsec/ozgsec-best-practice-scanner/-/issues/new')).toBe('bmi/ozg-rahmenarchitektur/ozgsec/ozgsec-best-practice-scanner');
    expect(gitlabProjectPath('/group/project/issues/new')).toBe('group/project');
    expect(gitlabProjectPath('/lonely/-/issues/new')).toBeNull();
    expect(forgeSources(desk.ctx.policy, desk.ctx.config.forges).gitlab).toEqual([
      { forge: 'gitlab', key: 'gitlab:gitlab.acme.example/acme/security/widget', host: 'gitlab.acme.example', path: 'acme/security/widget', apiUrl: gl.apiUrl },
    ]);
  });

  describe('webhook', () => {
    it('a wrong, missing or empty token is 401 and stores nothing', async () => {
      const issue = newIssue();
      const before = (await gitlabReports()).length;
      for (const headers of [{ 'x-gitlab-token': 'hook-secret-6d1f0c2a9b8e7d6X' }, {}, { 'x-gitlab-token': '' }, { 'x-gitlab-token': `${SECRET} ` }] as Array<Record<string, string>>) {
        const r = await hook(issueHookPayload(project, WEB, issue), headers);
        expect(r.statusCode).toBe(401);
        expect(r.json()).toMatchObject({ error: { code: 'unauthenticated' } });
      }
      expect(await gitlabReports()).toHaveLength(before);
      for (const line of desk.logs) expect(line).not.toContain(SECRET);
      project.issues.pop();
    });

    it('a desk without a webhook secret takes no webhook at all', async () => {
      const bare = await startTestDesk({ database: dbs.database, now: T0, env: { CVDESK_POLICY: POLICY } });
      try {
        const r = await hook(issueHookPayload(project, WEB, gitlabIssue(project, WEB)), { 'x-gitlab-token': '' }, bare);
        expect(r.statusCode).toBe(401);
        expect(bare.logs.join('\n')).toContain('CVDESK_GITLAB_WEBHOOK_SECRET is not set');
      } finally {
        await bare.close();
      }
    });

    it('an open confidential issue of the policy’s project becomes a report, once', async () => {
      const issue = newIssue({ title: 'SSRF through the scan target', description: 'Point the scanner at http://169.254.169.254/.' });
      const r = await hook(issueHookPayload(project, WEB, issue));
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ outcome: 'imported' });
      const again = await hook(issueHookPayload(project, WEB, issue, 'update'));
      expect(again.json()).toEqual({ outcome: 'exists' });
      const rows = (await gitlabReports()).filter((x) => x.title === 'SSRF through the scan target');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        channel: 'gitlab',
        description: 'Point the scanner at http://169.254.169.254/.',
        credit_name: (issue.author as { username: string }).username,
        external_id: `gitlab.acme.example:${issue.id as number}`,
        via: 'webhook',
        issue_iid: issue.iid,
        project_id: String(project.id),
        url: issue.web_url,
      });
    });

    it('public issues, other projects, closed issues and other events are ignored with 200', async () => {
      const before = (await gitlabReports()).length;
      const cases: Array<[unknown, string]> = [
        [issueHookPayload(project, WEB, newIssue({ confidential: false })), 'the issue is not confidential'],
        [issueHookPayload(stranger, WEB, newIssue({}, stranger)), 'the project is not a channel of this policy'],
        [issueHookPayload(project, 'https://gitlab.elsewhere.example', newIssue()), 'the project is not a channel of this policy'],
        [issueHookPayload(project, WEB, newIssue({ state: 'closed' })), 'the issue is closed'],
        [{ object_kind: 'note', object_attributes: { note: 'hello' } }, 'not an issue event (note)'],
        [{ object_kind: 'push', ref: 'refs/heads/main' }, 'not an issue event (push)'],
      ];
      for (const [body, reason] of cases) {
        const r = await hook(body);
        expect(r.statusCode, reason).toBe(200);
        expect(r.json()).toEqual({ outcome: 'ignored', reason });
      }
      expect(await gitlabReports()).toHaveLength(before);
    });

    it('an issue event that is not as GitLab documents it is a 400, nothing stored', async () => {
      const before = (await gitlabReports()).length;
      const broken = issueHookPayload(project, WEB, newIssue());
      (broken.object_attributes as Record<string, unknown>).iid = 'seven';
      const r = await hook(broken);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.message).toMatch(/object_attributes\.iid/);
      const notJson = await desk.app.inject({ method: 'POST', url: '/hooks/gitlab', headers: { 'x-gitlab-token': SECRET, 'content-type': 'text/plain' }, payload: 'hello' });
      expect(notJson.statusCode).toBe(400);
      const badJson = await desk.app.inject({ method: 'POST', url: '/hooks/gitlab', headers: { 'x-gitlab-token': SECRET, 'content-type': 'application/json' }, payload: '{"object_kind": "issue",' });
      expect(badJson.statusCode).toBe(400);
      expect(await gitlabReports()).toHaveLength(before);
    });

    it('the same event delivered to two desk processes at once: one report', async () => {
      const issue = newIssue({ title: 'Delivered twice at once' });
      const [a, b] = await Promise.all([hook(issueHookPayload(project, WEB, issue)), hook(issueHookPayload(project, WEB, issue), undefined, other)]);
      expect([a.json().outcome, b.json().outcome].sort()).toEqual(['exists', 'imported']);
      expect((await gitlabReports()).filter((x) => x.title === 'Delivered twice at once')).toHaveLength(1);
    });
  });

  describe('back-fill', () => {
    it('imports the open confidential issues the webhook missed, along the pages, and none twice', async () => {
      for (let i = 0; i < 24; i++) newIssue({ title: `Missed while the desk was down ${i}` });
      const viaHook = (await gitlabReports()).length;
      // the 104, and those of the webhook tests that were refused (bad token, malformed event, another host's URL)
      const expected = await missing();
      expect(expected).toBeGreaterThanOrEqual(24);
      const [r] = await backfillGitLabIssues(desk.ctx);
      expect(r).toMatchObject({ source: 'gitlab:gitlab.acme.example/acme/security/widget', error: null, problems: [] });
      expect(r!.imported).toHaveLength(expected);
      const rows = await gitlabReports();
      expect(rows).toHaveLength(viaHook + expected);
      expect(new Set(rows.map((x) => x.external_id)).size).toBe(rows.length);
      // what the webhook ignored stays out: public, closed, other projects
      expect(rows.some((x) => /not confidential/.test(x.title))).toBe(false);

      const asked = gl.requests.filter((q) => q.path === '/api/v4/projects/acme%2Fsecurity%2Fwidget/issues');
      expect(asked.length).toBeGreaterThanOrEqual(3);
      for (const q of asked) {
        expect(q.query.get('confidential')).toBe('true');
        expect(q.query.get('state')).toBe('opened');
        expect(q.query.get('per_page')).toBe('100');
        expect(q.headers.authorization).toBe(`Bearer ${TOKEN}`);
      }
      expect(asked.map((q) => q.query.get('page'))).toEqual([null, ...Array.from({ length: asked.length - 1 }, (_, i) => String(i + 2))]);

      const [again] = await backfillGitLabIssues(desk.ctx);
      expect(again!.imported).toEqual([]);
      expect(await gitlabReports()).toHaveLength(viaHook + expected);
      expect((await verifyAuditLog(desk.ctx.db)).intact).toBe(true);
    });

    it('two back-fills at once (two desk processes): each issue once', async () => {
      for (let i = 0; i < 10; i++) newIssue({ title: `Raced back-fill ${i}` });
      const [[a], [b]] = await Promise.all([backfillGitLabIssues(desk.ctx), backfillGitLabIssues(other.ctx)]);
      expect(a!.imported.length + b!.imported.length).toBe(10);
      expect((await gitlabReports()).filter((x) => x.title.startsWith('Raced back-fill'))).toHaveLength(10);
    });

    it('only the Link header (keyset pages): followed too', async () => {
      for (let i = 0; i < 3; i++) newIssue({ title: `Keyset ${i}` });
      // the first answer carries the whole list and a Link to a second, empty page; no X-Next-Page
      gl.answer = (q) => {
        if (!q.path.endsWith('/issues')) return null;
        if (q.query.get('cursor')) return { status: 200, body: '[]' };
        const open = project.issues.filter((i) => i.confidential && i.state === 'opened');
        return { status: 200, headers: { link: `<${gl.apiUrl}/projects/${project.id}/issues?cursor=abc&per_page=100>; rel="next"` }, body: JSON.stringify(open) };
      };
      const [r] = await backfillGitLabIssues(desk.ctx);
      expect(r!.error).toBeNull();
      expect(r!.imported).toHaveLength(3);
      expect(gl.requests.at(-1)!.query.get('cursor')).toBe('abc');
    });

    it('a wrong token: 401, recorded on the source and for the admins, without the token', async () => {
      const wrong = await startTestDesk({ database: dbs.database, now: T0, env: env({ CVDESK_GITLAB_TOKEN: 'glpat-wrong-zzzzzzzzzzzz' }) });
      try {
        newIssue({ title: 'Not seen with a wrong token' });
        const [r] = await backfillGitLabIssues(wrong.ctx);
        expect(r!.error).toBe('GitLab 127.0.0.1:' + new URL(gl.url).port + ' refused the token with 401 (401 Unauthorized): CVDESK_GITLAB_TOKEN is wrong, expired or revoked');
        expect((await gitlabReports()).some((x) => x.title === 'Not seen with a wrong token')).toBe(false);
        const s = await desk.ctx.db.selectFrom('forge_sources').selectAll().where('source', '=', r!.source).executeTakeFirstOrThrow();
        expect(s.last_error).toBe(r!.error);
        const notice = (await listAdminNotices(desk.ctx.db)).find((n) => n.key === `forge:${r!.source}`);
        expect(notice).toMatchObject({ level: 'bad', message: r!.error });
        for (const text of [...wrong.logs, notice!.message]) expect(text).not.toContain('glpat-wrong');
      } finally {
        await wrong.close();
      }
    });

    const malformed: Array<[string, (q: { path: string; query: URLSearchParams }) => { status: number; headers?: Record<string, string>; body: string } | null, RegExp]> = [
      ['not JSON', () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<h1>Sign in</h1>' }), /the answer is not JSON/],
      ['an object, not a list', () => ({ status: 200, body: '{"message":"hi"}' }), /the answer is not a list of issues/],
      ['a 500', () => ({ status: 500, body: '{"message":"500 Internal Server Error"}' }), /answered 500 \(500 Internal Server Error\)/],
      ['page 2 broken', (q) => (q.query.get('page') === '2' ? { status: 200, body: '[{"id":' } : null), /\(page 2\): the answer is not JSON/],
      ['a next page on another host', (q) => (q.query.get('page') ? null : { status: 200, headers: { link: '<https://evil.example/api/v4/projects/1/issues?page=2>; rel="next"' }, body: JSON.stringify(project.issues.slice(-3)) }), /another origin \(https:\/\/evil.example\); not following/],
    ];
    for (const [name, answer, message] of malformed) {
      it(`a malformed answer (${name}) is a recorded error, nothing half-imported`, async () => {
        for (let i = 0; i < 11; i++) newIssue({ title: `Batch ${name} ${i}` });
        gl.answer = answer;
        const before = (await gitlabReports()).length;
        const [r] = await backfillGitLabIssues(desk.ctx);
        expect(r!.error).toMatch(message);
        expect(r!.imported).toEqual([]);
        expect(await gitlabReports()).toHaveLength(before);
        // the next good back-fill brings them in
        gl.answer = null;
        const expected = await missing();
        expect(expected).toBeGreaterThanOrEqual(11);
        const [good] = await backfillGitLabIssues(desk.ctx);
        expect(good!.imported).toHaveLength(expected);
        expect(await missing()).toBe(0);
      });
    }

    it('an item that is not an issue is named and left out; the rest are imported', async () => {
      newIssue({ title: 'Fine one' });
      project.issues.push({ iid: 9999, title: 'no id', confidential: true, state: 'opened' });
      const [r] = await backfillGitLabIssues(desk.ctx);
      project.issues.pop();
      expect(r!.error).toBeNull();
      expect(r!.imported).toHaveLength(1);
      expect(r!.problems).toEqual([expect.stringMatching(/issue #9999 is not an issue as documented \(id: .*\); left out/)]);
    });
  });
});
