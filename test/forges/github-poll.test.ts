import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAdminNotices } from '../../src/app/admin-notices.js';
import { forgeSources } from '../../src/app/forges/forge-sources.js';
import { importForgeReport } from '../../src/app/forges/import-forge-report.js';
import { advisoryItem, pollGitHubAdvisories } from '../../src/app/forges/poll-github.js';
import { verifyAuditLog } from '../../src/app/verify-audit-log.js';
import { openTestDatabaseTwice, testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { advisory, startFakeGitHub, type FakeGitHub } from '../support/forges-pvr.js';

const TOKEN = 'ghp_test_0123456789abcdefghijklmnopqrstuv';
const POLICY = resolve(import.meta.dirname, 'fixtures/forge-policy.yaml');
const T0 = new Date('2026-11-23T12:00:00Z');

describe(`GitHub private vulnerability reports on ${testEngine()}`, () => {
  let gh: FakeGitHub;
  let dbs: Awaited<ReturnType<typeof openTestDatabaseTwice>>;
  let desk: TestDesk;
  let other: TestDesk;
  const env = (over: Record<string, string> = {}) => ({ CVDESK_POLICY: POLICY, CVDESK_GITHUB_TOKEN: TOKEN, CVDESK_GITHUB_API_URL: gh.url, CVDESK_FORGE_POLL_CRON: 'off', ...over });

  beforeAll(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    dbs = await openTestDatabaseTwice();
    desk = await startTestDesk({ database: dbs.database, now: T0, env: env() });
    other = await startTestDesk({ database: dbs.other, now: T0, env: env() });
    gh.maxPerPage = 10; // pages of 10: a few advisories make several pages
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await desk?.close();
    await dbs?.close();
    await gh?.close();
  });
  afterEach(() => {
    gh.answer = null;
  });

  const reportsFromGitHub = () =>
    desk.ctx.db
      .selectFrom('reports')
      .innerJoin('forge_imports', 'forge_imports.report_id', 'reports.id')
      .select(['reports.number', 'reports.title', 'reports.channel', 'forge_imports.external_id'])
      .where('reports.channel', '=', 'github')
      .orderBy('reports.number')
      .execute();
  const source = () => desk.ctx.db.selectFrom('forge_sources').selectAll().where('source', '=', 'github:acme/widget').executeTakeFirstOrThrow();

  it('the policy names the repository: acme/widget through the configured API', () => {
    expect(forgeSources(desk.ctx.policy, desk.ctx.config.forges).github).toEqual([{ forge: 'github', key: 'github:acme/widget', owner: 'acme', repo: 'widget', apiUrl: gh.url }]);
  });

  it('imports each triage advisory as a report, along the Link pages, with the documented request', async () => {
    const triage = Array.from({ length: 25 }, () => advisory());
    const draft = advisory({ state: 'draft', summary: 'A draft the maintainers wrote' });
    const published = advisory({ state: 'published', summary: 'Long published' });
    gh.advisories.set('acme/widget', [triage[0]!, draft, ...triage.slice(1, 15), published, ...triage.slice(15)]);
    const first = triage[0]!;

    const [r] = await pollGitHubAdvisories(desk.ctx);
    expect(r).toMatchObject({ source: 'github:acme/widget', existing: 0, problems: [], error: null });
    expect(r!.imported).toHaveLength(25);

    // the requests: path, state filter, page size, headers; page 2 by the Link cursor
    const asked = gh.requests.filter((q) => q.path === '/repos/acme/widget/security-advisories');
    expect(asked).toHaveLength(3); // 25 in pages of 10 (the draft and the published one are not asked for)
    for (const q of asked) {
      expect(q.query.get('state')).toBe('triage');
      expect(q.query.get('per_page')).toBe('100');
      expect(q.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(q.headers['x-github-api-version']).toBe('2022-11-28');
      expect(q.headers.accept).toBe('application/vnd.github+json');
      expect(q.headers['user-agent']).toBeTruthy();
    }
    expect(asked[0]!.query.get('after')).toBeNull();
    expect(asked[1]!.query.get('after')).toBeTruthy();
    expect(asked[2]!.query.get('after')).not.toBe(asked[1]!.query.get('after'));

    const rows = await reportsFromGitHub();
    expect(rows).toHaveLength(25);
    expect(new Set(rows.map((x) => x.external_id))).toEqual(new Set(triage.map((a) => a.ghsa_id as string)));
    expect(rows.some((x) => x.title.includes('draft') || x.title.includes('published'))).toBe(false);

    // the report's fields from the advisory: title, description, the reporter's CVSS and login as credit
    const report = await desk.ctx.db
      .selectFrom('reports')
      .innerJoin('forge_imports', 'forge_imports.report_id', 'reports.id')
      .selectAll('reports')
      .select(['forge_imports.url', 'forge_imports.data', 'forge_imports.via', 'forge_imports.reporter_login'])
      .where('forge_imports.external_id', '=', first.ghsa_id as string)
      .executeTakeFirstOrThrow();
    expect(report).toMatchObject({
      channel: 'github',
      state: 'received',
      title: first.summary,
      description: first.description,
      reporter_cvss: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N',
      reporter_name: (first.author as { login: string }).login,
      credit_name: (first.author as { login: string }).login,
      reporter_email: null,
      url: first.html_url,
      via: 'poll',
      reporter_login: (first.author as { login: string }).login,
    });
    expect(report.data).toMatchObject({ ghsaId: first.ghsa_id, severity: 'high', cweIds: ['CWE-79'], packages: [{ ecosystem: 'npm', name: 'acme-widget', vulnerableVersions: '< 2.4.1', patchedVersions: '2.4.1' }] });
    const events = await desk.ctx.db.selectFrom('report_events').select(['kind', 'visible', 'data']).where('report_id', '=', report.id).orderBy('id').execute();
    expect(events.map((e) => e.kind)).toEqual(['received', 'forge_import']);
    expect(events[1]).toMatchObject({ visible: false, data: { forge: 'github', externalId: first.ghsa_id, via: 'poll' } });

    expect(await source()).toMatchObject({ last_poll_at: T0, last_success_at: T0, last_error: null, last_imported: 25 });
    expect((await verifyAuditLog(desk.ctx.db)).intact).toBe(true);
  });

  it('a second poll imports nothing again', async () => {
    const before = (await reportsFromGitHub()).length;
    const [r] = await pollGitHubAdvisories(desk.ctx);
    expect(r).toMatchObject({ imported: [], existing: 25, error: null });
    expect(await reportsFromGitHub()).toHaveLength(before);
  });

  it('two desk processes polling at once import each new advisory once', async () => {
    const fresh = Array.from({ length: 12 }, () => advisory());
    gh.advisories.set('acme/widget', [...gh.advisories.get('acme/widget')!, ...fresh]);
    const before = (await reportsFromGitHub()).length;
    const [a, b] = await Promise.all([pollGitHubAdvisories(desk.ctx), pollGitHubAdvisories(other.ctx)]);
    expect(a![0]!.error).toBeNull();
    expect(b![0]!.error).toBeNull();
    expect([...a![0]!.problems, ...b![0]!.problems]).toEqual([]);
    // every fresh one was imported by exactly one of them; the other found it there
    expect(a![0]!.imported.length + b![0]!.imported.length).toBe(12);
    expect(a![0]!.existing + b![0]!.existing).toBe(25 + 25 + 12);
    const rows = await reportsFromGitHub();
    expect(rows).toHaveLength(before + 12);
    expect(new Set(rows.map((r) => r.external_id)).size).toBe(rows.length);
  });

  it('the same advisory imported by two at the same moment: one report, the loser rolls its own back', async () => {
    const [src] = forgeSources(desk.ctx.policy, desk.ctx.config.forges).github;
    const item = advisoryItem(src!, {
      ghsaId: (advisory().ghsa_id as string),
      cveId: null,
      htmlUrl: 'https://github.com/acme/widget/security/advisories/race',
      summary: 'Race: imported by two processes at once',
      description: 'Only one report may come of this.',
      severity: null,
      authorLogin: 'racer',
      createdAt: null,
      cvssVector: null,
      cweIds: [],
      packages: [],
    });
    const countReports = async () => Number((await desk.ctx.db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await countReports();
    const outcomes = await Promise.all([importForgeReport(desk.ctx, item, 'poll'), importForgeReport(other.ctx, item, 'poll'), importForgeReport(desk.ctx, item, 'poll')]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['exists', 'exists', 'imported']);
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(1);
    expect(await countReports()).toBe(before + 1);
    const titled = await desk.ctx.db.selectFrom('reports').select('id').where('title', '=', 'Race: imported by two processes at once').execute();
    expect(titled).toHaveLength(1);
    expect((await verifyAuditLog(desk.ctx.db)).intact).toBe(true);
  });

  it('text that a report may not hold is cleaned, an over-long description is cut with a pointer to GitHub, a bad CVSS vector is left out', async () => {
    const odd = advisory({
      summary: 'Bell\u0007 in the\ntitle',
      description: `${'A'.repeat(60_000)}\u0000`,
      cvss: { vector_string: 'CVSS:3.1/AV:X', score: null },
      cvss_severities: null,
      author: null,
    });
    gh.advisories.set('acme/widget', [odd]);
    const [r] = await pollGitHubAdvisories(desk.ctx);
    expect(r!.problems).toEqual([]);
    expect(r!.imported).toHaveLength(1);
    const row = await desk.ctx.db.selectFrom('reports').selectAll().where('number', '=', r!.imported[0]!).executeTakeFirstOrThrow();
    expect(row.title).toBe('Bell in the title');
    expect(row.description.length).toBe(50_000);
    expect(row.description).toContain(`[cut here: the whole text is on GitHub ${odd.html_url as string}]`);
    expect(row.description).not.toContain('\u0000');
    expect(row.reporter_cvss).toBeNull();
    expect(row.credit_name).toBeNull();
  });

  it('a wrong token: GitHub says 401, the error is recorded and shown to the admins, without the token', async () => {
    const wrong = await startTestDesk({ database: dbs.database, now: T0, env: env({ CVDESK_GITHUB_TOKEN: 'ghp_wrong_token_zzzzzzzzzzzzzzzzzzzzzzzz' }) });
    try {
      gh.advisories.set('acme/widget', [advisory()]);
      const before = (await reportsFromGitHub()).length;
      const [r] = await pollGitHubAdvisories(wrong.ctx);
      expect(r!.error).toMatch(/GitHub refused the token with 401 \(Bad credentials\): CVDESK_GITHUB_TOKEN is wrong, expired or revoked/);
      expect(await reportsFromGitHub()).toHaveLength(before);
      const s = await source();
      expect(s.last_error).toBe(r!.error);
      expect(s.last_success_at).toEqual(T0); // the last good poll stays known
      const notice = (await listAdminNotices(desk.ctx.db)).find((n) => n.key === 'forge:github:acme/widget');
      expect(notice).toMatchObject({ level: 'bad' });
      expect(notice!.message).toContain('401');
      for (const text of [r!.error!, notice!.message, s.last_error!, ...wrong.logs]) expect(text).not.toContain('ghp_wrong_token');
    } finally {
      await wrong.close();
    }
  });

  it('no token configured: says which variable is missing, imports nothing', async () => {
    const none = await startTestDesk({ database: dbs.database, now: T0, env: { CVDESK_POLICY: POLICY, CVDESK_GITHUB_API_URL: gh.url } });
    try {
      const asked = gh.requests.length;
      const [r] = await pollGitHubAdvisories(none.ctx);
      expect(r!.error).toMatch(/^CVDESK_GITHUB_TOKEN is not set/);
      expect(gh.requests.length).toBe(asked);
    } finally {
      await none.close();
    }
  });

  describe('a malformed answer is a clear recorded error, and nothing of that poll is half-imported', () => {
    const cases: Array<[string, (path: string, after: string | null) => { status: number; headers?: Record<string, string>; body: string } | null, RegExp]> = [
      ['an HTML page instead of JSON', () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Unicorn!</body></html>' }), /the answer is not JSON \(text\/html/],
      ['a JSON object instead of a list', () => ({ status: 200, body: '{"message":"ok"}' }), /the answer is not a list of advisories/],
      ['broken bytes', () => ({ status: 200, body: '\u00ff' }), /not JSON|not UTF-8/],
      ['a 502 from a proxy', () => ({ status: 502, headers: { 'content-type': 'text/html' }, body: 'Bad gateway' }), /GitHub answered 502 for the advisories of acme\/widget/],
      ['a good first page, then garbage', (_p, after) => (after ? { status: 200, body: '[{"ghsa_id": 12' } : null), /page 2\): the answer is not JSON/],
      ['a next page on another origin', (_p, after) => (after ? null : { status: 200, headers: { link: '<https://elsewhere.example/steal?after=x>; rel="next"' }, body: JSON.stringify([advisory()]) }), /another origin \(https:\/\/elsewhere.example\); not following/],
      ['a next page that loops', (p, after) => (after ? null : { status: 200, headers: { link: `<${gh.url}${p}?state=triage&per_page=100>; rel="next"` }, body: JSON.stringify([advisory()]) }), /links back to a page already read/],
    ];
    for (const [name, answer, message] of cases) {
      it(name, async () => {
        // two pages' worth, so a failing second page would leave the first half-imported if imports began early
        gh.advisories.set('acme/widget', Array.from({ length: 11 }, () => advisory()));
        gh.answer = (q) => answer(q.path, q.query.get('after'));
        const before = (await reportsFromGitHub()).length;
        const [r] = await pollGitHubAdvisories(desk.ctx);
        expect(r!.error).toMatch(message);
        expect(r!.imported).toEqual([]);
        expect(await reportsFromGitHub()).toHaveLength(before);
        expect((await source()).last_error).toMatch(message);
      });
    }

    it('one item that is not an advisory is named and left out; the others are imported', async () => {
      const good = [advisory(), advisory()];
      gh.advisories.set('acme/widget', [good[0]!, { ghsa_id: 'GHSA-not-a-real-id', summary: 5, state: 'triage' }, good[1]!]);
      const [r] = await pollGitHubAdvisories(desk.ctx);
      expect(r!.error).toBeNull();
      expect(r!.imported).toHaveLength(2);
      expect(r!.problems).toEqual([expect.stringMatching(/GHSA-not-a-real-id is not an advisory as documented \(ghsa_id: is not a GHSA id\); left out/)]);
      expect((await source()).last_error).toMatch(/GHSA-not-a-real-id/);
      const notice = (await listAdminNotices(desk.ctx.db)).find((n) => n.key === 'forge:github:acme/widget');
      expect(notice!.message).toMatch(/GHSA-not-a-real-id/);
    });
  });
});
