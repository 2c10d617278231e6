import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startChildServer, type ChildServer } from './child-server.js';

/** The repository's root (bench/support/../..). */
export const ROOT = resolve(import.meta.dirname, '..', '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ (`tsc -p tsconfig.build.json`, what `npm run build` does) when it is missing or older
 * than a file in src/, so that the benchmarks measure the code as it is.
 */
export async function ensureBuilt(): Promise<void> {
  const entry = join(ROOT, 'dist', 'cli', 'main.js');
  let built = 0;
  try {
    built = statSync(entry).mtimeMs;
  } catch {
    built = 0;
  }
  if (built > newestMtime(join(ROOT, 'src'))) return;
  // tsc writes dist/ even when it finds type errors (noEmitOnError is off): those are said, not fatal,
  // since other work in progress in the checkout may have them; no dist/ at all is fatal.
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }).catch(
    (e: Error & { stdout?: string }) => {
      if (!existsSync(entry)) throw new Error(`npm run build failed, so dist/ cannot be measured:\n${e.stdout ?? e.message}`);
      console.warn(`warning: npm run build reported errors; measuring what it emitted:\n${(e.stdout ?? e.message).slice(0, 2000)}`);
    },
  );
}

export interface CvdeskOptions {
  /** The embedded database's folder (PGlite), or */
  dataDir?: string;
  /** a PostgreSQL server instead. */
  databaseUrl?: string;
  /** Where the desk's log goes. */
  logFile: string;
  /** More environment (e.g. rate limits); wins over the defaults. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** The secret a benchmark desk on PostgreSQL runs with (throwaway servers only). */
const BENCH_SECRET = Buffer.alloc(32, 42).toString('base64');

/**
 * The real `cvdesk serve` (bin/cvdesk.js, the built dist/) in a child process on 127.0.0.1, with
 * the example policy, its default log level, and no traffic of its own to the outside world (the
 * image sync and the forge polls, which would reach docker.io and GitHub, are off).
 */
export async function startCvdesk(o: CvdeskOptions): Promise<ChildServer> {
  const port = await freePort();
  const database: Record<string, string> = o.databaseUrl ? { DATABASE_URL: o.databaseUrl, CVDESK_SECRET_KEY: BENCH_SECRET } : { CVDESK_DATA_DIR: o.dataDir ?? join(ROOT, 'data') };
  return startChildServer({
    args: [join(ROOT, 'bin', 'cvdesk.js'), 'serve'],
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOST: '127.0.0.1',
      PORT: String(port),
      CVDESK_POLICY: join(ROOT, 'examples', 'policies', 'mautic-docker.yaml'),
      CVDESK_IMAGE_SYNC_CRON: 'off',
      CVDESK_FORGE_POLL_CRON: 'off',
      ...database,
      ...o.env,
    },
    port,
    logFile: o.logFile,
    readyPath: '/',
    timeoutMs: o.timeoutMs,
  });
}

/** The bare Fastify reference (bench/support/bare-server.mjs), optionally serving the static answers of a routes file. */
export async function startBare(o: { routesFile?: string; logFile: string }): Promise<ChildServer> {
  const port = await freePort();
  return startChildServer({
    args: [join(ROOT, 'bench', 'support', 'bare-server.mjs')],
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOST: '127.0.0.1', PORT: String(port), ...(o.routesFile ? { BARE_ROUTES_FILE: o.routesFile } : {}) },
    port,
    logFile: o.logFile,
    readyPath: '/',
  });
}
