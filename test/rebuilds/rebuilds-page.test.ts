import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftResult } from '../../src/app/images/check-drift.js';
import { runRebuild } from '../../src/app/rebuilds/run-rebuild.js';
import { verifyAuditLog } from '../../src/app/verify-audit-log.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { startFakeGitHub, type FakeServer } from '../support/forges.js';
import { freePort } from '../support/registry.js';
import { createMember, loginAs, type TeamAgent } from '../support/team.js';
import { writeRebuildPolicy } from './rebuild-policy.js';

const TOKEN = 'ghp_PageToken0123456789abcdefABCDEF';
const RECORDED = `sha256:${'1'.repeat(64)}`;
const CURRENT = `sha256:${'2'.repeat(64)}`;
const APP_DIGEST = `sha256:${'a'.repeat(64)}`;
const REBUILT = `sha256:${'e'.repeat(64)}`;

/** A drift checker that says the base moved (the real one is tested against docker-registry in run-rebuild.test.ts). */
const baseMoved = async (_r: unknown, recorded: { baseName: string | null; recordedBaseDigest: string | null }): Promise<DriftResult> => ({
  status: 'rebuild-needed',
  baseName: recorded.baseName,
  recordedBaseDigest: recorded.recordedBaseDigest,
  currentBaseDigest: CURRENT,
  reason: 'The base image moved.',
});

describe(`the rebuilds page and "run now" on ${testEngine()}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-rebuild-page-'));
  let github: FakeServer;
  let desk: TestDesk;
  let admin: TeamAgent;
  let member: TeamAgent;
  let coordinator: TeamAgent;
  let repository: string;

  beforeAll(async () => {
    github = await startFakeGitHub({ token: TOKEN, repositories: { 'acme/images': { workflows: { 'rebuild.yml': { id: 3, inputs: ['cvdesk'] } } } } });
    // the base's registry is a closed port: a real drift check (run now) reads "could not check" quickly
    repository = `127.0.0.1:${await freePort()}/acme/app`;
    const policy = writeRebuildPolicy(dir, { images: [repository], rebuild: { when: 'drift', trigger: { type: 'github-workflow', repository: 'acme/images', workflow: 'rebuild.yml', apiUrl: github.url } } });
    desk = await startTestDesk({ env: { CVDESK_POLICY: policy, CVDESK_REBUILD_TOKEN: TOKEN } });
    const t0 = new Date(Date.now() - 3_600_000);
    await desk.ctx.db.insertInto('image_repositories').values({ name: repository, last_sync_at: t0, last_success_at: t0, last_error: null }).execute();
    await desk.ctx.db
      .insertInto('image_manifests')
      .values({ repository, digest: APP_DIGEST, media_type: 'application/vnd.oci.image.manifest.v1+json', platforms: '["linux/amd64"]', created: t0, revision: 'abc123', version: '5.2.1', base_name: `${repository.split('/')[0]}/library/php:8.3-apache`, base_digest: RECORDED, fetched_at: t0 })
      .execute();
    for (const tag of ['5.2.1-apache', '5-apache']) {
      await desk.ctx.db.insertInto('image_tags').values({ repository, tag, digest: APP_DIGEST, first_seen_at: t0, changed_at: t0, seen_at: t0 }).execute();
    }
    admin = await loginAs(desk, await createMember(desk, { role: 'admin' }));
    member = await loginAs(desk, await createMember(desk, { role: 'member' }));
    coordinator = await loginAs(desk, await createMember(desk, { role: 'coordinator' }));
  }, 60_000);
  afterAll(async () => {
    await desk?.close();
    await github?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('members see each run: when, slot, the drift of each tag, the request without the secret, the answer, and the builds after it', async () => {
    const r = await runRebuild(desk.ctx, { slot: new Date('2026-11-23T00:00:00Z'), source: 'schedule' }, { checkDrift: baseMoved, retryDelaysMs: [] });
    expect(r.kind === 'ran' && r.run.status).toBe('triggered');
    // the next sync sees the rebuilt image
    const later = new Date(Date.now() + 1000);
    await desk.ctx.db.insertInto('image_manifests').values({ repository, digest: REBUILT, media_type: 'application/vnd.oci.image.manifest.v1+json', platforms: '["linux/amd64"]', created: later, revision: 'def456789abcdef', version: '5.2.1', base_name: null, base_digest: CURRENT, fetched_at: later }).execute();
    await desk.ctx.db.updateTable('image_tags').set({ digest: REBUILT, changed_at: later }).where('repository', '=', repository).where('tag', '=', '5.2.1-apache').execute();

    const page = await member.get('/team/rebuilds');
    expect(page.statusCode).toBe(200);
    const html = page.body;
    expect(html).toContain('<h1>Rebuilds</h1>');
    expect(html).toContain('<code>0 0 * * 1</code> (UTC); next on');
    expect(html).toContain('GitHub Actions workflow rebuild.yml in acme/images on main');
    expect(html).toContain('CVDESK_REBUILD_TOKEN is set');
    expect(html).toContain('CI triggered');
    expect(html).toContain('the schedule, slot Mon 23 Nov 2026, 00:00 UTC');
    expect(html).toContain('<strong>5.2.1-apache</strong>');
    expect(html).toContain('rebuild needed');
    expect(html).toContain('sha256:111111111111…');
    expect(html).toContain('sha256:222222222222…');
    expect(html).toContain(`POST ${github.url}/repos/acme/images/actions/workflows/rebuild.yml/dispatches`);
    expect(html).toContain('authorization: Bearer [redacted]');
    expect(html).toContain('HTTP 204');
    expect(html).toContain('Builds since the trigger');
    expect(html).toContain('sha256:eeeeeeeeeeee…');
    expect(html).toContain('def456789abc');
    expect(html).not.toContain(TOKEN);
    expect(html).not.toContain('action="/team/rebuilds/run"'); // members see, admins run
    expect(page.headers['cache-control']).toBe('no-store');
    const nav = await member.get('/team');
    expect(nav.body).toContain('href="/team/rebuilds"');
  });

  it('coordinators may not see it (nor find it in their navigation); signed-out visitors are sent to sign in', async () => {
    expect((await coordinator.get('/team/rebuilds')).statusCode).toBe(403);
    expect((await coordinator.get('/team')).body).not.toContain('href="/team/rebuilds"');
    const anon = await desk.app.inject('/team/rebuilds');
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/team/login?next=%2Fteam%2Frebuilds');
  });

  it('an admin runs it now: checked, recorded as started by them, audited, and shown', async () => {
    const page = await admin.get('/team/rebuilds');
    expect(page.body).toContain('action="/team/rebuilds/run"');
    const before = github.requests.length;
    const r = await admin.post('/team/rebuilds/run');
    expect(r.statusCode).toBe(303);
    const run = await desk.ctx.db.selectFrom('rebuild_runs').selectAll().where('source', '=', 'manual').executeTakeFirstOrThrow();
    expect(r.headers.location).toBe(`/team/rebuilds?done=not-needed#run-${run.id}`);
    expect(run).toMatchObject({ requested_by: admin.member.id, slot: null, status: 'not-needed' });
    // 5-apache still records its base, whose registry is not there; the rebuilt 5.2.1-apache records none
    expect((run.tags as { tag: string; status: string }[]).map((t) => [t.tag, t.status])).toEqual([
      ['5-apache', 'error'],
      ['5.2.1-apache', 'unknown'],
    ]);
    expect(github.requests.length).toBe(before);
    const audit = await desk.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'rebuild.run_requested').execute();
    expect(audit.map((a) => [a.actor_kind, a.actor_id, a.detail])).toEqual([['user', admin.member.id, { run: run.id }]]);
    expect((await verifyAuditLog(desk.ctx.db)).intact).toBe(true);
    const shown = await admin.get(r.headers.location as string);
    expect(shown.body).toContain("No supported tag's base image moved, so the CI was not started");
    expect(shown.body).toContain(`id="run-${run.id}"`);
    expect(shown.body).toContain(`${admin.member.name} (run now)`);
    expect(shown.body).toContain('could not check');
  });

  it('members may not run it, nor anyone without the CSRF token; nothing is recorded', async () => {
    const count = async () => (await desk.ctx.db.selectFrom('rebuild_runs').select('id').execute()).length;
    const before = await count();
    expect((await member.post('/team/rebuilds/run')).statusCode).toBe(403);
    const noCsrf = await desk.app.inject({ method: 'POST', url: '/team/rebuilds/run', headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(noCsrf.statusCode).toBe(403);
    expect(await count()).toBe(before);
  });

  it('while a run is in progress, "run now" answers 409 and says since when', async () => {
    const id = crypto.randomUUID();
    await desk.ctx.db.insertInto('rebuild_runs').values({ id, source: 'schedule', started_at: new Date('2026-11-23T00:00:01Z'), status: 'running', rebuild_when: 'drift' }).execute();
    // a fresh "running" row: make it look recent so it is not closed as left behind
    await desk.ctx.db.updateTable('rebuild_runs').set({ started_at: desk.ctx.clock() }).where('id', '=', id).execute();
    const r = await admin.post('/team/rebuilds/run');
    expect(r.statusCode).toBe(409);
    expect(r.body).toMatch(/A run started [^<]+ is still in progress; wait for it to finish\./);
    expect(r.body).toContain('>running</span>');
    await desk.ctx.db.deleteFrom('rebuild_runs').where('id', '=', id).execute();
  });

  it('pages through older runs; a malformed "before" is ignored, not an error', async () => {
    const old = Array.from({ length: 25 }, (_, i) => ({ id: crypto.randomUUID(), source: 'schedule' as const, started_at: new Date(Date.UTC(2025, 0, 1 + i)), finished_at: new Date(Date.UTC(2025, 0, 1 + i)), status: 'not-triggered' as const, rebuild_when: 'drift' as const, reason: `old run ${i}` }));
    await desk.ctx.db.insertInto('rebuild_runs').values(old).execute();
    const first = await member.get('/team/rebuilds');
    const link = /href="(\/team\/rebuilds\?before=[^"]+)"/.exec(first.body);
    expect(link).not.toBeNull();
    const second = await member.get(link![1]!.replace(/&amp;/g, '&'));
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('old run 0');
    expect(second.body).not.toContain('CI triggered');
    const bad = await member.get('/team/rebuilds?before=yesterday&done=%3Cscript%3E');
    expect(bad.statusCode).toBe(200);
    expect(bad.body).not.toContain('<script>');
  });
});
