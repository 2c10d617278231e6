import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { forgeSources } from '../../src/app/forges/forge-sources.js';
import { importForgeReport } from '../../src/app/forges/import-forge-report.js';
import { MIRROR_RETRY, requestMirror } from '../../src/app/forges/mirror-comment.js';
import { advisoryItem } from '../../src/app/forges/poll-github.js';
import { verifyAuditLog } from '../../src/app/verify-audit-log.js';
import { forgeQueues } from '../../src/jobs/forge-tasks.js';
import { workQueueOnce } from '../../src/jobs/worker.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { advisory, gitlabIssue, issueHookPayload, startFakeGitLab, type FakeGitLab, type FakeProject } from '../support/forges-pvr.js';
import { createMember, loginAs, type TeamAgent } from '../support/team.js';

const TOKEN = 'glpat-mirror-0123456789abcdef';
const SECRET = 'hook-secret-mirror-0123456789';
const POLICY = resolve(import.meta.dirname, 'fixtures/forge-policy.yaml');
const WEB = 'https://gitlab.acme.example';
const T0 = new Date('2026-11-23T12:00:00Z');

describe(`team messages mirrored to GitLab on ${testEngine()}`, () => {
  let gl: FakeGitLab;
  let project: FakeProject;
  let desk: TestDesk;
  let member: TeamAgent;
  let issue: Record<string, unknown>;
  let report: { id: string; number: number };

  beforeAll(async () => {
    gl = await startFakeGitLab({ token: TOKEN });
    project = gl.addProject('acme/security/widget');
    desk = await startTestDesk({
      now: T0,
      env: { CVDESK_POLICY: POLICY, CVDESK_GITLAB_TOKEN: TOKEN, CVDESK_GITLAB_API_URL: gl.apiUrl, CVDESK_GITLAB_WEBHOOK_SECRET: SECRET, CVDESK_FORGE_POLL_CRON: 'off' },
    });
    member = await loginAs(desk, await createMember(desk, { role: 'member', name: 'Mira Member' }));
    issue = gitlabIssue(project, WEB, { title: 'Path traversal in the report export' });
    project.issues.push(issue);
    const r = await desk.app.inject({ method: 'POST', url: '/hooks/gitlab', headers: { 'content-type': 'application/json', 'x-gitlab-token': SECRET }, payload: JSON.stringify(issueHookPayload(project, WEB, issue)) });
    expect(r.json()).toEqual({ outcome: 'imported' });
    report = await desk.ctx.db.selectFrom('reports').select(['id', 'number']).where('title', '=', 'Path traversal in the report export').executeTakeFirstOrThrow();
  }, 60_000);
  afterAll(async () => {
    await desk?.close();
    await gl?.close();
  });
  afterEach(() => {
    gl.answer = null;
    issue.confidential = true;
  });

  const page = async () => {
    const r = await member.get(`/team/reports/${report.number}`);
    expect(r.statusCode).toBe(200);
    return r.body;
  };
  const work = (now = desk.ctx.clock()) => workQueueOnce(desk.ctx, forgeQueues(desk.ctx)[0]!, { now });
  const comments = () => desk.ctx.db.selectFrom('forge_comments').selectAll().where('report_id', '=', report.id).orderBy('requested_at').execute();
  const send = (body: string, fields: Record<string, string> = {}) => member.post(`/team/reports/${report.number}/messages`, { body, kind: 'message', ...fields });
  const messageIdOf = async (body: string) => (await desk.ctx.db.selectFrom('messages').select('id').where('body', '=', body).executeTakeFirstOrThrow()).id;

  it('the report page names the issue, and the message form offers to post to GitLab (on by default)', async () => {
    const html = await page();
    expect(html).toContain(`GitLab confidential issue #${issue.iid as number} of acme/security/widget`);
    expect(html).toContain(`href="${issue.web_url as string}"`);
    expect(html).toMatch(/<input type="checkbox" name="mirror" value="gitlab" checked(="")?\s*\/?>\s*Also post a message to the reporter as a comment on GitLab issue #\d+/);
  });

  it('a message with the box ticked is posted as a comment on the issue, after checking the issue is still confidential', async () => {
    const r = await send('Thanks — we can reproduce it and are working on a fix.', { mirror: 'gitlab' });
    expect(r.statusCode).toBe(303);
    const id = await messageIdOf('Thanks — we can reproduce it and are working on a fix.');
    expect((await comments()).find((c) => c.message_id === id)).toMatchObject({ state: 'pending', forge: 'gitlab', requested_by: member.member.id });
    expect(await page()).toContain('Posting to GitLab…');

    const asked = gl.requests.length;
    expect(await work()).toEqual([expect.objectContaining({ outcome: 'done' })]);
    const calls = gl.requests.slice(asked);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET /api/v4/projects/acme%2Fsecurity%2Fwidget/issues/${issue.iid as number}`,
      `POST /api/v4/projects/acme%2Fsecurity%2Fwidget/issues/${issue.iid as number}/notes`,
    ]);
    for (const c of calls) expect(c.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(calls[1]!.body)).toEqual({ body: 'Thanks — we can reproduce it and are working on a fix.\n\n— Mira Member, via cvdesk' });
    const note = project.notes.at(-1)!;
    expect(note).toMatchObject({ iid: issue.iid, internal: false });

    const c = (await comments()).find((x) => x.message_id === id)!;
    expect(c).toMatchObject({ state: 'posted', external_id: String(note.id), url: `${issue.web_url as string}#note_${note.id}`, error: null, attempts: 1 });
    const html = await page();
    expect(html).toContain('Posted to GitLab');
    expect(html).toContain(`href="${issue.web_url as string}#note_${note.id}"`);
    expect(html).toContain('Message posted to GitLab as a comment');
    const audit = await desk.ctx.db.selectFrom('audit_log').select(['action', 'detail']).where('report_id', '=', report.id).where('action', 'like', 'forge.%').orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['forge.import', 'forge.comment.request', 'forge.comment.posted']);
    // worked again: nothing more is posted
    expect(await work()).toEqual([]);
    expect(project.notes.filter((n) => n.body.startsWith('Thanks —'))).toHaveLength(1);
  });

  it('a private note is never posted, box or not', async () => {
    const r = await member.post(`/team/reports/${report.number}/messages`, { body: 'Internal: the export code is ours, not upstream.', kind: 'note', mirror: 'gitlab' });
    expect(r.statusCode).toBe(303);
    const id = await messageIdOf('Internal: the export code is ours, not upstream.');
    expect((await comments()).some((c) => c.message_id === id)).toBe(false);
    expect(await requestMirror(desk.ctx, { reportId: report.id, messageId: id, actorId: member.member.id })).toEqual({ ok: false, reason: 'only the team’s messages to the reporter are posted, never private notes' });
    const denied = await member.post(`/team/reports/${report.number}/forge-comments/${id}`);
    expect(denied.statusCode).toBe(409);
    expect(project.notes.some((n) => n.body.includes('Internal:'))).toBe(false);
  });

  it('a message sent without the box can be posted later with its button; once posted, not again', async () => {
    await send('Could you tell us which version you tested?');
    const id = await messageIdOf('Could you tell us which version you tested?');
    expect((await comments()).some((c) => c.message_id === id)).toBe(false);
    const html = await page();
    expect(html).toContain(`action="/team/reports/${report.number}/forge-comments/${id}"`);
    expect(html).toContain('Post to GitLab');

    expect((await member.post(`/team/reports/${report.number}/forge-comments/${id}`)).statusCode).toBe(303);
    expect(await work()).toEqual([expect.objectContaining({ outcome: 'done' })]);
    expect((await comments()).find((c) => c.message_id === id)!.state).toBe('posted');
    const again = await member.post(`/team/reports/${report.number}/forge-comments/${id}`);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('already posted or on its way');
  });

  it('an issue made public in the meantime: not posted, the reason shown, and it can be tried again', async () => {
    await send('We plan the fix for the next window.', { mirror: 'gitlab' });
    const id = await messageIdOf('We plan the fix for the next window.');
    issue.confidential = false;
    const posts = project.notes.length;
    expect(await work()).toEqual([expect.objectContaining({ outcome: 'done' })]); // the job is done: the failure is the comment's
    expect(project.notes.length).toBe(posts);
    const c = (await comments()).find((x) => x.message_id === id)!;
    expect(c.state).toBe('failed');
    expect(c.error).toBe(`issue #${issue.iid as number} is no longer confidential; the message was not posted, so that it does not become public`);
    const html = await page();
    expect(html).toContain('Not posted to GitLab: issue #');
    expect(html).toContain('Try again');

    issue.confidential = true;
    expect((await member.post(`/team/reports/${report.number}/forge-comments/${id}`)).statusCode).toBe(303);
    await work();
    expect((await comments()).find((x) => x.message_id === id)).toMatchObject({ state: 'posted', error: null });
  });

  it('GitLab down: retried with backoff, the reason shown meanwhile; after the last attempt it is failed', async () => {
    await send('A message while GitLab is down.', { mirror: 'gitlab' });
    const id = await messageIdOf('A message while GitLab is down.');
    gl.answer = (q) => (q.method === 'POST' ? { status: 503, body: '{"message":"503 Service Unavailable"}' } : null);
    let now = desk.ctx.clock().getTime();
    for (let attempt = 1; attempt <= MIRROR_RETRY.maxAttempts; attempt++) {
      const [o] = await work(new Date(now));
      expect(o!.outcome, `attempt ${attempt}`).toBe(attempt < MIRROR_RETRY.maxAttempts ? 'retry' : 'done');
      const c = (await comments()).find((x) => x.message_id === id)!;
      if (attempt < MIRROR_RETRY.maxAttempts) {
        expect(c.state).toBe('pending');
        expect(c.error).toMatch(/answered 503 \(503 Service Unavailable\) for a comment on issue #\d+ of acme\/security\/widget \(trying again\)$/);
      } else {
        expect(c).toMatchObject({ state: 'failed', attempts: MIRROR_RETRY.maxAttempts });
        expect(c.error).toMatch(/answered 503/);
      }
      now += MIRROR_RETRY.maxDelayMs + 1000;
    }
    expect(await page()).toContain('Not posted to GitLab: GitLab 127.0.0.1');
  });

  it('a token GitLab refuses: failed at once, the reason without the token', async () => {
    const wrong = await startTestDesk({
      database: desk.ctx.database,
      now: T0,
      env: { CVDESK_POLICY: POLICY, CVDESK_GITLAB_TOKEN: 'glpat-refused-zzzzzzzz', CVDESK_GITLAB_API_URL: gl.apiUrl, CVDESK_FORGE_POLL_CRON: 'off' },
    });
    try {
      await send('Sent while the token is revoked.', { mirror: 'gitlab' });
      const id = await messageIdOf('Sent while the token is revoked.');
      const [o] = await workQueueOnce(wrong.ctx, forgeQueues(wrong.ctx)[0]!);
      expect(o!.outcome).toBe('done');
      const c = (await comments()).find((x) => x.message_id === id)!;
      expect(c.state).toBe('failed');
      expect(c.error).toMatch(/refused the token with 401 .*CVDESK_GITLAB_TOKEN is wrong, expired or revoked/);
      expect(c.error).not.toContain('glpat-refused');
      for (const line of wrong.logs) expect(line).not.toContain('glpat-refused');
    } finally {
      await wrong.close();
    }
  });

  it('a report from GitHub: no box, a pointer to the advisory, and no mirroring', async () => {
    const [src] = forgeSources(desk.ctx.policy, desk.ctx.config.forges).github;
    const a = advisory({ summary: 'Open redirect after sign-in' });
    const item = advisoryItem(src!, {
      ghsaId: a.ghsa_id as string,
      cveId: null,
      htmlUrl: a.html_url as string,
      summary: 'Open redirect after sign-in',
      description: 'next= is not checked.',
      severity: 'medium',
      authorLogin: 'octo-researcher',
      createdAt: null,
      cvssVector: null,
      cweIds: ['CWE-601'],
      packages: [],
    });
    const imported = await importForgeReport(desk.ctx, item, 'poll');
    expect(imported.outcome).toBe('imported');
    const { number } = imported as { number: number };
    const html = (await member.get(`/team/reports/${number}`)).body;
    expect(html).toContain('GitHub private vulnerability report');
    expect(html).toContain(`href="${a.html_url as string}"`);
    expect(html).toContain('GitHub has no API for comments on security advisories');
    expect(html).toContain('CWE-601');
    expect(html).not.toContain('name="mirror"');
    await member.post(`/team/reports/${number}/messages`, { body: 'Seen, thanks.', kind: 'message', mirror: 'gitlab' });
    const flash = (await member.get(`/team/reports/${number}`)).body;
    expect(flash).not.toContain('Post to GitLab');
    const id = await messageIdOf('Seen, thanks.');
    const r = await member.post(`/team/reports/${number}/forge-comments/${id}`);
    expect(r.statusCode).toBe(409);
    expect(r.body).toContain('GitHub has no API for comments on security advisories');
    expect((await verifyAuditLog(desk.ctx.db)).intact).toBe(true);
  });
});
