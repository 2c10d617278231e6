import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (closed again, for a child process to listen on). */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * The rate limits raised for load from one address (127.0.0.1) in tests and benchmarks: report
 * submission, the reporter's view and sign-in, per address and overall. The desk's defaults are
 * untouched; only a process started with these allows that much.
 */
export const LOAD_LIMITS: Record<string, string> = Object.fromEntries(
  ['SUBMIT', 'REPORTER', 'LOGIN'].flatMap((s) => [
    [`CVDESK_LIMIT_${s}_PER_ADDRESS`, '1000000'],
    [`CVDESK_LIMIT_${s}_OVERALL`, '1000000'],
  ]),
);

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Sends a signal (SIGKILL by default) unless the process has already ended, and waits for its end. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Resident memory in KiB (VmRSS of /proc/<pid>/status), or null once ended or off Linux. */
  rssKiB(): number | null;
}

/**
 * The real `cvdesk serve` (bin/cvdesk.js over the built dist/, as `npm start` runs it) in a child
 * process, started with only PATH and the given environment. Waits until its output contains
 * `ready` (by default the line printed once the web server listens); a start that fails or takes
 * longer than `timeoutMs` is killed and reported with its output.
 */
export async function startServe(env: Record<string, string>, opts: { ready?: string; timeoutMs?: number } = {}): Promise<ServeProcess> {
  const ready = opts.ready ?? 'cvdesk is serving';
  const child = spawn(process.execPath, ['bin/cvdesk.js', 'serve'], { env: { PATH: process.env.PATH, CVDESK_LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  while (!out.includes(ready) && running() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (!out.includes(ready)) {
    if (running()) child.kill('SIGKILL');
    await exited;
    throw new Error(`cvdesk serve did not get ready ("${ready}"):\n${out}`);
  }
  return {
    child,
    output: () => out,
    exited,
    kill: async (signal = 'SIGKILL') => {
      if (running()) child.kill(signal);
      await exited;
    },
    rssKiB: () => rssKiBOf(child.pid!),
  };
}

/** Resident memory of a process in KiB (VmRSS of /proc/<pid>/status), or null when /proc has none (not Linux, or the process ended). */
export function rssKiBOf(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
