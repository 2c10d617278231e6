/**
 * What every rebuild trigger shares: the payload cvdesk sends (which tags drifted), the request a
 * trigger prepares (with a copy for the record that holds no secret), and sending it with retries
 * for transient failures. The secret (GitHub token, GitLab trigger token, webhook HMAC key) goes
 * into the request only; the record, the answer excerpt and every message are scrubbed of it.
 */

/** One supported tag whose base image moved. */
export interface DriftedTag {
  repository: string;
  tag: string;
  digest: string;
  baseName: string | null;
  recordedBaseDigest: string | null;
  currentBaseDigest: string | null;
}

export interface RebuildPayload {
  /** The rebuild run's id in cvdesk (rebuild_runs.id). */
  run: string;
  /** The schedule slot this run belongs to (ISO), null for a run an admin started. */
  slot: string | null;
  /** "drift": some supported tag's base moved; "scheduled": the policy rebuilds on every run. */
  reason: 'drift' | 'scheduled';
  source: 'schedule' | 'manual';
  /** The drifted tags by repository, e.g. {"docker.io/mautic/mautic": ["5.2.1-apache", "5-apache"]}. */
  images: Record<string, string[]>;
  drifted: DriftedTag[];
}

/** A request as sent, and as recorded. */
export interface PreparedRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
  /** What the run record keeps: the same request with every secret replaced by "[redacted]". */
  summary: RequestSummary;
  /** Names the other side in messages: "GitHub", "GitLab", "the webhook". */
  service: string;
  /** A clear sentence for a non-2xx answer. */
  explain(status: number, body: string): string;
}

export interface RequestSummary {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  /** The body, parsed when JSON or a form (so the page can show it readably), else text. */
  body: unknown;
}

export interface TriggerOutcome {
  ok: boolean;
  /** The last answer's status; null when no answer came (network error, timeout). */
  status: number | null;
  /** The start of the last answer's body, scrubbed of the secret. */
  bodyExcerpt: string | null;
  attempts: number;
  /** Null on success; otherwise what went wrong, in a sentence. */
  error: string | null;
}

export interface SendOptions {
  /** Waits before the 2nd, 3rd ... attempt (default 1 s, 4 s: three attempts in all). */
  retryDelaysMs?: readonly number[];
  /** Per attempt (default 15 s). */
  timeoutMs?: number;
  /** A Retry-After longer than this is not waited for (default 60 s). */
  maxRetryAfterMs?: number;
}

export const REDACTED = '[redacted]';
export const USER_AGENT = 'cvdesk-rebuild';
const EXCERPT_CHARS = 500;
const MAX_BODY_BYTES = 64 * 1024;
/** Answers worth another try: the other side is busy or briefly broken. */
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Removes every occurrence of the secret (and its URL-encoded form) from a text. */
export function scrub(text: string, secret: string): string {
  if (!secret) return text;
  let out = text.split(secret).join(REDACTED);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  return out;
}

/** The drifted tags grouped by repository, in a stable order. */
export function imagesOf(drifted: readonly DriftedTag[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of drifted) (out[d.repository] ??= []).push(d.tag);
  for (const tags of Object.values(out)) tags.sort();
  return out;
}

/** The "message" (or "error") GitHub and GitLab put in an error answer, if the body has one. */
export function messageOf(body: string): string | null {
  try {
    const json = JSON.parse(body) as { message?: unknown; error?: unknown };
    const m = json.message ?? json.error;
    if (typeof m === 'string') return m;
    if (m !== undefined) return JSON.stringify(m);
  } catch {
    // not JSON: no message
  }
  return null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readExcerpt(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8');
}

function retryAfter(res: Response): number | null {
  const v = res.headers.get('retry-after')?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function networkProblem(e: unknown, url: string, timeoutMs: number): string {
  const host = new URL(url).host;
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no answer from ${host} within ${Math.round(timeoutMs / 1000)} s`;
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return `could not reach ${host} (${code})`;
    cur = (cur as { cause?: unknown }).cause;
  }
  return `could not reach ${host}`;
}

/**
 * Sends the request: network errors, timeouts, 408, 429 and 5xx are tried again after the
 * configured waits (a 429's Retry-After is honoured when it is short); any other answer is final.
 * Redirects are not followed, so a token never travels to another address. Never throws.
 */
export async function sendTrigger(request: PreparedRequest, secret: string, options: SendOptions = {}): Promise<TriggerOutcome> {
  const delays = options.retryDelaysMs ?? [1_000, 4_000];
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  let attempts = 0;
  let last: TriggerOutcome = { ok: false, status: null, bodyExcerpt: null, attempts: 0, error: 'not sent' };
  for (;;) {
    attempts++;
    let wait: number | null = delays[attempts - 1] ?? null;
    try {
      const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      const text = scrub(await readExcerpt(res), secret);
      const excerpt = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, bodyExcerpt: excerpt, attempts, error: null };
      last = { ok: false, status: res.status, bodyExcerpt: excerpt, attempts, error: scrub(request.explain(res.status, text), secret) };
      if (!TRANSIENT_STATUS.has(res.status)) return last;
      const after = res.status === 429 || res.status === 503 ? retryAfter(res) : null;
      if (after !== null && wait !== null) {
        if (after > maxRetryAfterMs) return { ...last, error: `${last.error} It asked to wait ${Math.ceil(after / 1000)} s before trying again; cvdesk did not wait that long.` };
        wait = Math.max(wait, after);
      }
    } catch (e) {
      last = { ok: false, status: null, bodyExcerpt: null, attempts, error: `${request.service}: ${scrub(networkProblem(e, request.url, timeoutMs), secret)}.` };
    }
    if (wait === null) {
      return attempts > 1 ? { ...last, error: `${last.error} (gave up after ${attempts} attempts)` } : last;
    }
    await sleep(wait);
  }
}

/** Parses a JSON body for the record; a body that is not JSON is kept as text. */
export function jsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
