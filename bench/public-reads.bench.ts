import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench, BenchResult } from './measure.js';
import type { ChildServer } from './support/child-server.js';
import { describeLoad, loadSettings, runLoad } from './support/load.js';
import { seedPublishedAdvisories } from './support/seed-advisories.js';
import { ensureBuilt, startBare, startCvdesk } from './support/servers.js';

/**
 * Public reads: GET of security.txt, the advisory index, the Atom feed and the CSAF provider's
 * metadata, from the real `cvdesk serve` (PGlite, with a handful of published advisories) and
 * from the bare Fastify reference serving the desk's own answers as static bytes (same status,
 * type and size). ops/s counts 2xx answers; ratio = bare ÷ cvdesk.
 */
const PATHS = ['/.well-known/security.txt', '/advisories', '/advisories.atom', '/.well-known/csaf/provider-metadata.json'];
const ADVISORIES = Number(process.env.CVDESK_BENCH_ADVISORIES ?? 5);

async function staticCopy(desk: ChildServer, path: string): Promise<{ path: string; status: number; contentType: string; body: string }> {
  const r = await fetch(desk.url + path);
  const body = await r.text();
  if (r.status !== 200) throw new Error(`cvdesk answered ${r.status} for ${path}: ${body.slice(0, 500)}`);
  return { path, status: r.status, contentType: r.headers.get('content-type') ?? 'application/octet-stream', body };
}

const bench: Bench = async () => {
  const settings = loadSettings();
  await ensureBuilt();
  const work = mkdtempSync(join(tmpdir(), 'cvdesk-bench-reads-'));
  const dataDir = join(work, 'data');
  let desk: ChildServer | undefined;
  let bare: ChildServer | undefined;
  try {
    const idents = await seedPublishedAdvisories({ dataDir }, ADVISORIES);
    desk = await startCvdesk({ dataDir, logFile: join(work, 'cvdesk.log') });
    const routes = await Promise.all(PATHS.map((p) => staticCopy(desk!, p)));
    const routesFile = join(work, 'routes.json');
    writeFileSync(routesFile, JSON.stringify(routes));
    bare = await startBare({ routesFile, logFile: join(work, 'bare.log') });
    const rows: BenchResult[] = [];
    for (const route of routes) {
      const size = `${Buffer.byteLength(route.body).toLocaleString('en')} B`;
      const ref = await runLoad({ url: bare.url, path: route.path }, settings);
      const subject = await runLoad({ url: desk.url, path: route.path }, settings);
      rows.push({ name: `GET ${route.path}: bare Fastify (static copy)`, opsPerSec: ref.okPerSec, p50Ms: ref.p50Ms, p95Ms: ref.p95Ms, p99Ms: ref.p99Ms, note: `${describeLoad(ref)}; ${size}` });
      rows.push({
        name: `GET ${route.path}: cvdesk serve, PGlite`,
        opsPerSec: subject.okPerSec,
        p50Ms: subject.p50Ms,
        p95Ms: subject.p95Ms,
        p99Ms: subject.p99Ms,
        ...(subject.okPerSec > 0 ? { ratio: ref.okPerSec / subject.okPerSec } : {}),
        note: `${describeLoad(subject)}; ${size}; ${idents.length} published advisories; ${settings.connections} connections`,
      });
    }
    return rows;
  } finally {
    await bare?.stop();
    await desk?.stop();
    rmSync(work, { recursive: true, force: true });
  }
};

export default bench;
