import { afterAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../support/database.js';
import { soak, startSoakDesk } from '../support/soak.js';

const SECONDS = Number(process.env.CVDESK_SOAK_TEST_SECONDS ?? 40);

/**
 * The CI-sized soak of issue #7 (bench/soak.bench.ts runs it for minutes and reports the memory
 * trend): mixed traffic against a real `cvdesk serve` gets no 5xx, no unexpected answer and no
 * broken connection. Memory and speed are not asserted here (shared, noisy machines).
 */
describe(`soak: mixed traffic against cvdesk serve (${testEngine()})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it(`${SECONDS} s of submissions, reporter views, team pages and public reads: no errors`, async () => {
    let databaseUrl: string | undefined;
    if (testEngine() === 'postgres') {
      const pg = await openTestDatabase();
      cleanups.push(() => pg.close());
      databaseUrl = pg.url!;
    }
    const desk = await startSoakDesk(databaseUrl ? { databaseUrl } : {});
    cleanups.push(() => desk.close());
    const result = await soak(desk, { seconds: SECONDS, workers: 6, sampleSeconds: 5 });
    expect(result.errors.slice(0, 10)).toEqual([]);
    // every kind of traffic ran, and the desk is still the same process
    for (const kind of ['submit', 'reporter-api', 'reporter-page', 'team-inbox', 'team-report', 'public', 'tag-status']) expect(result.byKind[kind], kind).toBeGreaterThan(0);
    expect(desk.serve.child.exitCode, desk.serve.output()).toBeNull();
    expect(result.rss.length).toBeGreaterThan(0);
  }, (SECONDS + 150) * 1000);
});
