import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneOutbox } from '../../src/app/notifications/prune-outbox.js';
import { submitReport } from '../../src/app/submit-report.js';
import { reportFieldsSchema } from '../../src/domain/reports/report-input.js';
import { createScheduler } from '../../src/jobs/scheduler.js';
import { deskTasks } from '../../src/jobs/tasks.js';
import { startMailDesk, type MailDesk } from './support.js';

const NOW = new Date('2026-11-23T10:00:00Z');

describe('the mail tasks of a desk', () => {
  let m: MailDesk;
  beforeAll(async () => {
    m = await startMailDesk({ now: NOW, notifications: 'notifications:\n  digest: "30 7 * * 1-5"\n' });
  }, 120_000);
  afterAll(() => m?.close());

  it('are scheduled with the desk’s other tasks: the outbox every minute, deadlines every quarter hour, the digest at the policy’s time', () => {
    const tasks = deskTasks(m.desk.ctx).filter((t) => t.name.startsWith('mail-'));
    expect(tasks.map((t) => [t.name, t.schedule, t.runAtStart ?? false])).toEqual([
      ['mail-outbox', { everyMs: 60_000 }, true],
      ['mail-deadlines', { everyMs: 900_000 }, true],
      ['mail-prune', { cron: '40 4 * * *', timeZone: 'Europe/Berlin' }, false],
      ['mail-digest', { cron: '30 7 * * 1-5', timeZone: 'Europe/Berlin' }, false],
    ]);
  });

  it('one scheduler tick at start sends what is due: the acknowledgement of a new report reaches the reporter', async () => {
    const fields = reportFieldsSchema({ images: [], languages: ['en'], allowAnonymous: true, creditOffered: true }).parse({ title: 'Via the scheduler', description: 'x', reporterEmail: 'sched@example.org' });
    const r = await submitReport(m.desk.ctx, { fields, attachments: [], channel: 'web' });
    const scheduler = createScheduler({ db: m.desk.ctx.db, log: m.desk.ctx.log, clock: m.desk.ctx.clock }, deskTasks(m.desk.ctx).filter((t) => t.name.startsWith('mail-')));
    const outcomes = await scheduler.tick();
    expect(outcomes.map((o) => [o.name, o.outcome])).toEqual([
      ['mail-outbox', 'ran'],
      ['mail-deadlines', 'ran'],
      ['mail-prune', 'ran'],
      ['mail-digest', 'ran'], // today's slots had not run yet
    ]);
    const [mail] = await m.sink.waitFor(1);
    expect(mail!.to).toEqual(['sched@example.org']);
    expect(mail!.parsed.text).toContain(`/r/${r.token}`);
  });

  it('sent and cancelled mail leaves the outbox after 90 days; failed and waiting mail stays', async () => {
    const rows = await m.desk.ctx.db.selectFrom('mail_outbox').select(['id', 'status']).execute();
    expect(rows.length).toBeGreaterThan(0);
    await m.desk.ctx.db.updateTable('mail_outbox').set({ status: 'failed', sent_at: null, last_error: 'kept' }).where('id', '=', rows[0]!.id).execute();
    m.desk.setNow(new Date(NOW.getTime() + 89 * 86_400_000));
    expect(await pruneOutbox(m.desk.ctx)).toEqual({ removed: 0 });
    m.desk.setNow(new Date(NOW.getTime() + 91 * 86_400_000));
    expect(await pruneOutbox(m.desk.ctx)).toEqual({ removed: rows.length - 1 });
    expect(await m.desk.ctx.db.selectFrom('mail_outbox').select('status').execute()).toEqual([{ status: 'failed' }]);
  });

  it('a policy with digest "off" has no digest task', async () => {
    const off = await startMailDesk({ now: NOW, notifications: 'notifications:\n  digest: "off"\n' });
    try {
      expect(deskTasks(off.desk.ctx).map((t) => t.name)).not.toContain('mail-digest');
    } finally {
      await off.close();
    }
  }, 120_000);
});
