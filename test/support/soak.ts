import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest } from '../../src/adapters/db/migrate.js';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { startTestDesk } from './desk.js';
import { freePort, LOAD_LIMITS, startServe, type ServeProcess } from './serve-process.js';
import { createMember, type TestMember } from './team.js';

/**
 * The soak of issue #7: mixed traffic against a real `cvdesk serve` (report submissions, the
 * reporter's view, the team's pages with a signed-in member, the public reads), counting every
 * answer that is not the expected one and every broken connection, with the desk's memory (RSS)
 * sampled as it goes. Shared by bench/soak.bench.ts (minutes) and test/durability/soak.test.ts.
 */
export interface SoakDesk {
  serve: ServeProcess;
  base: string;
  member: TestMember;
  close(): Promise<void>;
}

/**
 * A desk on a fresh database (PGlite in a temp folder, or a PostgreSQL database when `databaseUrl`
 * is given) with one team member, made through the real use cases before `cvdesk serve` starts.
 */
export async function startSoakDesk(opts: { databaseUrl?: string } = {}): Promise<SoakDesk> {
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-soak-'));
  const secret = randomBytes(32).toString('base64');
  const database = await openDatabase(opts.databaseUrl ? { kind: 'postgres', url: opts.databaseUrl } : { kind: 'pglite', dataDir: join(dir, 'db') });
  let member: TestMember;
  try {
    await migrateToLatest(database.db);
    const desk = await startTestDesk({ database });
    member = await createMember(desk, { role: 'member' });
    await desk.close();
  } finally {
    await database.close();
  }
  const port = await freePort();
  const serve = await startServe({
    PORT: String(port),
    ...LOAD_LIMITS,
    CVDESK_IMAGE_SYNC_CRON: 'off',
    CVDESK_FORGE_POLL_CRON: 'off',
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl, CVDESK_SECRET_KEY: secret } : { CVDESK_DATA_DIR: dir }),
  });
  return {
    serve,
    base: `http://127.0.0.1:${port}`,
    member,
    close: async () => {
      await serve.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SoakError {
  kind: string;
  url: string;
  /** The status answered, or null for a failed connection. */
  status: number | null;
  detail: string;
}

export interface SoakResult {
  requests: number;
  byKind: Record<string, number>;
  errors: SoakError[];
  /** Each request's time to its answer's head, in milliseconds. */
  latenciesMs: number[];
  /** [seconds since start, RSS in KiB] */
  rss: Array<[number, number]>;
  seconds: number;
}

const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** Signs the member in through /team/login like a browser; returns the Cookie header. */
export async function signIn(base: string, member: TestMember): Promise<string> {
  const page = await fetch(`${base}/team/login`);
  const csrfCookie = cookiesOf(page);
  const res = await fetch(`${base}/team/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfIn(await page.text()), email: member.email, password: member.password, next: '/team' }).toString(),
  });
  const session = cookiesOf(res);
  if (res.status !== 303 || !session.includes('cvdesk_session=')) throw new Error(`sign-in answered ${res.status}`);
  return `${csrfCookie}; ${session}`;
}

const PUBLIC = ['/', '/policy', '/.well-known/security.txt', '/advisories', '/advisories.atom', '/.well-known/csaf/provider-metadata.json', '/report'];
const TAG_STATUS = '/api/v1/images/docker.io/mautic/mautic/tags/5.2.1-apache/status';

/**
 * Runs `workers` loops of mixed requests until `seconds` have passed, sampling the desk's RSS every
 * `sampleSeconds`. Each loop step picks one kind: a report by the API (a third with a file), the
 * reporter's view by API and by tracking link, the team inbox and a report's page, a public read,
 * or the tag status. An error is a failed connection or an answer other than the one expected.
 */
export async function soak(desk: SoakDesk, opts: { seconds: number; workers?: number; sampleSeconds?: number; onSample?: (s: number, rssKiB: number) => void }): Promise<SoakResult> {
  const { base } = desk;
  const team = await signIn(base, desk.member);
  const tokens: Array<{ token: string; number: number }> = [];
  const byKind: Record<string, number> = {};
  const errors: SoakError[] = [];
  const rss: Array<[number, number]> = [];
  const latenciesMs: number[] = [];
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  let n = 0;

  /** One request; its answer's status must be one of `expect`. Returns the answer or null. */
  const call = async (kind: string, path: string, expect: number[], init: RequestInit = {}): Promise<Response | null> => {
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    let res: Response;
    const t0 = performance.now();
    try {
      res = await fetch(`${base}${path}`, { redirect: 'manual', ...init });
      latenciesMs.push(performance.now() - t0);
    } catch (e) {
      errors.push({ kind, url: path, status: null, detail: (e as Error).cause ? String((e as Error).cause) : String(e) });
      return null;
    }
    if (!expect.includes(res.status)) {
      errors.push({ kind, url: path, status: res.status, detail: (await res.text().catch(() => '')).slice(0, 300) });
      return null;
    }
    return res;
  };
  const drain = async (res: Response | null) => void (await res?.arrayBuffer().catch(() => undefined));

  const steps: Array<() => Promise<void>> = [
    async () => {
      const i = n++;
      const body = {
        title: `Soak report ${i}`,
        description: `Found while soaking (${i}).\n${'The handler trusts the header. '.repeat(40).trimEnd()}`,
        reporterEmail: i % 2 ? `soak-${i}@example.net` : '',
        attachments: i % 3 === 0 ? [{ filename: `trace-${i}.txt`, contentType: 'text/plain', dataBase64: Buffer.from(`trace ${i}\n`.repeat(500)).toString('base64') }] : [],
      };
      const res = await call('submit', '/api/v1/reports', [201], { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res) return;
      const created = (await res.json()) as { token: string; number: number };
      tokens.push(created);
      if (tokens.length > 200) tokens.shift();
    },
    async () => {
      const t = tokens[Math.floor(Math.random() * tokens.length)];
      if (!t) return;
      await drain(await call('reporter-api', '/api/v1/reporter/report', [200], { headers: { authorization: `Bearer ${t.token}` } }));
      const link = await call('reporter-link', `/r/${t.token}`, [303]);
      if (!link) return;
      await drain(link);
      await drain(await call('reporter-page', '/report/status', [200], { headers: { cookie: cookiesOf(link) } }));
    },
    async () => {
      await drain(await call('team-inbox', '/team', [200], { headers: { cookie: team } }));
      const t = tokens[Math.floor(Math.random() * tokens.length)];
      if (t) await drain(await call('team-report', `/team/reports/${t.number}`, [200], { headers: { cookie: team } }));
    },
    async () => drain(await call('public', PUBLIC[Math.floor(Math.random() * PUBLIC.length)]!, [200])),
    async () => drain(await call('tag-status', TAG_STATUS, [200, 404])),
  ];

  const sampler = setInterval(() => {
    const kib = desk.serve.rssKiB();
    if (kib === null) return;
    rss.push([elapsed(), kib]);
    opts.onSample?.(elapsed(), kib);
  }, (opts.sampleSeconds ?? 5) * 1000);
  try {
    await Promise.all(
      Array.from({ length: opts.workers ?? 8 }, async (_, w) => {
        for (let k = w; elapsed() < opts.seconds; k++) await steps[k % steps.length]!();
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  const requests = Object.values(byKind).reduce((a, b) => a + b, 0);
  return { requests, byKind, errors, latenciesMs, rss, seconds: elapsed() };
}

/** Mean RSS of the first and the last window (a minute, or a third of a shorter run) and the least-squares slope. */
export function rssTrend(rss: ReadonlyArray<[number, number]>, seconds: number): { firstKiB: number; lastKiB: number; slopeKiBPerMin: number; windowSeconds: number } {
  const window = Math.min(60, seconds / 3);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  const firstKiB = mean(rss.filter(([t]) => t <= window).map(([, k]) => k));
  const lastKiB = mean(rss.filter(([t]) => t >= seconds - window).map(([, k]) => k));
  const mt = mean(rss.map(([t]) => t));
  const mk = mean(rss.map(([, k]) => k));
  const cov = rss.reduce((a, [t, k]) => a + (t - mt) * (k - mk), 0);
  const vt = rss.reduce((a, [t]) => a + (t - mt) ** 2, 0);
  return { firstKiB, lastKiB, slopeKiBPerMin: vt > 0 ? (cov / vt) * 60 : Number.NaN, windowSeconds: window };
}
