import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest } from '../src/adapters/db/migrate.js';
import { openDatabase, type Database } from '../src/adapters/db/open-database.js';
import { loadPolicy } from '../src/app/load-policy.js';
import { parseAdvisory } from '../src/domain/advisories/parse-advisory.js';
import { TEMPLATE_ADVISORY } from '../scripts/seed.js';
import { Random } from '../scripts/seed/random.js';
import { freezePublished, seedDatabase } from '../scripts/seed/seed-database.js';
import { percentile, type Bench, type BenchResult } from './measure.js';
import { postgresMissing, startPostgres, type BenchPostgres } from './support/postgres.js';
import { BENCH_BASE_URL, memberCookie, startInProcessDesk, type InProcessDesk } from './support/scale-desk.js';

/**
 * Issue #7, scale: with 100,000 reports, 10,000 advisories and 50,000 image tags seeded
 * (scripts/seed.ts), the server time of the team inbox, the overdue view and the tag status
 * endpoint, against a trivial route of the same desk (a signed-in member's account page), on
 * PGlite and on PostgreSQL. Server time is measured in-process around app.inject: no network, no
 * client. Each case is REQUESTS requests with varied parameters, one at a time.
 *
 * The seeded PGlite folder is kept for the next run (CVDESK_BENCH_DIR, default a folder under the
 * system's temp dir): seeding 100,000 reports into PGlite takes many minutes. PostgreSQL is seeded
 * afresh each run.
 */
const SIZES = {
  reports: Number(process.env.CVDESK_BENCH_SCALE_REPORTS ?? 100_000),
  advisories: Number(process.env.CVDESK_BENCH_SCALE_ADVISORIES ?? 10_000),
  tags: Number(process.env.CVDESK_BENCH_SCALE_TAGS ?? 50_000),
};
const REQUESTS = Number(process.env.CVDESK_BENCH_SCALE_REQUESTS ?? 200);
/** A case stops early (and says so) once it has run this long: a slow case must not hold the run for hours. */
const BUDGET_MS = Number(process.env.CVDESK_BENCH_SCALE_BUDGET_SECONDS ?? 300) * 1000;
const ENGINES = (process.env.CVDESK_BENCH_SCALE_ENGINES ?? 'pglite,postgres').split(',').map((e) => e.trim());
/** Only the cases whose name contains one of these words (comma-separated); the reference always runs. */
const ONLY = (process.env.CVDESK_BENCH_SCALE_CASES ?? '').split(',').map((w) => w.trim()).filter(Boolean);
const SEED = 7;
const POLICY = 'examples/policies/mautic-docker.yaml';
const REPO = 'docker.io/mautic/mautic';

async function seed(database: Database, now: Date): Promise<string> {
  const policy = await loadPolicy(POLICY);
  const template = parseAdvisory(await readFile(TEMPLATE_ADVISORY, 'utf8'), TEMPLATE_ADVISORY);
  if (!template.ok) throw new Error('the template advisory does not parse');
  await migrateToLatest(database.db);
  const started = performance.now();
  await seedDatabase(database.db, { ...SIZES, now, seed: SEED, policy, template: template.advisory, baseUrl: BENCH_BASE_URL, progress: (m) => console.error(`  seed: ${m}`) });
  return `seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`;
}

/** The seeded PGlite folder, made once per size and seed. */
async function pgliteDatabase(): Promise<{ database: Database; note: string }> {
  const root = process.env.CVDESK_BENCH_DIR ?? join(tmpdir(), 'cvdesk-bench');
  const dir = join(root, `scale-pglite-${SIZES.reports}-${SIZES.advisories}-${SIZES.tags}-${SEED}`);
  const marker = join(dir, 'seeded-at');
  if (existsSync(marker)) {
    const at = (await readFile(marker, 'utf8')).trim();
    const database = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'db') });
    await migrateToLatest(database.db);
    // a folder seeded before the seed froze its advisories is frozen now, as the desk's publish job would
    await freezePublished(database.db, await loadPolicy(POLICY), BENCH_BASE_URL, (m) => console.error(`  seed: ${m}`));
    return { database, note: `seeded ${at}, reused` };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const database = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'db') });
  const now = new Date();
  const note = await seed(database, now);
  await writeFile(marker, now.toISOString());
  return { database, note };
}

interface Case {
  name: string;
  urls: string[];
  /** With the member's session cookie. */
  signedIn: boolean;
}

function cases(tags: readonly string[]): Case[] {
  const rnd = new Random(99);
  const states = ['', 'open', 'received', 'acknowledged', 'waiting_on_reporter', 'accepted', 'fixing', 'fixed', 'rejected', 'disclosed'];
  const severities = ['', '', '', 'low', 'medium', 'high', 'critical', 'unrated'];
  const channels = ['', '', '', 'web', 'api', 'email', 'github', 'gitlab'];
  const query = (q: Record<string, string>) => {
    const s = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== '')).toString();
    return s ? `?${s}` : '';
  };
  const n = (make: (i: number) => string) => Array.from({ length: REQUESTS }, (_, i) => make(i));
  return [
    { name: 'reference: GET /team/account', signedIn: true, urls: n(() => '/team/account') },
    { name: 'team inbox: GET /team', signedIn: true, urls: n((i) => `/team${i % 4 === 0 ? '' : query({ state: rnd.pick(states), severity: rnd.pick(severities), channel: rnd.pick(channels) })}`) },
    { name: 'overdue: GET /team?due=overdue', signedIn: true, urls: n((i) => `/team${query({ due: 'overdue', ...(i % 2 ? { severity: rnd.pick(severities), channel: rnd.pick(channels) } : {}) })}`) },
    { name: 'tag status: GET /api/v1/images/…/status', signedIn: false, urls: n(() => `/api/v1/images/${REPO}/tags/${rnd.pick(tags)}/status`) },
  ];
}

async function measureCase(desk: InProcessDesk, cookie: string, c: Case): Promise<{ times: number[]; failures: string[]; slowest: string }> {
  const times: number[] = [];
  let slowest = { ms: 0, url: '' };
  const failures: string[] = [];
  const headers = c.signedIn ? { cookie } : {};
  await desk.app.inject({ method: 'GET', url: c.urls[0]!, headers }); // warm-up
  const began = performance.now();
  for (const url of c.urls) {
    if (performance.now() - began > BUDGET_MS) break;
    const start = performance.now();
    const res = await desk.app.inject({ method: 'GET', url, headers });
    const ms = performance.now() - start;
    times.push(ms);
    if (ms > slowest.ms) slowest = { ms, url };
    if (res.statusCode !== 200) failures.push(`${res.statusCode} ${url}`);
  }
  return { times, failures, slowest: `${slowest.ms.toFixed(0)} ms ${slowest.url}` };
}

async function runEngine(engine: 'pglite' | 'postgres'): Promise<BenchResult[]> {
  let pg: BenchPostgres | null = null;
  let database: Database;
  let seeded: string;
  if (engine === 'postgres') {
    pg = await startPostgres();
    database = await openDatabase({ kind: 'postgres', url: pg.url });
    seeded = await seed(database, new Date());
  } else {
    ({ database, note: seeded } = await pgliteDatabase());
  }
  try {
    const desk = await startInProcessDesk(database, new Date());
    try {
      const cookie = await memberCookie(desk);
      const tags = (await database.db.selectFrom('image_tags').select('tag').where('repository', '=', REPO).execute()).map((t) => t.tag);
      const rows: BenchResult[] = [];
      let reference = Number.NaN;
      for (const c of cases(tags).filter((c) => ONLY.length === 0 || c.name.startsWith('reference') || ONLY.some((w) => c.name.includes(w)))) {
        console.error(`  ${engine}: ${c.name}`);
        const { times, failures, slowest } = await measureCase(desk, cookie, c);
        const p95 = percentile(times, 95);
        if (c.name.startsWith('reference')) reference = p95;
        const mean = times.reduce((s, t) => s + t, 0) / times.length;
        console.error(`    ${times.length} requests: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, slowest ${slowest}${failures.length ? `, ${failures.length} not 200 (${failures[0]})` : ''}`);
        rows.push({
          name: `scale ${engine}: ${c.name}`,
          opsPerSec: 1000 / mean,
          p50Ms: percentile(times, 50),
          p95Ms: p95,
          p99Ms: percentile(times, 99),
          ...(c.name.startsWith('reference') ? {} : { ratio: p95 / reference }),
          note: `${times.length} requests${times.length < c.urls.length ? ` (of ${c.urls.length}: the ${BUDGET_MS / 1000} s budget ran out)` : ''} one at a time, server time in-process (app.inject); ratio = p95 ÷ reference p95; ${SIZES.reports} reports, ${SIZES.advisories} advisories, ${tags.length} tags (${seeded})${failures.length ? `; ${failures.length} NOT 200, e.g. ${failures[0]}` : ''}`,
        });
      }
      return rows;
    } finally {
      await desk.close();
    }
  } finally {
    await database.close();
    await pg?.stop();
  }
}

const bench: Bench = async () => {
  const rows: BenchResult[] = [];
  if (ENGINES.includes('pglite')) rows.push(...(await runEngine('pglite')));
  if (ENGINES.includes('postgres')) {
    const missing = postgresMissing();
    if (missing) rows.push({ name: 'scale postgres', opsPerSec: null, note: missing });
    else rows.push(...(await runEngine('postgres')));
  }
  return rows;
};

export default bench;
