import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftAdvisory } from '../../src/app/advisories/draft-advisory.js';
import { publishDueAdvisories } from '../../src/app/advisories/publish-due-advisories.js';
import { scheduleAdvisory } from '../../src/app/advisories/schedule-advisory.js';
import { createScheduler } from '../../src/jobs/scheduler.js';
import { deskTasks } from '../../src/jobs/tasks.js';
import { openTestDatabaseTwice, testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertUser } from '../support/fixtures.js';
import { BEFORE, editorDocument, FIXED, insertFixedReport, MAUTIC, seedInventory } from './support.js';

const t = (s: string) => new Date(s);
// Mautic policy (UTC): advisories go out in the next security window, 2026-11-25 00:00.

describe(`the publish job with two desk processes on one database (${testEngine()})`, () => {
  let twice: Awaited<ReturnType<typeof openTestDatabaseTwice>>;
  let one: TestDesk;
  let two: TestDesk;
  let member: { id: string; role: 'member' };
  beforeAll(async () => {
    twice = await openTestDatabaseTwice();
    one = await startTestDesk({ database: twice.database, now: t('2026-11-16T10:00:00Z') });
    two = await startTestDesk({ database: twice.other, now: t('2026-11-16T10:00:00Z') });
    member = { id: (await insertUser(one.ctx.db, { role: 'member' })).id, role: 'member' };
    await seedInventory(one.ctx.db, MAUTIC, { ...BEFORE, ...FIXED }, t('2026-11-14T00:00:00Z'));
  }, 60_000);
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await twice?.close();
  });
  const setNow = (d: Date) => {
    one.setNow(d);
    two.setNow(d);
  };

  async function scheduled(title: string): Promise<{ ident: string; reportId: string }> {
    const report = await insertFixedReport(one.ctx.db, t('2026-11-12T10:00:00Z'), { title });
    const d = await draftAdvisory(one.ctx, { actorId: member.id, reportNumbers: [report.number], document: editorDocument({ title }) });
    if (!d.ok) throw new Error(d.reason);
    const s = await scheduleAdvisory(one.ctx, { id: d.id, actor: member });
    if (!s.ok) throw new Error(s.reason);
    return { ident: d.ident, reportId: report.id };
  }

  const trail = async () => ({
    published: await one.ctx.db.selectFrom('advisories').select(['ident', 'state', 'revision']).where('state', '=', 'published').orderBy('ident').execute(),
    revisions: await one.ctx.db.selectFrom('advisory_revisions').select(['advisory_id', 'revision']).execute(),
    audits: await one.ctx.db.selectFrom('audit_log').select(['detail']).where('action', '=', 'advisory.publish').execute(),
    disclosures: await one.ctx.db.selectFrom('report_events').select(['report_id']).where('kind', '=', 'state').where('data', '@>', JSON.stringify({ to: 'disclosed' }) as never).execute(),
  });

  it('both processes run the job at the same moment: each due advisory is published once', async () => {
    const due = await Promise.all(['First', 'Second', 'Third'].map(scheduled));
    setNow(t('2026-11-25T00:00:10Z'));
    const runs = await Promise.all([publishDueAdvisories(one.ctx), publishDueAdvisories(two.ctx)]);
    const published = runs.flatMap((r) => r.published).sort();
    expect(published).toEqual(due.map((d) => d.ident).sort());
    expect(runs.flatMap((r) => r.held)).toEqual([]);
    const after = await trail();
    expect(after.published.map((p) => [p.ident, p.revision])).toEqual(due.map((d) => [d.ident, 1]).sort());
    expect(after.revisions).toHaveLength(3);
    expect(after.audits).toHaveLength(3);
    expect(after.disclosures.map((e) => e.report_id).sort()).toEqual(due.map((d) => d.reportId).sort());
  });

  it("through the scheduled task 'advisory-publish': both schedulers tick, later slots find nothing to do", async () => {
    setNow(t('2026-11-26T09:00:00Z'));
    const late = await scheduled('Fourth'); // the next window: 2026-12-09
    const schedulerOf = (desk: TestDesk) => createScheduler({ db: desk.ctx.db, log: desk.ctx.log, clock: desk.ctx.clock }, deskTasks(desk.ctx).filter((x) => x.name === 'advisory-publish'));
    for (const now of [t('2026-12-08T23:59:00Z'), t('2026-12-09T00:00:00Z'), t('2026-12-09T00:01:00Z')]) {
      setNow(now);
      const outcomes = await Promise.all([schedulerOf(one).tick(now), schedulerOf(two).tick(now)]);
      expect(outcomes.flat()).toEqual([{ name: 'advisory-publish', slot: now, outcome: 'ran' }]);
      const state = (await one.ctx.db.selectFrom('advisories').select('state').where('ident', '=', late.ident).executeTakeFirstOrThrow()).state;
      expect(state).toBe(now < t('2026-12-09T00:00:00Z') ? 'scheduled' : 'published');
    }
    const after = await trail();
    expect(after.published).toHaveLength(4);
    expect(after.revisions).toHaveLength(4);
    expect(after.audits).toHaveLength(4);
  });
});
