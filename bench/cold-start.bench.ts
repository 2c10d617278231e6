import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, type Bench, type BenchResult } from './measure.js';
import type { ChildServer } from './support/child-server.js';
import { describeLoad, loadSettings, runLoad, type LoadResult } from './support/load.js';
import { INTAKE_LIMITS_ENV, limitsNote } from './support/rate-limits.js';
import { REPORT_BODY } from './support/report-body.js';
import { ensureBuilt, startBare, startCvdesk } from './support/servers.js';

/**
 * Cold start: from spawning the process to the first 200 on /, for `cvdesk serve` on PGlite with
 * a fresh data folder (migrations, secret key, first security.txt) and with one that holds the
 * reports of an intake load, and for the bare Fastify reference; the median of
 * CVDESK_BENCH_STARTS starts (3). Memory: RSS (VmRSS) right after the first 200, and after the
 * intake load (POST /api/v1/reports, the intake benchmark's connections and duration).
 */
const STARTS = Number(process.env.CVDESK_BENCH_STARTS ?? 3);
const MiB = (b: number | null) => (b === null ? '—' : `${(b / 2 ** 20).toFixed(0)} MiB`);

interface Starts {
  ms: number[];
  rss: Array<number | null>;
}

/** STARTS starts of what `start(i)` spawns, each stopped again, except the last one, which is returned running. */
async function timeStarts(start: (i: number) => Promise<ChildServer>): Promise<Starts & { last: ChildServer }> {
  const ms: number[] = [];
  const rss: Array<number | null> = [];
  for (let i = 0; ; i++) {
    const server = await start(i);
    ms.push(server.readyMs);
    rss.push(await server.rssBytes());
    if (i === STARTS - 1) return { ms, rss, last: server };
    await server.stop();
  }
}

const timesNote = (s: Starts) => `first 200 on / after ${percentile(s.ms, 50).toFixed(0)} ms (median of ${s.ms.map((m) => m.toFixed(0)).join(', ')} ms); RSS ${MiB(s.rss.at(-1) ?? null)} after start`;

const bench: Bench = async () => {
  const settings = loadSettings();
  await ensureBuilt();
  const work = mkdtempSync(join(tmpdir(), 'cvdesk-bench-cold-'));
  const intake = (server: ChildServer) => runLoad({ url: server.url, path: '/api/v1/reports', method: 'POST', body: REPORT_BODY, headers: { 'content-type': 'application/json' } }, settings);
  const afterLoad = async (server: ChildServer): Promise<{ load: LoadResult; rss: number | null }> => {
    try {
      const load = await intake(server);
      return { load, rss: await server.rssBytes() };
    } finally {
      await server.stop();
    }
  };
  try {
    const bare = await timeStarts(() => startBare({ logFile: join(work, 'bare.log') }));
    const bareLoad = await afterLoad(bare.last);
    const bareMs = percentile(bare.ms, 50);
    const rows: BenchResult[] = [
      {
        name: 'cold start: bare Fastify',
        opsPerSec: null,
        p50Ms: bareMs,
        note: `${timesNote(bare)}, ${MiB(bareLoad.rss)} after ${settings.durationS} s of intake load (${describeLoad(bareLoad.load)})`,
      },
    ];

    const dataDir = (i: number) => join(work, `data-${i}`);
    const fresh = await timeStarts((i) => startCvdesk({ dataDir: dataDir(i), logFile: join(work, 'cvdesk.log'), env: INTAKE_LIMITS_ENV }));
    const freshLoad = await afterLoad(fresh.last);
    rows.push({
      name: 'cold start: cvdesk serve, PGlite, fresh data folder',
      opsPerSec: null,
      p50Ms: percentile(fresh.ms, 50),
      ratio: percentile(fresh.ms, 50) / bareMs,
      note: `${timesNote(fresh)} (migrations included), ${MiB(freshLoad.rss)} after ${settings.durationS} s of intake load (${describeLoad(freshLoad.load)}; ${limitsNote(freshLoad.load)})`,
    });

    const full = dataDir(STARTS - 1);
    const reopened = await timeStarts(() => startCvdesk({ dataDir: full, logFile: join(work, 'cvdesk.log'), env: INTAKE_LIMITS_ENV }));
    await reopened.last.stop();
    rows.push({
      name: 'cold start: cvdesk serve, PGlite, data folder with reports',
      opsPerSec: null,
      p50Ms: percentile(reopened.ms, 50),
      ratio: percentile(reopened.ms, 50) / bareMs,
      note: `${timesNote(reopened)}; the folder holds the ${freshLoad.load.ok2xx.toLocaleString('en')} reports of the load`,
    });
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

export default bench;
