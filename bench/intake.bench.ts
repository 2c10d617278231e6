import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench, BenchResult } from './measure.js';
import { describeLoad, loadSettings, runLoad, type LoadResult, type LoadSettings } from './support/load.js';
import { postgresMissing, startPostgres } from './support/postgres.js';
import { INTAKE_LIMITS_ENV, limitsNote } from './support/rate-limits.js';
import { REPORT_BODY } from './support/report-body.js';
import { ensureBuilt, startBare, startCvdesk } from './support/servers.js';
import type { ChildServer } from './support/child-server.js';

/**
 * Report intake: `POST /api/v1/reports` with a ~2 KB JSON body at 50 connections (autocannon),
 * against the real `cvdesk serve` (a child process running the built dist/) on PGlite (a fresh data
 * folder) and on a throwaway PostgreSQL server, and against a bare Fastify server that parses the
 * same body and answers 201 without storing it. ops/s counts 2xx answers only; ratio = bare ÷ cvdesk.
 */
const post = (url: string) => ({ url, path: '/api/v1/reports', method: 'POST' as const, body: REPORT_BODY, headers: { 'content-type': 'application/json' } });

const row = (name: string, r: LoadResult, extra: string, ratio?: number): BenchResult => ({
  name,
  opsPerSec: r.okPerSec,
  p50Ms: r.p50Ms,
  p95Ms: r.p95Ms,
  p99Ms: r.p99Ms,
  ...(ratio === undefined ? {} : { ratio }),
  note: [describeLoad(r), extra].filter(Boolean).join('; '),
});

async function measured(server: ChildServer, settings: LoadSettings): Promise<LoadResult> {
  try {
    return await runLoad(post(server.url), settings);
  } finally {
    const code = await server.stop();
    if (code !== 0) console.warn(`server exited with ${code}:\n${server.output().slice(-2000)}`);
  }
}

const bench: Bench = async () => {
  const settings = loadSettings();
  await ensureBuilt();
  const work = mkdtempSync(join(tmpdir(), 'cvdesk-bench-intake-'));
  const conf = `${settings.connections} connections, ${settings.durationS} s after ${settings.warmupS} s warm-up, ${REPORT_BODY.length} B body`;
  try {
    const bare = await measured(await startBare({ logFile: join(work, 'bare.log') }), settings);
    const rows: BenchResult[] = [row('intake: bare Fastify (parse, 201, no store)', bare, conf)];
    const ratio = (r: LoadResult) => (r.okPerSec > 0 ? bare.okPerSec / r.okPerSec : undefined);

    const pglite = await measured(await startCvdesk({ dataDir: join(work, 'data'), logFile: join(work, 'cvdesk-pglite.log'), env: INTAKE_LIMITS_ENV }), settings);
    rows.push(row('intake: cvdesk serve, PGlite', pglite, limitsNote(pglite), ratio(pglite)));

    const missing = postgresMissing();
    if (missing) {
      rows.push({ name: 'intake: cvdesk serve, PostgreSQL', opsPerSec: null, note: missing });
      return rows;
    }
    const pg = await startPostgres();
    try {
      const onPg = await measured(await startCvdesk({ databaseUrl: pg.url, logFile: join(work, 'cvdesk-pg.log'), env: INTAKE_LIMITS_ENV }), settings);
      rows.push(row('intake: cvdesk serve, PostgreSQL', onPg, `PostgreSQL ${pg.version} (fsync off, as the tests run it); ${limitsNote(onPg)}`, ratio(onPg)));
    } finally {
      await pg.stop();
    }
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

export default bench;
