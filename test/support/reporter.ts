import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * Helpers for the reporter's side in tests: multipart bodies built by hand (so a test can send
 * exact bytes, broken UTF-8 included), the CSRF dance of a real browser, and cookie jars.
 */
export type Part = { name: string; value: string | Buffer } | { name: string; filename: string; contentType: string; data: Buffer };

export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----cvdesk${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('filename' in p) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.contentType}\r\n\r\n`), p.data);
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n`), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value, 'utf8'));
    }
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** name=value pairs of every Set-Cookie header, to send back as a Cookie header. */
export function cookiesOf(r: LightMyRequestResponse): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = r.headers['set-cookie'];
  for (const c of Array.isArray(raw) ? raw : raw ? [raw] : []) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    out[pair!.slice(0, eq)] = pair!.slice(eq + 1);
  }
  return out;
}

export const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** The form's CSRF token as the page rendered it. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1]!;
}

let nextIp = 1;
/** A fresh client address per call, so that per-IP rate limits of one test do not spill into the next. */
export const freshIp = () => `10.9.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;

/**
 * Opens a form page like a browser (keeping its cookies) and posts multipart parts to it with
 * that page's CSRF token. Returns the answer and the cookie jar.
 */
export async function postForm(
  app: FastifyInstance,
  pageUrl: string,
  postUrl: string,
  parts: Part[],
  opts: { jar?: Record<string, string>; ip?: string; withCsrf?: boolean } = {},
): Promise<{ res: LightMyRequestResponse; jar: Record<string, string> }> {
  const ip = opts.ip ?? freshIp();
  const jar = { ...(opts.jar ?? {}) };
  const page = await app.inject({ url: pageUrl, headers: { cookie: cookieHeader(jar) }, remoteAddress: ip });
  Object.assign(jar, cookiesOf(page));
  const csrf = opts.withCsrf === false ? [] : [{ name: '_csrf', value: csrfOf(page.body) }];
  const body = multipart([...csrf, ...parts]);
  const res = await app.inject({ method: 'POST', url: postUrl, payload: body.payload, headers: { ...body.headers, cookie: cookieHeader(jar) }, remoteAddress: ip });
  Object.assign(jar, cookiesOf(res));
  return { res, jar };
}

/** The tracking link on the "report received" page. */
export function trackingLinkOf(html: string): string {
  const m = /id="tracking-link">([^<]+)</.exec(html);
  if (!m) throw new Error('no tracking link on the page');
  return m[1]!;
}

/** Every value of every column of every row of a table, as text (to search for a secret). */
export const everyValue = (rows: unknown[]): string => JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
