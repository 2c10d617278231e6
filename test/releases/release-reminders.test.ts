import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindBeforeWindow } from '../../src/app/releases/remind-before-window.js';
import { createScheduler } from '../../src/jobs/scheduler.js';
import { deskTasks } from '../../src/jobs/tasks.js';
import { openTestDatabaseTwice, testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertFixedReport } from './support.js';

const t = (s: string) => new Date(s);
// Mautic policy (UTC): windows 2026-11-25 and 2026-12-09 (Wednesdays 00:00); reminder 2 business days before.

describe(`the reminder before a security window, with two desk processes on ${testEngine()}`, () => {
  let twice: Awaited<ReturnType<typeof openTestDatabaseTwice>>;
  let one: TestDesk;
  let two: TestDesk;
  beforeAll(async () => {
    twice = await openTestDatabaseTwice();
    one = await startTestDesk({ database: twice.database, now: t('2026-11-20T12:00:00Z') });
    two = await startTestDesk({ database: twice.other, now: t('2026-11-20T12:00:00Z') });
  }, 60_000); // opening the database and starting the desks takes seconds on a busy machine
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await twice?.close();
  });

  const reminderTask = (desk: TestDesk) => deskTasks(desk.ctx).filter((task) => task.name === 'release-window-reminder');
  const schedulerOf = (desk: TestDesk) => createScheduler({ db: desk.ctx.db, log: desk.ctx.log, clock: desk.ctx.clock }, reminderTask(desk));
  const reminders = () => one.ctx.db.selectFrom('release_reminders').selectAll().orderBy('window_start').execute();
  const audits = () => one.ctx.db.selectFrom('audit_log').select(['action', 'actor_kind', 'detail']).where('action', '=', 'release.reminder').orderBy('seq').execute();
  const setNow = (d: Date) => {
    one.setNow(d);
    two.setNow(d);
  };

  it('is not due before the lead time, and a window with nothing planned gets none', async () => {
    expect(reminderTask(one)).toHaveLength(1);
    expect(await remindBeforeWindow(one.ctx)).toEqual({ kind: 'not_due' }); // Friday noon: Wednesday is 3 business days off
    setNow(t('2026-11-21T00:30:00Z'));
    expect(await remindBeforeWindow(one.ctx)).toMatchObject({ kind: 'nothing_planned', window: { date: '2026-11-25' } });
    expect(await reminders()).toEqual([]);
  });

  it('goes out once per window: two processes at once, later slots and restarts find it sent', async () => {
    const a = await insertFixedReport(one.ctx.db, t('2026-11-12T10:00:00Z'), { title: 'Session fixation' });
    const b = await insertFixedReport(one.ctx.db, t('2026-11-13T10:00:00Z'), { title: 'Header injection', severity: 'medium' });
    await insertFixedReport(one.ctx.db, t('2026-11-21T00:10:00Z'), { title: 'Out of cycle one', severity: 'critical' }).then((r) =>
      one.ctx.db.insertInto('report_releases').values({ report_id: r.id, out_of_cycle: true, out_of_cycle_basis: 'severity', decided_at: t('2026-11-21T00:20:00Z'), decision_reason: 'critical', updated_at: t('2026-11-21T00:20:00Z') }).execute(),
    );
    const outcomes = await Promise.all([remindBeforeWindow(one.ctx), remindBeforeWindow(two.ctx)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['already_sent', 'sent']);
    const sent = outcomes.find((o) => o.kind === 'sent');
    expect(sent).toMatchObject({ window: { date: '2026-11-25' }, reports: [{ number: a.number, title: 'Session fixation', severity: 'high' }, { number: b.number, title: 'Header injection', severity: 'medium' }] });

    // Both schedulers tick the hourly slot, and again an hour later, and at a restart: nothing more.
    for (const now of [t('2026-11-21T01:10:00Z'), t('2026-11-23T09:10:00Z')]) {
      setNow(now);
      await Promise.all([schedulerOf(one).tick(now), schedulerOf(two).tick(now)]);
    }
    const rows = await reminders();
    expect(rows).toEqual([{ window_start: t('2026-11-25T00:00:00Z'), window_date: '2026-11-25', sent_at: t('2026-11-21T00:30:00Z'), reports: sent!.kind === 'sent' ? sent!.reports : [] }]);
    expect(await audits()).toEqual([{ action: 'release.reminder', actor_kind: 'system', detail: { window: '2026-11-25', reports: [a.number, b.number] } }]);
    const runs = await one.ctx.db.selectFrom('job_runs').select(['slot', 'error']).where('name', '=', 'release-window-reminder').orderBy('slot').execute();
    expect(runs.map((r) => [r.slot.toISOString(), r.error])).toEqual([
      ['2026-11-21T01:10:00.000Z', null],
      ['2026-11-23T09:10:00.000Z', null],
    ]);
  });

  it('the next window gets its own, through the scheduled task: reports not shipped are carried over to it', async () => {
    setNow(t('2026-11-26T10:10:00Z'));
    expect(await remindBeforeWindow(one.ctx)).toEqual({ kind: 'not_due' });
    const now = t('2026-12-07T00:10:00Z'); // Monday before Wednesday 2026-12-09
    setNow(now);
    const outcomes = await Promise.all([schedulerOf(one).tick(now), schedulerOf(two).tick(now)]);
    expect(outcomes.flat()).toEqual([{ name: 'release-window-reminder', slot: now, outcome: 'ran' }]);
    const rows = await reminders();
    expect(rows.map((r) => [r.window_date, r.reports.map((x) => x.title)])).toEqual([
      ['2026-11-25', ['Session fixation', 'Header injection']],
      ['2026-12-09', ['Session fixation', 'Header injection']],
    ]);
    expect(await audits()).toHaveLength(2);
  });
});
