import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeed, TEMPLATE_ADVISORY } from '../../scripts/seed.js';
import { seedInventory } from '../../scripts/seed/images.js';
import { Random } from '../../scripts/seed/random.js';
import { seedReports } from '../../scripts/seed/reports.js';
import { seedDatabase, type SeedSummary } from '../../scripts/seed/seed-database.js';
import { loadPolicy } from '../../src/app/load-policy.js';
import { listInbox, listInboxPage } from '../../src/app/reports/list-inbox.js';
import { verifyAuditLog } from '../../src/app/verify-audit-log.js';
import { parseAdvisory } from '../../src/domain/advisories/parse-advisory.js';
import type { Policy } from '../../src/domain/policy/schema.js';
import { openTestDatabase, testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { createMember, loginAs, type TeamAgent } from '../support/team.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const REPO = 'docker.io/mautic/mautic';

describe(`the seed on ${testEngine()}`, () => {
  let desk: TestDesk;
  let policy: Policy;
  let summary: SeedSummary;
  let member: TeamAgent;

  beforeAll(async () => {
    policy = await loadPolicy('examples/policies/mautic-docker.yaml');
    const template = parseAdvisory(await readFile(TEMPLATE_ADVISORY, 'utf8'), TEMPLATE_ADVISORY);
    if (!template.ok) throw new Error('template');
    const database = await openTestDatabase();
    summary = await seedDatabase(database.db, { reports: 200, advisories: 20, tags: 100, now: NOW, seed: 11, policy, template: template.advisory, baseUrl: new URL('https://desk.example.test/') });
    desk = await startTestDesk({ database, now: NOW });
    member = await loginAs(desk, await createMember(desk, { role: 'member' }));
    // the desk closes what it did not open
    const close = desk.close;
    desk.close = async () => {
      await close();
      await database.close();
    };
  });
  afterAll(async () => desk?.close());

  it('writes what it says, in every state, with an intact audit chain', async () => {
    const db = desk.ctx.db;
    const count = async (t: 'reports' | 'advisories' | 'image_tags' | 'report_events') => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('reports')).toBe(200);
    expect(await count('advisories')).toBe(20);
    expect(await count('image_tags')).toBe(summary.tags);
    expect(summary.tags).toBeGreaterThan(90);
    expect(await count('report_events')).toBe(summary.events);
    expect(Object.keys(summary.advisoriesByState).sort()).toEqual(['draft', 'published', 'scheduled', 'withdrawn']);
    expect(summary.byState.rejected).toBeGreaterThan(0);
    expect(summary.byState.disclosed).toBeGreaterThan(0);
    // every disclosed report is linked to a published (or since withdrawn) advisory
    const orphans = await db
      .selectFrom('reports')
      .select('number')
      .where('state', '=', 'disclosed')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('advisory_reports as l').innerJoin('advisories as a', 'a.id', 'l.advisory_id').select('l.report_id').whereRef('l.report_id', '=', 'reports.id').where('a.state', 'in', ['published', 'withdrawn']))))
      .execute();
    expect(orphans).toEqual([]);
    const audit = await verifyAuditLog(desk.ctx.db);
    expect(audit.intact).toBe(true);
    // the seeded entries, and the test's own sign-in after them
    expect(audit.entries).toBeGreaterThanOrEqual(summary.auditEntries);
  });

  it('refuses to seed a database that holds data, and changes nothing', async () => {
    const template = parseAdvisory(await readFile(TEMPLATE_ADVISORY, 'utf8'), TEMPLATE_ADVISORY);
    if (!template.ok) throw new Error('template');
    await expect(seedDatabase(desk.ctx.db, { reports: 5, advisories: 0, tags: 40, now: NOW, seed: 1, policy, template: template.advisory, baseUrl: new URL('https://desk.example.test/') })).rejects.toThrow(/already holds data \(200 rows in reports\)/);
    expect(Number((await desk.ctx.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(200);
  });

  it('the inbox shows the open reports, most urgent first, and a report page opens', async () => {
    const open = await desk.ctx.db.selectFrom('reports').select(['number', 'title']).where('state', 'not in', ['rejected', 'disclosed']).execute();
    expect(open.length).toBeGreaterThan(0);
    const page = await member.get('/team');
    expect(page.statusCode).toBe(200);
    for (const r of open) expect(page.body).toContain(`href="/team/reports/${r.number}"`);
    const first = await member.get(`/team/reports/${open[0]!.number}`);
    expect(first.statusCode).toBe(200);
    const overdue = await member.get('/team?due=overdue');
    expect(overdue.statusCode).toBe(200);
  });

  it('the inbox pages: every open report in urgency order, closed ones newest first', async () => {
    const db = desk.ctx.db;
    const open = Number((await db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).where('state', 'not in', ['rejected', 'disclosed']).executeTakeFirstOrThrow()).n);
    const all = await listInbox(desk.ctx, { state: 'open' });
    expect(all).toHaveLength(open);
    const first = await listInboxPage(desk.ctx, { state: 'open' }, 1, 5);
    const second = await listInboxPage(desk.ctx, { state: 'open' }, 2, 5);
    expect(first.total).toBe(open);
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(all.slice(0, 10).map((r) => r.id));
    // the overdue ones come first, however long ago they arrived
    const overdue = all.filter((r) => r.next?.status === 'overdue');
    expect(overdue.length).toBeGreaterThan(0);
    expect(all.slice(0, overdue.length).every((r) => r.next?.status === 'overdue')).toBe(true);
    expect((await listInboxPage(desk.ctx, { state: 'open', due: 'overdue' }, 1, 1000)).total).toBe(overdue.length);
    const rejected = Number((await db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'rejected').executeTakeFirstOrThrow()).n);
    expect(rejected).toBeGreaterThan(100);
    const closed = await listInboxPage(desk.ctx, { state: 'rejected' }, 2, 100);
    expect(closed.total).toBe(rejected);
    expect(closed.rows).toHaveLength(rejected - 100);
    const times = closed.rows.map((r) => r.receivedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // the page: 100 rows and a link to the next page that keeps the filter
    const page = await member.get('/team?state=rejected');
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/href="\/team\/reports\/\d+"/g)).toHaveLength(100);
    expect(page.body).toContain(`Reports 1–100 of ${rejected}`);
    expect(page.body).toContain('href="/team?state=rejected&amp;page=2"');
    const next = await member.get('/team?state=rejected&page=2');
    expect(next.body.match(/href="\/team\/reports\/\d+"/g)).toHaveLength(rejected - 100);
    expect((await member.get('/team?page=0')).statusCode).toBe(400);
  });

  it('a published advisory renders on its public page and in the team view', async () => {
    const a = await desk.ctx.db.selectFrom('advisories').select(['ident', 'document']).where('state', '=', 'published').orderBy('ident').executeTakeFirstOrThrow();
    const title = (a.document as { title: string }).title;
    const page = await desk.app.inject(`/advisories/${a.ident}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(a.ident);
    expect(page.body).toContain(title.replace(/'/g, '&#39;'));
    const osv = await desk.app.inject(`/advisories/${a.ident}.osv.json`);
    expect(osv.statusCode).toBe(200);
    const draft = await desk.ctx.db.selectFrom('advisories').select('ident').where('state', '=', 'draft').executeTakeFirstOrThrow();
    expect((await desk.app.inject(`/advisories/${draft.ident}`)).statusCode).toBe(404);
    expect((await member.get(`/team/advisories/${draft.ident}`)).statusCode).toBe(200);
  });

  it('the tag status endpoint answers for seeded tags, with the advisories that affect them', async () => {
    const tags = await desk.ctx.db.selectFrom('image_tags').select('tag').where('repository', '=', REPO).execute();
    for (const tag of ['latest', '5', tags.find((t) => /^6\.\d+\.\d+$/.test(t.tag))!.tag]) {
      const res = await desk.app.inject(`/api/v1/images/${REPO}/tags/${tag}/status`);
      expect(res.statusCode, tag).toBe(200);
      expect(res.json()).toMatchObject({ repository: REPO, tag });
    }
    // every published or withdrawn advisory is frozen as publication freezes it, with its affected images indexed
    const db = desk.ctx.db;
    const publicRows = await db.selectFrom('advisories').select(['id', 'ident', 'revision']).where('state', 'in', ['published', 'withdrawn']).orderBy('ident').execute();
    const frozen = await db.selectFrom('advisory_frozen').select(['advisory_id', 'revision', 'resolution']).execute();
    expect(frozen.map((f) => `${f.advisory_id} ${f.revision}`).sort()).toEqual(publicRows.map((r) => `${r.id} ${r.revision}`).sort());
    expect(await db.selectFrom('inventory_snapshots').select('repository').execute()).toEqual([{ repository: REPO }]);
    // (a published advisory that affects a supported image: older ones affect releases no longer supported)
    const a = await db
      .selectFrom('advisories as a')
      .select(['a.id', 'a.ident'])
      .where('a.state', '=', 'published')
      .where((eb) => eb.exists(eb.selectFrom('advisory_affected as x').select('x.tag').whereRef('x.advisory_id', '=', 'a.id')))
      .orderBy('a.ident')
      .executeTakeFirstOrThrow();
    const images = (frozen.find((f) => f.advisory_id === a.id)!.resolution as { images: Array<{ name: string; affected: Array<{ tag: string; digest: string }> }> }).images;
    const indexed = await db.selectFrom('advisory_affected').select(['repository', 'tag', 'digest']).where('advisory_id', '=', a.id).orderBy('tag').execute();
    expect(indexed).toEqual(images.flatMap((i) => i.affected.map((p) => ({ repository: i.name, tag: p.tag, digest: p.digest }))).sort((x, y) => x.tag.localeCompare(y.tag)));
    expect(indexed.length).toBeGreaterThan(0);
    // and the tag status of an affected tag names it
    const res = await desk.app.inject(`/api/v1/images/${REPO}/tags/${indexed[0]!.tag}/status`);
    expect(res.statusCode).toBe(200);
    expect((res.json() as { advisories: Array<{ id: string }> }).advisories.map((x) => x.id)).toContain(a.ident);
  });
});

describe('the seed generator', () => {
  it('is deterministic: the same seed writes the same reports', async () => {
    const policy = await loadPolicy('examples/policies/mautic-docker.yaml');
    const make = () => {
      const rnd = new Random(3);
      const team = [{ id: 'a', role: 'admin' as const }, { id: 'm', role: 'member' as const }];
      const inv = seedInventory(rnd, { repositories: [REPO], variants: policy.tags.variants, aliases: policy.tags.rollingAliases, total: 300, now: NOW });
      return { inv, reports: seedReports(rnd, { count: 300, now: NOW, policy, team, versions: [...inv.versions.values()].flat() }) };
    };
    const one = make();
    expect(make()).toEqual(one);
    expect(one.inv.tags).toHaveLength(300);
    expect(new Set(one.inv.tags.map((t) => t.tag)).size).toBe(300);
    expect(one.inv.tags.map((t) => t.tag)).toEqual(expect.arrayContaining(['latest', 'latest-apache', '5', '5-fpm', '6']));
    // arrival order is number order; nothing happens after "now"
    const arrivals = one.reports.reports.map((r) => r.received_at.getTime());
    expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
    expect(one.reports.events.every((e) => e.at.getTime() <= NOW.getTime())).toBe(true);
  });
});

describe('npm run seed', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'cvdesk-seed-'))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const io = (env: Record<string, string>) => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), readStdin: async () => Buffer.alloc(0), env, cwd: process.cwd(), untilShutdown: () => new Promise<string>(() => {}) } };
  };

  it('refuses bad sizes with a clear message (exit 2)', async () => {
    const r = io({ CVDESK_DATA_DIR: dir });
    expect(await runSeed(['--reports', 'many'], r.io)).toBe(2);
    expect(r.err.join('\n')).toContain('--reports must be a whole number');
    const t = io({ CVDESK_DATA_DIR: dir });
    expect(await runSeed(['--tags', '3'], t.io)).toBe(2);
    expect(t.err.join('\n')).toContain('--tags must be at least 100');
  });

  it('migrates and seeds the configured database, then refuses a second run', async () => {
    const database = testEngine() === 'postgres' ? await openTestDatabase() : null;
    try {
      const env: Record<string, string> = database?.url ? { DATABASE_URL: database.url } : { CVDESK_DATA_DIR: dir };
      const first = io(env);
      expect(await runSeed(['--reports', '30', '--advisories', '3', '--tags', '100', '--json', '--now', '2026-11-20T12:00:00Z'], first.io), first.err.join('\n')).toBe(0);
      expect(JSON.parse(first.out.join(''))).toMatchObject({ reports: 30, advisories: 3 });
      const second = io(env);
      expect(await runSeed(['--reports', '30'], second.io)).toBe(2);
      expect(second.err.join('\n')).toMatch(/already holds data/);
    } finally {
      await database?.close();
    }
  }, 180_000);
});
