/**
 * One HTTP exchange with a registry: the right scheme for the host, a per-attempt timeout, the
 * concurrency limit, retries for 429/5xx/dropped connections, and a bounded body. Auth lives a
 * layer up (auth.ts); nothing here sees or logs credentials, because error messages are built
 * only from the registry name, what was asked for and the status.
 */
import { AppError } from '../../app/errors.js';
import { readLimited } from '../http/read-limited.js';
import type { Limit } from './limit.js';
import { TRANSIENT_STATUS, backoffMs, isTransientNetworkError, networkErrorCode, retryAfterMs, sleep, type RetryPolicy } from './retry.js';

export interface RegistryLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface TransportOptions {
  /** host[:port] as configured, used in every message. */
  registry: string;
  timeoutMs: number;
  retry: RetryPolicy;
  limit: Limit;
  userAgent: string;
  log?: RegistryLog;
  signal?: AbortSignal;
}

export interface Exchange {
  method: 'GET' | 'HEAD';
  url: string;
  headers: Record<string, string>;
  maxBytes: number;
  /** "repository demo/app, manifest 1.0": what a message should name besides the registry. */
  what: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Uint8Array;
  url: string;
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|localhost|\[::1\]|::1)$/i;

/** The host part of host[:port] (IPv6 in brackets kept). */
export function hostOf(hostPort: string): string {
  if (hostPort.startsWith('[')) return hostPort.slice(0, hostPort.indexOf(']') + 1);
  return hostPort.replace(/:\d+$/, '');
}

export const isLoopback = (hostPort: string) => LOOPBACK.test(hostOf(hostPort));

/**
 * Loopback registries are spoken to over plain HTTP; any other only over HTTPS unless its host or
 * host:port is listed in plainHttp (a registry on a private network without TLS, by choice).
 */
export function schemeFor(hostPort: string, plainHttp: readonly string[] = []): 'http' | 'https' {
  const h = hostPort.toLowerCase();
  if (isLoopback(h)) return 'http';
  return plainHttp.some((p) => p.toLowerCase() === h || p.toLowerCase() === hostOf(h)) ? 'http' : 'https';
}

export function createTransport(options: TransportOptions) {
  const { registry, retry } = options;

  async function once(x: Exchange): Promise<Answer> {
    return options.limit(async () => {
      // the clock starts when the request goes out, not while it waits for a free slot
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      const res = await fetch(x.url, { method: x.method, headers: { 'user-agent': options.userAgent, ...x.headers }, signal, redirect: 'follow' });
      const body = x.method === 'HEAD' ? new Uint8Array() : await readLimited(res, x.maxBytes, () => new AppError('unreadable', `registry ${registry}, ${x.what}: the answer is larger than the ${formatBytes(x.maxBytes)} limit`));
      return { status: res.status, headers: res.headers, body, url: res.url || x.url };
    });
  }

  return async function exchange(x: Exchange): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      let answer: Answer | null = null;
      let failure: unknown = null;
      try {
        answer = await once(x);
      } catch (e) {
        if (e instanceof AppError) throw e;
        if (options.signal?.aborted) throw new AppError('unreadable', `registry ${registry}, ${x.what}: cancelled`);
        failure = e;
      }
      const last = attempt >= retry.retries;
      if (answer && !TRANSIENT_STATUS.has(answer.status)) return answer;
      if (answer) {
        const asked = answer.status === 429 ? retryAfterMs(answer.headers.get('retry-after'), Date.now()) : null;
        if (asked !== null && asked > retry.maxRetryAfterMs) {
          throw new AppError('unreadable', `registry ${registry} is rate limiting (429) ${x.what} and asks to wait ${Math.ceil(asked / 1000)} s; try again later`);
        }
        if (last) throw new AppError('unreadable', `registry ${registry} answered ${describeStatus(answer.status)} for ${x.what}${attempt ? ` (after ${attempt + 1} attempts)` : ''}`);
        const wait = asked ?? backoffMs(attempt, retry);
        options.log?.warn({ registry, what: x.what, status: answer.status, attempt: attempt + 1, waitMs: wait }, 'registry request will be retried');
        await sleep(wait, options.signal);
        continue;
      }
      const timedOut = isTimeout(failure);
      if (last || !(timedOut || isTransientNetworkError(failure))) {
        throw new AppError('unreadable', `registry ${registry} could not be reached for ${x.what}: ${describeFailure(failure, options.timeoutMs)}${attempt ? ` (after ${attempt + 1} attempts)` : ''}`);
      }
      const wait = backoffMs(attempt, retry);
      options.log?.warn({ registry, what: x.what, error: networkErrorCode(failure) ?? (timedOut ? 'timeout' : 'network'), attempt: attempt + 1, waitMs: wait }, 'registry request will be retried');
      await sleep(wait, options.signal);
    }
  };
}

const isTimeout = (e: unknown) => (e as { name?: string })?.name === 'TimeoutError' || networkErrorCode(e) === 'UND_ERR_HEADERS_TIMEOUT';

function describeFailure(e: unknown, timeoutMs: number): string {
  if (isTimeout(e)) return `no answer within ${timeoutMs} ms`;
  const code = networkErrorCode(e);
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    ECONNRESET: 'connection reset',
    EAI_AGAIN: 'DNS lookup failed',
    CERT_HAS_EXPIRED: 'TLS certificate expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
  };
  return code ? (known[code] ?? code) : 'network error';
}

export function describeStatus(status: number): string {
  const text: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
  return text[status] ? `${status} ${text[status]}` : String(status);
}


export const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : `${Math.round(n / 1024)} KiB`);
