import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { percentile } from '../measure.js';

/** How hard and how long the HTTP benchmarks load a server; the issue's 50 connections and ~10 s by default. */
export interface LoadSettings {
  connections: number;
  /** Seconds measured per case. */
  durationS: number;
  /** Seconds of the same load before each measured case (not counted). */
  warmupS: number;
}

/** CVDESK_BENCH_CONNECTIONS, CVDESK_BENCH_DURATION and CVDESK_BENCH_WARMUP (seconds), else 50, 10, 2. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): LoadSettings {
  const num = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, not "${raw}"`);
    return n;
  };
  return { connections: Math.round(num('CVDESK_BENCH_CONNECTIONS', 50, 1)), durationS: num('CVDESK_BENCH_DURATION', 10, 1), warmupS: num('CVDESK_BENCH_WARMUP', 2, 0) };
}

export interface LoadRequest {
  /** The server's base URL (http://127.0.0.1:<port>) */
  url: string;
  path: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadResult {
  /** Answers received in the measured seconds, of any status. */
  requests: number;
  ok2xx: number;
  non2xx: number;
  /** Count per status code, e.g. { "201": 4123, "429": 10 }. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts (requests without an answer). */
  errors: number;
  timeouts: number;
  durationS: number;
  /** 2xx answers per second: what the server got done. */
  okPerSec: number;
  /** Latency of every answer (ms), from the request's first byte sent to the answer's last received. */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function once(req: LoadRequest, connections: number, durationS: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: req.url + req.path,
        method: req.method ?? 'GET',
        body: req.body,
        headers: req.headers,
        connections,
        duration: durationS,
      },
      (err, result) => {
        if (err) return reject(err);
        const ok2xx = Object.entries(statuses).reduce((n, [code, count]) => (code.startsWith('2') ? n + count : n), 0);
        resolve({
          requests: latencies.length,
          ok2xx,
          non2xx: latencies.length - ok2xx,
          statuses,
          errors: result.errors,
          timeouts: result.timeouts,
          durationS: result.duration,
          okPerSec: ok2xx / result.duration,
          p50Ms: percentile(latencies, 50),
          p95Ms: percentile(latencies, 95),
          p99Ms: percentile(latencies, 99),
        });
      },
    );
    // autocannon's instance passes each answer on (its types name the event on the client only)
    (instance as unknown as EventEmitter).on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
    });
  });
}

/** A warm-up (when settings.warmupS > 0), then the measured load. */
export async function runLoad(req: LoadRequest, settings: LoadSettings): Promise<LoadResult> {
  if (settings.warmupS > 0) await once(req, settings.connections, settings.warmupS);
  return once(req, settings.connections, settings.durationS);
}

/** "41,230 answers in 10.0 s" and, when there were any, the non-2xx answers by status and the errors: a case with errors says so. */
export function describeLoad(r: LoadResult): string {
  const parts = [`${r.requests.toLocaleString('en')} answers in ${r.durationS.toFixed(1)} s`];
  if (r.non2xx > 0) {
    const codes = Object.entries(r.statuses)
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, n]) => `${n} × ${code}`)
      .join(', ');
    parts.push(`ERRORS: ${r.non2xx} non-2xx (${codes})`);
  }
  if (r.errors > 0) parts.push(`ERRORS: ${r.errors} connection errors${r.timeouts ? ` (${r.timeouts} timeouts)` : ''}`);
  if (r.non2xx === 0 && r.errors === 0) parts.push('all 2xx');
  return parts.join('; ');
}
