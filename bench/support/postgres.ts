import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './child-server.js';

const run = promisify(execFile);

/** A throwaway PostgreSQL server on 127.0.0.1, as scripts/with-postgres.sh starts one for the tests. */
export interface BenchPostgres {
  /** postgres://cvdesk@127.0.0.1:<port>/postgres */
  url: string;
  version: string;
  /** The temp folder of its data, socket and log (removed by stop). */
  dir: string;
  stop(): Promise<void>;
}

/** The newest PostgreSQL server binaries of Debian's layout (/usr/lib/postgresql/<n>/bin), or null. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const dirs = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b));
  const newest = dirs.at(-1);
  return newest ? join(root, newest, 'bin') : null;
}

/** Why the PostgreSQL cases cannot run, or null when they can. */
export const postgresMissing = () => (postgresBinDir() ? null : 'PostgreSQL server binaries not found (apt-get install postgresql): skipped');

/**
 * initdb in a temp folder and pg_ctl start, with the settings of scripts/with-postgres.sh (trust
 * authentication on 127.0.0.1 only, no fsync: a benchmark of the desk, not of the disk). As root the
 * server runs as the postgres user, which PostgreSQL requires.
 */
export async function startPostgres(): Promise<BenchPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(postgresMissing()!);
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-bench-pg-'));
  const port = await freePort();
  const root = process.getuid?.() === 0;
  if (root) chownSync(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
  const as = (cmd: string, args: string[]) => (root ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args));
  const data = join(dir, 'data');
  const stop = async () => {
    await as('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await as('initdb', ['-D', data, '-U', 'cvdesk', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    await as('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', options, 'start']);
    const version = (await run(join(bin, 'postgres'), ['--version'])).stdout.trim().split(' ')[2] ?? '?';
    return { url: `postgres://cvdesk@127.0.0.1:${port}/postgres`, version, dir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
