import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { freePort, rssKiBOf } from '../../test/support/serve-process.js';

/**
 * An HTTP server in a child process, as the HTTP benchmarks start them (cvdesk serve, the bare
 * Fastify reference): spawned, timed to its first 200, its memory read from /proc, stopped with
 * SIGTERM. Its output goes to a log file (a real desk logs to a file or the journal, not to a pipe
 * its load generator has to drain). The tests' `startServe` (test/support/serve-process.ts) runs
 * `cvdesk serve` alone and waits for a line of its output; this one times any server to an HTTP 200.
 */
export interface ChildServer {
  /** http://127.0.0.1:<port> */
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first 200 on the ready path. */
  readyMs: number;
  /** The child's resident memory in bytes (VmRSS of /proc/<pid>/status), or null off Linux. */
  rssBytes(): Promise<number | null>;
  /** What the child wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then the exit code (SIGKILL after 20 s without exit, code null). */
  stop(): Promise<number | null>;
}

export interface ChildServerOptions {
  /** The node arguments (script and its arguments); run by this process's node. */
  args: string[];
  env: Record<string, string>;
  port: number;
  cwd: string;
  /** Where the output goes. */
  logFile: string;
  readyPath?: string;
  timeoutMs?: number;
}

export { freePort };

/** VmRSS of a process in bytes, or null when /proc has none (not Linux, or the process ended). */
export async function rssOf(pid: number): Promise<number | null> {
  const kib = rssKiBOf(pid);
  return kib === null ? null : kib * 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

export async function startChildServer(o: ChildServerOptions): Promise<ChildServer> {
  const url = `http://127.0.0.1:${o.port}`;
  const fd = openSync(o.logFile, 'a');
  const start = performance.now();
  const child = spawn(process.execPath, o.args, { cwd: o.cwd, env: o.env, stdio: ['ignore', fd, fd] });
  closeSync(fd); // the child holds its own copy
  const output = () => readFileSync(o.logFile, 'utf8');
  const exited = exitOf(child);
  let gone = false;
  void exited.then(() => (gone = true));
  const stop = async (): Promise<number | null> => {
    if (gone) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  const deadline = start + (o.timeoutMs ?? 120_000);
  let readyMs: number | null = null;
  while (readyMs === null) {
    if (gone) throw new Error(`${o.args.join(' ')} exited (code ${child.exitCode}) before answering:\n${output().slice(-4000)}`);
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`${o.args.join(' ')} did not answer 200 on ${o.readyPath ?? '/'} within ${o.timeoutMs ?? 120_000} ms:\n${output().slice(-4000)}`);
    }
    const status = await fetch(url + (o.readyPath ?? '/'), { signal: AbortSignal.timeout(5000) }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
      () => null,
    );
    if (status === 200) readyMs = performance.now() - start;
    else await sleep(10);
  }
  return { url, pid: child.pid!, readyMs, rssBytes: () => rssOf(child.pid!), output, stop };
}
