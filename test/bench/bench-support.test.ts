import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { loadDatabaseConfig } from '../../src/config.js';
import { describeLoad, loadSettings, runLoad } from '../../bench/support/load.js';
import { postgresMissing, startPostgres } from '../../bench/support/postgres.js';
import { INTAKE_LIMITS_ENV } from '../../bench/support/rate-limits.js';
import { REPORT_BODY } from '../../bench/support/report-body.js';
import { seedPublishedAdvisories } from '../../bench/support/seed-advisories.js';
import { startBare, startCvdesk } from '../../bench/support/servers.js';
import { openTestDatabase, testEngine } from '../support/database.js';

/**
 * The HTTP benchmarks' helpers (bench/support) in a tiny configuration: 1 connection, 1 second.
 * What they count and start is checked against what happened, never how fast.
 */
const tiny = { connections: 1, durationS: 1, warmupS: 0 };
const intake = { path: '/api/v1/reports', method: 'POST' as const, body: REPORT_BODY, headers: { 'content-type': 'application/json' } };

describe('bench support', () => {
  const work = mkdtempSync(join(tmpdir(), 'cvdesk-bench-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reads the load settings from the environment, with the issue’s defaults, and refuses nonsense', () => {
    expect(loadSettings({})).toEqual({ connections: 50, durationS: 10, warmupS: 2 });
    expect(loadSettings({ CVDESK_BENCH_CONNECTIONS: '1', CVDESK_BENCH_DURATION: '1', CVDESK_BENCH_WARMUP: '0' })).toEqual(tiny);
    expect(() => loadSettings({ CVDESK_BENCH_CONNECTIONS: 'many' })).toThrow(/CVDESK_BENCH_CONNECTIONS must be a number/);
    expect(() => loadSettings({ CVDESK_BENCH_DURATION: '0' })).toThrow(/CVDESK_BENCH_DURATION/);
  });

  it('the report body is the ~2 KB the issue asks for', () => {
    expect(Buffer.byteLength(REPORT_BODY)).toBeGreaterThan(1500);
    expect(Buffer.byteLength(REPORT_BODY)).toBeLessThan(2500);
  });

  it('starts the bare reference, counts its answers by status, reads its memory and stops it cleanly', async () => {
    const bare = await startBare({ logFile: join(work, 'bare.log') });
    try {
      expect(bare.readyMs).toBeGreaterThan(0);
      expect(await bare.rssBytes()).toBeGreaterThan(1024 * 1024);
      const ok = await runLoad({ url: bare.url, ...intake }, tiny);
      expect(ok.requests).toBeGreaterThan(0);
      expect(ok.ok2xx).toBe(ok.requests);
      expect(ok.statuses).toEqual({ '201': ok.requests });
      expect(ok.non2xx).toBe(0);
      expect(ok.errors).toBe(0);
      expect(ok.p50Ms).toBeLessThanOrEqual(ok.p99Ms);
      expect(describeLoad(ok)).toContain('all 2xx');
      // a body it cannot use: every answer a 400, counted as non-2xx and said in the note
      const bad = await runLoad({ url: bare.url, ...intake, body: '{"title":1}' }, tiny);
      expect(bad.requests).toBeGreaterThan(0);
      expect(bad.ok2xx).toBe(0);
      expect(bad.statuses).toEqual({ '400': bad.requests });
      expect(describeLoad(bad)).toContain(`ERRORS: ${bad.requests} non-2xx (${bad.requests} × 400)`);
    } finally {
      expect(await bare.stop()).toBe(0);
    }
    expect(await bare.rssBytes()).toBeNull(); // gone
  });

  it(`starts the real cvdesk serve (${testEngine()}) with seeded advisories, and every 201 of the intake load is a stored report`, async () => {
    const dataDir = join(work, 'desk');
    const database = testEngine() === 'postgres' ? await openTestDatabase() : undefined;
    const where = database?.url ? { databaseUrl: database.url } : { dataDir };
    try {
      const idents = await seedPublishedAdvisories(where, 2);
      expect(idents).toEqual(['CVDESK-2026-0001', 'CVDESK-2026-0002']);
      const desk = await startCvdesk({ ...where, logFile: join(work, 'desk.log'), env: INTAKE_LIMITS_ENV });
      let created = 0;
      try {
        expect(desk.readyMs).toBeGreaterThan(0);
        expect(await desk.rssBytes()).toBeGreaterThan(1024 * 1024);
        const index = await fetch(`${desk.url}/advisories`);
        expect(index.status).toBe(200);
        const html = await index.text();
        for (const ident of idents) expect(html).toContain(ident);
        const load = await runLoad({ url: desk.url, ...intake }, tiny);
        expect(load.requests).toBeGreaterThan(0);
        expect(load.errors).toBe(0);
        // 201, or 429 from a desk whose submit limit the setting did not lift: nothing else
        expect(Object.keys(load.statuses).filter((s) => s !== '201' && s !== '429')).toEqual([]);
        created = load.statuses['201'] ?? 0;
        expect(created).toBeGreaterThan(0);
      } finally {
        expect(await desk.stop()).toBe(0);
      }
      const stored = database ?? (await openDatabase(loadDatabaseConfig({ CVDESK_DATA_DIR: dataDir }, process.cwd())));
      try {
        const { n } = await stored.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        // autocannon closes its connections when the time is up: a request in flight then may be
        // stored without its 201 being counted, at most one per connection
        expect(Number(n)).toBeGreaterThanOrEqual(created);
        expect(Number(n)).toBeLessThanOrEqual(created + tiny.connections);
      } finally {
        if (!database) await stored.close();
      }
    } finally {
      await database?.close();
    }
  }, 300_000);

  it.skipIf(postgresMissing() !== null)('starts a throwaway PostgreSQL server that takes connections, and removes it on stop', async () => {
    const server = await startPostgres();
    expect(existsSync(server.dir)).toBe(true);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    expect((await client.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
    await client.end();
    await server.stop();
    const after = new pg.Client({ connectionString: server.url });
    await expect(after.connect()).rejects.toThrow();
    expect(existsSync(server.dir)).toBe(false);
  }, 120_000);
});
