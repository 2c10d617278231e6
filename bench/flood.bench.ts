import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Db } from '../src/adapters/db/open-database.js';
import { acceptInvitation } from '../src/app/accept-invitation.js';
import { inviteMember } from '../src/app/invite-member.js';
import { submitReport } from '../src/app/submit-report.js';
import { loadConfig } from '../src/config.js';
import { createContext, createLogger } from '../src/context.js';
import { reportFieldsSchema } from '../src/domain/reports/report-input.js';
import { reportInputOptions } from '../src/web/routes/report-form.js';
import { buildServer } from '../src/web/server.js';
import { percentile, type Bench, type BenchResult } from './measure.js';

/**
 * The team side under a flood (issue #7): a signed-in member reads the inbox (GET /team, one
 * request at a time) for a while with the desk quiet, then twice as long while a flood of report
 * submissions and sign-in attempts (RATE per second each, with a valid CSRF token, each from a
 * random address: X-Forwarded-For, the desk trusting one proxy) hits the desk with the default
 * rate limits in force. The desk runs in this process on an in-memory PGlite seeded with REPORTS
 * reports; the load generators run in worker threads. ratio = the inbox's p99 ÷ its p99 when quiet.
 */
const DURATION_MS = Number(process.env.CVDESK_BENCH_FLOOD_SECONDS ?? 15) * 1000;
const CONNECTIONS = 25;
/** Requests per second of each kind (submissions, sign-ins). */
const RATE = Number(process.env.CVDESK_BENCH_FLOOD_RATE ?? 100);
const REPORTS = 100;
const WORKER = fileURLToPath(new URL('./support/flood-worker.mjs', import.meta.url));
const PASSWORD = 'orchid lantern maple ninety';

const reportBody = JSON.stringify({
  title: 'Flood: secrets in the image layers',
  image: 'docker.io/mautic/mautic',
  tag: '5.2.1-apache',
  description: 'The build copies .env into a layer; docker history shows it. '.repeat(30),
});

function inWorker<T>(data: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { workerData: data });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

const flood: Bench = async () => {
  const config = loadConfig(
    { CVDESK_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'), CVDESK_TRUST_PROXY: '1', CVDESK_LOG_LEVEL: 'error', CVDESK_BASE_URL: 'http://127.0.0.1:8080' },
    process.cwd(),
  );
  const database = await openDatabase({ kind: 'pglite', dataDir: null });
  const ctx = await createContext(config, { database, log: createLogger('error'), mailer: null });
  const app = await buildServer(ctx);
  // Requests still running (sign-ins queued for their password check when the flood stopped) finish before the database closes.
  let running = 0;
  app.addHook('onRequest', async () => void running++);
  app.addHook('onResponse', async () => void running--);
  try {
    const fields = reportFieldsSchema(reportInputOptions(ctx)).parse(JSON.parse(reportBody));
    for (let i = 0; i < REPORTS; i++) await submitReport(ctx, { fields: { ...fields, title: `Seeded report ${i}` }, attachments: [], channel: 'api' });
    const invited = await inviteMember(ctx, { invitedBy: null, email: 'member@team.example', role: 'member' });
    if (invited.kind !== 'invited') throw new Error(`flood bench: invitation failed (${invited.kind})`);
    await acceptInvitation(ctx, { token: invited.url.split('/').at(-1)!, name: 'Bench Member', password: PASSWORD });

    const base = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
    const page = await fetch(`${base}/team/login`, { headers: { 'x-forwarded-for': '192.0.2.1' } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const csrfCookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const signIn = await fetch(`${base}/team/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.1' },
      body: new URLSearchParams({ _csrf: csrf, email: 'member@team.example', password: PASSWORD, next: '/team' }).toString(),
    });
    if (signIn.status !== 303) throw new Error(`flood bench: sign-in answered ${signIn.status}`);
    const cookie = [csrfCookie, ...signIn.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');

    type Team = { latencies: number[]; statuses: Record<string, number> };
    type Flood = { submit: Record<string, number>; login: Record<string, number>; perSec: number };
    const team = (): Promise<Team> => inWorker<Team>({ mode: 'team', base, durationMs: DURATION_MS, cookie });
    await inWorker<Team>({ mode: 'team', base, durationMs: 2000, cookie }); // warm-up
    const quiet = await team();
    const reportsBefore = await countReports(ctx.db);
    // The flood runs twice as long as each team measurement: the first one sees its start, when the limits let work through up to
    // their overall limits (reports stored, passwords checked); the second one the rest, when every request of the flood is refused.
    const flooding = inWorker<Flood>({ mode: 'flood', base, durationMs: 2 * DURATION_MS, connections: CONNECTIONS, rate: RATE, kinds: process.env.CVDESK_BENCH_FLOOD_KINDS?.split(','), reportBody, csrf, csrfCookie });
    const start = await team();
    const during = await team();
    const load = await flooding;
    const stored = (await countReports(ctx.db)) - reportsBefore;

    const ok = (t: Team) => t.statuses['200'] ?? 0;
    const row = (name: string, t: Team, extra: Partial<BenchResult>, note: string): BenchResult => ({
      name,
      opsPerSec: ok(t) / (DURATION_MS / 1000),
      p50Ms: percentile(t.latencies, 50),
      p95Ms: percentile(t.latencies, 95),
      p99Ms: percentile(t.latencies, 99),
      ...extra,
      note: `${note}; ${t.latencies.length} requests, ${ok(t)} answered 200`,
    });
    const limits = config.rateLimits;
    const ratio = (t: Team) => percentile(t.latencies, 99) / percentile(quiet.latencies, 99);
    const ratioNote = (t: Team) => `ratio = p99 ÷ quiet p99 (p50 ${(percentile(t.latencies, 50) / percentile(quiet.latencies, 50)).toFixed(2)}×)`;
    const describe = (what: string, s: Record<string, number>) => `${what}: ${s.answered} answered (${s['2xx']} 2xx, ${s['4xx']} 4xx: 429 or a failed sign-in, ${s['5xx']} 5xx), ${s.errors} errors, ${s.timeouts} timeouts`;
    return [
      row('flood: team inbox GET /team, desk quiet', quiet, {}, `one member, sequential, ${REPORTS} reports, PGlite in-process`),
      row('flood: team inbox GET /team, flood starting', start, { ratio: ratio(start) }, `first ${DURATION_MS / 1000} s of the flood: what the overall limits let through is being worked off; ${ratioNote(start)}`),
      row('flood: team inbox GET /team, flood refused', during, { ratio: ratio(during) }, `next ${DURATION_MS / 1000} s: the overall limits are reached; ${ratioNote(during)}`),
      {
        name: 'flood: the flood itself (submissions + sign-ins, random addresses)',
        opsPerSec: load.perSec,
        note: `${2 * CONNECTIONS} connections, ${RATE} submissions/s and ${RATE} sign-ins/s offered; ${describe('submissions', load.submit)}; ${describe('sign-ins', load.login)}; ${stored} reports stored (overall limit ${limits.submit.overall} per ${limits.submit.windowMs / 60_000} min; sign-in ${limits.login.overall} per ${limits.login.windowMs / 60_000} min)`,
      },
    ];
  } finally {
    for (let i = 0; i < 600 && running > 0; i++) await new Promise((r) => setTimeout(r, 100));
    await app.close();
    await ctx.close();
    await database.close();
  }
};

const countReports = async (db: Db) => Number((await db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

export default flood;
