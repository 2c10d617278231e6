import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/open-database.js';
import { addAdminNotice, dismissAdminNotice, listAdminNotices } from '../../src/app/admin-notices.js';
import { verifyAuditLog } from '../../src/app/verify-audit-log.js';
import { openTestDatabase, testEngine } from '../support/database.js';

const at = (h: number) => new Date(Date.UTC(2026, 10, 23, h));

describe(`admin notices on ${testEngine()}`, () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database?.close());

  it('raising the same key again refreshes one notice instead of adding another; worst level first', async () => {
    const db = database.db;
    expect((await addAdminNotice(db, { key: 'mail.failing', level: 'warn', message: 'outbound mail failed 3 times' }, at(1))).created).toBe(true);
    await addAdminNotice(db, { key: 'members.inactive', level: 'info', message: 'a member has been inactive for 120 days' }, at(2));
    const again = await addAdminNotice(db, { key: 'mail.failing', level: 'bad', message: 'outbound mail failed 9 times' }, at(3));
    expect(again.created).toBe(false);
    expect(await listAdminNotices(db)).toEqual([
      { key: 'mail.failing', level: 'bad', message: 'outbound mail failed 9 times', raisedAt: at(1).toISOString(), lastSeenAt: at(3).toISOString(), count: 2, dismissedAt: null, dismissedBy: null },
      { key: 'members.inactive', level: 'info', message: 'a member has been inactive for 120 days', raisedAt: at(2).toISOString(), lastSeenAt: at(2).toISOString(), count: 1, dismissedAt: null, dismissedBy: null },
    ]);
  });

  it('dismissing hides a notice and is audited; raising it again later brings it back as new', async () => {
    const db = database.db;
    const userId = '5b0e1b7e-8f4b-4a43-9d39-3f7b0c6e2a11';
    const r = await dismissAdminNotice(db, { key: 'mail.failing', userId }, at(4));
    expect(r).toMatchObject({ ok: true, notice: { dismissedAt: at(4).toISOString(), dismissedBy: userId } });
    expect(await dismissAdminNotice(db, { key: 'mail.failing', userId }, at(4))).toEqual({ ok: false, reason: 'already_dismissed' });
    expect(await dismissAdminNotice(db, { key: 'no.such', userId }, at(4))).toEqual({ ok: false, reason: 'not_found' });
    expect((await listAdminNotices(db)).map((n) => n.key)).toEqual(['members.inactive']);
    expect((await listAdminNotices(db, { includeDismissed: true })).map((n) => n.key).sort()).toEqual(['mail.failing', 'members.inactive']);

    const audit = await db.selectFrom('audit_log').select(['action', 'actor_kind', 'actor_id', 'detail']).execute();
    expect(audit).toEqual([{ action: 'admin_notice.dismissed', actor_kind: 'user', actor_id: userId, detail: { key: 'mail.failing' } }]);
    expect(await verifyAuditLog(db)).toMatchObject({ intact: true, entries: 1 });

    const back = await addAdminNotice(db, { key: 'mail.failing', level: 'warn', message: 'outbound mail failed again' }, at(5));
    expect(back.created).toBe(true);
    expect(back.notice).toMatchObject({ raisedAt: at(5).toISOString(), count: 1, dismissedAt: null });
  });

  it('refuses an empty key or message, storing nothing', async () => {
    const db = database.db;
    const before = await listAdminNotices(db, { includeDismissed: true });
    await expect(addAdminNotice(db, { key: '', level: 'info', message: 'x' }, at(6))).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(addAdminNotice(db, { key: 'k', level: 'info', message: '' }, at(6))).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('message') });
    expect(await listAdminNotices(db, { includeDismissed: true })).toEqual(before);
  });
});
