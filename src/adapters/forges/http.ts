/**
 * One HTTP exchange with a forge API (GitHub, GitLab): a timeout for the whole exchange, redirects
 * followed by hand and only within the API's origin (a token must never travel to another host),
 * a bounded body decoded as strict UTF-8. Messages name the forge, what was asked and the status,
 * never a header: the token cannot reach a log or an error from here.
 */
import { AppError } from '../../app/errors.js';
import { readLimited } from '../http/read-limited.js';
import { nextLink } from '../registry/tags.js';

export { nextLink };

export const USER_AGENT = 'cvdesk';
export const DEFAULT_TIMEOUT_MS = 15_000;
/** One page of 100 advisories or issues with long descriptions stays well within this. */
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
const MAX_REDIRECTS = 3;

export interface ForgeHttpOptions {
  /** "GitHub" or "GitLab gitlab.example.org", for messages. */
  forge: string;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface ForgeRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** "the triage advisories of acme/app (page 2)": what a message names. */
  what: string;
}

export interface ForgeAnswer {
  status: number;
  headers: Headers;
  /** Where the body came from (after same-origin redirects). */
  url: string;
  text: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function forgeExchange(o: ForgeHttpOptions, r: ForgeRequest): Promise<ForgeAnswer> {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const origin = new URL(r.url).origin;
  let url = r.url;
  try {
    for (let hop = 0; ; hop++) {
      const res = await send(r, url, signal);
      if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
        await res.body?.cancel().catch(() => {});
        const next = new URL(res.headers.get('location')!, url);
        if (next.origin !== origin) throw new AppError('unreadable', `${o.forge}: ${r.what}: the answer redirects to another origin (${next.origin}); not following with the token`);
        if (hop >= MAX_REDIRECTS) throw new AppError('unreadable', `${o.forge}: ${r.what}: more than ${MAX_REDIRECTS} redirects`);
        url = next.href;
        continue;
      }
      const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
      const body = await readLimited(res, maxBytes, () => new AppError('unreadable', `${o.forge}: ${r.what}: the answer is larger than ${Math.round(maxBytes / 1024)} KiB`));
      let text: string;
      try {
        text = utf8.decode(body);
      } catch {
        throw new AppError('invalid_input', `${o.forge}: ${r.what}: the answer is not UTF-8 text`);
      }
      return { status: res.status, headers: res.headers, url, text };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('unreadable', `${o.forge}: ${r.what}: ${describeFailure(e, timeoutMs)}`);
  }
}

const STALE_SOCKET = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

/**
 * A GET is sent a second time when the connection it went out on turned out to be closed (a
 * keep-alive socket the server dropped while idle); a POST never is, since it may have arrived.
 */
async function send(r: ForgeRequest, url: string, signal: AbortSignal): Promise<Response> {
  const go = () => fetch(url, { method: r.method, headers: { 'user-agent': USER_AGENT, ...r.headers }, ...(r.body === undefined ? {} : { body: r.body }), redirect: 'manual', signal });
  try {
    return await go();
  } catch (e) {
    const code = (e as { cause?: { code?: string } })?.cause?.code;
    if (r.method !== 'GET' || signal.aborted || !code || !STALE_SOCKET.has(code)) throw e;
    return go();
  }
}

/** The answer's body as JSON, or a clear error naming what was asked. */
export function jsonOf(o: ForgeHttpOptions, r: Pick<ForgeRequest, 'what'>, a: ForgeAnswer): unknown {
  try {
    return JSON.parse(a.text);
  } catch {
    const type = a.headers.get('content-type') ?? 'no content type';
    throw new AppError('invalid_input', `${o.forge}: ${r.what}: the answer is not JSON (${type.slice(0, 80)}, ${a.text.length} characters)`);
  }
}

/** The "message" a forge puts in its error bodies, short and on one line, if any. */
export function forgeMessage(text: string): string | null {
  try {
    const j = JSON.parse(text) as { message?: unknown; error?: unknown };
    const m = typeof j.message === 'string' ? j.message : typeof j.error === 'string' ? j.error : null;
    return m ? m.replace(/\s+/g, ' ').slice(0, 200) : null;
  } catch {
    return null;
  }
}

function describeFailure(e: unknown, timeoutMs: number): string {
  const name = (e as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = (e as { cause?: { code?: string } })?.cause?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    ECONNRESET: 'connection reset',
    EAI_AGAIN: 'DNS lookup failed',
    UND_ERR_SOCKET: 'connection closed',
    CERT_HAS_EXPIRED: 'TLS certificate expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
  };
  return code ? `cannot be reached: ${known[code] ?? code}` : 'cannot be reached: network error';
}

