import { percentile, type Bench, type BenchResult } from './measure.js';
import { postgresMissing, startPostgres, type BenchPostgres } from './support/postgres.js';
import { rssTrend, soak, startSoakDesk } from '../test/support/soak.js';

/**
 * The soak of issue #7: several minutes (CVDESK_SOAK_SECONDS, default 300) of mixed traffic from
 * CVDESK_SOAK_WORKERS loops (default 8) against a real `cvdesk serve` — report submissions, the
 * reporter's view (API and tracking link), the team inbox and report pages of a signed-in member,
 * the public reads (security.txt, policy, advisories, Atom, CSAF provider metadata, the form) and
 * the tag status API — on a fresh PGlite desk, or with CVDESK_SOAK_ENGINE=postgres on a throwaway
 * PostgreSQL server (bench/support/postgres.ts), or on CVDESK_SOAK_DATABASE_URL (an empty database;
 * the soak migrates it). It reports the errors (must be 0: no failed connection,
 * no 5xx, no unexpected answer) and the desk's RSS, sampled every 5 s: the mean of the first and
 * of the last minute and the least-squares slope over the run.
 */
const SECONDS = Number(process.env.CVDESK_SOAK_SECONDS ?? 300);
const WORKERS = Number(process.env.CVDESK_SOAK_WORKERS ?? 8);

const mib = (kib: number) => (kib / 1024).toFixed(0);

const bench: Bench = async () => {
  let server: BenchPostgres | null = null;
  if (process.env.CVDESK_SOAK_ENGINE === 'postgres' && !process.env.CVDESK_SOAK_DATABASE_URL) {
    const missing = postgresMissing();
    if (missing) return [{ name: 'soak: mixed traffic, postgres', opsPerSec: null, note: missing }];
    server = await startPostgres();
  }
  const databaseUrl = process.env.CVDESK_SOAK_DATABASE_URL ?? server?.url;
  const engine = databaseUrl ? 'postgres' : 'pglite';
  const desk = await startSoakDesk(databaseUrl ? { databaseUrl } : {}).catch(async (e: unknown) => {
    await server?.stop();
    throw e;
  });
  try {
    process.stderr.write(`soak: ${SECONDS} s, ${WORKERS} loops, ${engine}, RSS every 5 s\n`);
    const r = await soak(desk, { seconds: SECONDS, workers: WORKERS, sampleSeconds: 5, onSample: (t, kib) => process.stderr.write(`  ${t.toFixed(0)} s: RSS ${mib(kib)} MiB\n`) });
    const trend = rssTrend(r.rss, r.seconds);
    for (const e of r.errors.slice(0, 5)) process.stderr.write(`  error: ${e.kind} ${e.url} → ${e.status ?? 'no answer'} ${e.detail}\n`);
    const kinds = Object.entries(r.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    const row: BenchResult = {
      name: `soak: mixed traffic, ${engine}, ${Math.round(r.seconds)} s`,
      opsPerSec: r.requests / r.seconds,
      p50Ms: percentile(r.latenciesMs, 50),
      p95Ms: percentile(r.latenciesMs, 95),
      p99Ms: percentile(r.latenciesMs, 99),
      ratio: trend.lastKiB / trend.firstKiB,
      note:
        `${r.errors.length} errors in ${r.requests} requests (${kinds}); RSS first ${Math.round(trend.windowSeconds)} s ${mib(trend.firstKiB)} MiB, last ${mib(trend.lastKiB)} MiB ` +
        `(ratio = last ÷ first), slope ${(trend.slopeKiBPerMin / 1024).toFixed(2)} MiB/min, max ${mib(Math.max(...r.rss.map(([, k]) => k)))} MiB`,
    };
    return [row];
  } finally {
    await desk.close();
    await server?.stop();
  }
};

export default bench;
