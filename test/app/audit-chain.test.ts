import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/open-database.js';
import { appendAudit, auditRead } from '../../src/app/audit.js';
import { verifyAuditLog } from '../../src/app/verify-audit-log.js';
import { openTestDatabaseTwice, testEngine } from '../support/database.js';

const T0 = new Date('2026-11-23T10:00:00.000Z');

describe(`audit log hash chain on ${testEngine()}`, () => {
  let database: Database & { url?: string };
  /** A second connection to the same database, as another desk process would have. */
  let other: Database;
  let closeBoth: () => Promise<void>;
  beforeAll(async () => {
    ({ database, other, close: closeBoth } = await openTestDatabaseTwice());
  });
  afterAll(() => closeBoth?.());
  beforeEach(async () => {
    await database.db.deleteFrom('audit_log').execute();
    await database.db.deleteFrom('settings').where('key', '=', 'audit_head').execute();
  });

  const db = () => database.db;

  it('an empty log is intact', async () => {
    expect(await verifyAuditLog(db())).toEqual({ intact: true, entries: 0, lastSeq: null });
  });

  it('50 concurrent appends from two pools make one unbroken chain with seq 1..50', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        auditRead((i % 2 ? other : database).db, { actorKind: 'user', actorId: `u${i}`, action: 'report.read', reportId: null, detail: { i, nested: { b: [1, 'two'], a: null } } }, new Date(T0.getTime() + i)),
      ),
    );
    const rows = await db().selectFrom('audit_log').select(['seq', 'detail']).orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => (r.detail as { i: number }).i)).size).toBe(50);
    expect(await verifyAuditLog(db())).toEqual({ intact: true, entries: 50, lastSeq: 50 });
    // across batch boundaries the chain carries on
    expect(await verifyAuditLog(db(), { batchSize: 7 })).toEqual({ intact: true, entries: 50, lastSeq: 50 });
  });

  it('an append rolled back with its transaction leaves no entry and no gap', async () => {
    await auditRead(db(), { actorKind: 'system', action: 'a' }, T0);
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await appendAudit(trx, { actorKind: 'system', action: 'b' }, T0);
          throw new Error('the change failed');
        }),
    ).rejects.toThrow('the change failed');
    await auditRead(db(), { actorKind: 'system', action: 'c' }, T0);
    expect((await db().selectFrom('audit_log').select('action').orderBy('seq').execute()).map((r) => r.action)).toEqual(['a', 'c']);
    expect(await verifyAuditLog(db())).toMatchObject({ intact: true, entries: 2 });
  });

  describe('tampering is found, at the first broken entry, in any batch', () => {
    beforeEach(async () => {
      for (let i = 0; i < 12; i++) await auditRead(db(), { actorKind: 'user', actorId: 'u1', action: 'report.read', detail: { i } }, new Date(T0.getTime() + i * 1000));
    });

    it.each([1000, 4])('an UPDATE of one detail (batch size %i)', async (batchSize) => {
      await sql`update audit_log set detail = '{"i": 99}'::jsonb where seq = 6`.execute(db());
      const r = await verifyAuditLog(db(), { batchSize });
      expect(r).toMatchObject({ intact: false, entries: 5, break: { seq: 6, problem: 'hash_mismatch' } });
    });

    it('an UPDATE of the time or the actor', async () => {
      await sql`update audit_log set at = at + interval '1 second' where seq = 3`.execute(db());
      expect(await verifyAuditLog(db())).toMatchObject({ intact: false, break: { seq: 3, problem: 'hash_mismatch' } });
      await sql`update audit_log set at = at - interval '1 second' where seq = 3`.execute(db());
      await sql`update audit_log set actor_id = 'u2' where seq = 9`.execute(db());
      expect(await verifyAuditLog(db())).toMatchObject({ intact: false, break: { seq: 9, problem: 'hash_mismatch' } });
    });

    it('a DELETE of a middle row', async () => {
      await sql`delete from audit_log where seq = 7`.execute(db());
      expect(await verifyAuditLog(db(), { batchSize: 3 })).toMatchObject({ intact: false, entries: 6, break: { seq: 8, problem: 'gap' } });
    });

    it('a DELETE of the newest rows (the chain still holds, the recorded head does not match)', async () => {
      await sql`delete from audit_log where seq >= 11`.execute(db());
      expect(await verifyAuditLog(db())).toMatchObject({ intact: false, entries: 10, break: { seq: 11, problem: 'truncated' } });
    });

    it('a DELETE of the first row', async () => {
      await sql`delete from audit_log where seq = 1`.execute(db());
      expect(await verifyAuditLog(db())).toMatchObject({ intact: false, entries: 0, break: { seq: 2, problem: 'gap' } });
    });

    it('a changed prev_hash', async () => {
      await sql`update audit_log set prev_hash = ${'f'.repeat(64)} where seq = 10`.execute(db());
      const r = await verifyAuditLog(db());
      expect(r).toMatchObject({ intact: false, break: { seq: 10, problem: 'prev_mismatch' } });
      expect(r.intact === false && r.message).toMatch(/^audit log broken at seq 10: /);
    });

    it('a changed hash column', async () => {
      await sql`update audit_log set hash = ${'a'.repeat(64)} where seq = 4`.execute(db());
      expect(await verifyAuditLog(db())).toMatchObject({ intact: false, break: { seq: 4, problem: 'hash_mismatch' } });
    });
  });
});
