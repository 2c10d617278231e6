import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/adapters/db/open-database.js';
import { openTestDatabase, testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertReport } from '../support/fixtures.js';
import { createMember, loginAs } from '../support/team.js';

/**
 * Two desk processes behind one load balancer share one PostgreSQL: a session made on one is good
 * on the other, a change made on one is seen by the other. (PGlite is one process's database, so
 * this runs in the PostgreSQL pass only.)
 */
const run = testEngine() === 'postgres' ? describe : describe.skip;
if (testEngine() !== 'postgres') console.info('two-processes.test.ts: skipped on PGlite; it runs in the PostgreSQL pass (npm run test:postgres)');

run('two desks on one PostgreSQL', () => {
  let shared: Database & { url?: string };
  let second: Database;
  let a: TestDesk;
  let b: TestDesk;
  beforeAll(async () => {
    shared = await openTestDatabase();
    second = await openDatabase({ kind: 'postgres', url: shared.url! });
    a = await startTestDesk({ database: shared });
    b = await startTestDesk({ database: second });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await second?.close();
    await shared?.close();
  });

  it('a session made on one desk works on the other, and a sign-out on one ends it on both', async () => {
    const member = await createMember(a, { role: 'member' });
    const onA = await loginAs(a, member);
    const report = await insertReport(a.ctx.db, { title: 'seen by both' });
    const onB = await b.app.inject({ url: '/team', headers: { cookie: onA.cookie } });
    expect(onB.statusCode).toBe(200);
    expect(onB.body).toContain('seen by both');
    // a transition on B, seen on A
    const post = await b.app.inject({
      method: 'POST',
      url: `/team/reports/${report.number}/transition`,
      headers: { cookie: onA.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: onA.csrf, action: 'acknowledge' }).toString(),
    });
    expect(post.statusCode).toBe(303);
    expect((await onA.get(`/team/reports/${report.number}`)).body).toContain('Received → Acknowledged');
    expect((await onA.post('/team/logout')).statusCode).toBe(303);
    const after = await b.app.inject({ url: '/team', headers: { cookie: onA.cookie } });
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/team/login?next=%2Fteam');
  });
});
