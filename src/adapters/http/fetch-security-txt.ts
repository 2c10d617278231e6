import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { finding, type Finding } from '../../formats/security-txt/findings.js';

/**
 * Fetches a security.txt the way RFC 9116 section 3 says a reader finds it: https only, first
 * /.well-known/security.txt, then the legacy /security.txt (which earns a `location` error).
 * Redirects are followed by hand so that every hop can be held to https and counted.
 */

/** Real files are a few KiB (the largest of 30 real ones in our corpus is 2 KiB); 128 KiB leaves
 * room for long multilingual comments and a big signature while bounding what a hostile server
 * can make us hold in memory. */
export const DEFAULT_MAX_BYTES = 128 * 1024;
/** Per whole fetch (all paths and hops), like a reader that gives up rather than hangs. */
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_REDIRECTS = 5;

export type FetchFailureCode =
  | 'invalid_url'
  | 'invalid_uri_scheme'
  | 'no_security_txt'
  | 'invalid_cert'
  | 'too_large'
  | 'timeout'
  | 'too_many_redirects'
  | 'network';

export class SecurityTxtFetchError extends Error {
  constructor(
    readonly code: FetchFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecurityTxtFetchError';
  }
}

export interface FetchSecurityTxtOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Extra trusted CA certificate(s) in PEM, e.g. a test server's self-signed certificate. */
  ca?: string | Buffer | (string | Buffer)[];
  signal?: AbortSignal;
}

export interface FetchedSecurityTxt {
  bytes: Uint8Array;
  /** The URL the body came from (last hop). */
  url: string;
  /** Every URL requested on the way to the body, first to last. */
  chain: string[];
  /** The URLs a Canonical field should match: the first and the last of the chain (as DTC). */
  canonicalUrls: string[];
  contentType: string | null;
  /** Transport findings: location, no_content_type, invalid_media, invalid_charset. */
  findings: Finding[];
}

const WELL_KNOWN = '/.well-known/security.txt';
const LEGACY = '/security.txt';

/** `target` is a host name (optionally with port) or an https URL, of which only the origin is used. */
export async function fetchSecurityTxt(target: string, options: FetchSecurityTxtOptions = {}): Promise<FetchedSecurityTxt> {
  const origin = originOf(target);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const tried: string[] = [];
  for (const path of [WELL_KNOWN, LEGACY]) {
    const chain = [origin + path];
    for (;;) {
      const url = chain[chain.length - 1]!;
      const res = await get(url, options, signal, timeoutMs);
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        if (chain.length > (options.maxRedirects ?? DEFAULT_MAX_REDIRECTS)) {
          throw new SecurityTxtFetchError('too_many_redirects', `too many redirects from ${chain[0]}`);
        }
        const next = new URL(res.headers.location, url);
        if (next.protocol !== 'https:') {
          throw new SecurityTxtFetchError('invalid_uri_scheme', `invalid_uri_scheme: ${url} redirects to ${next.href}, which is not https`);
        }
        chain.push(next.href);
        continue;
      }
      if (res.status === 200 && res.body) {
        const findings: Finding[] = [];
        if (path === LEGACY) findings.push(finding('location', null));
        findings.push(...contentTypeFindings(res.headers['content-type']));
        const first = chain[0]!;
        return {
          bytes: res.body,
          url,
          chain,
          canonicalUrls: first === url ? [url] : [first, url],
          contentType: res.headers['content-type'] ?? null,
          findings,
        };
      }
      tried.push(`${url}: HTTP ${res.status}`);
      break;
    }
  }
  throw new SecurityTxtFetchError('no_security_txt', `no_security_txt: no security.txt found (${tried.join('; ')})`);
}

function originOf(target: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) && !/^[^:/]+:\d+$/.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new SecurityTxtFetchError('invalid_url', `not a URL: ${target}`);
    }
    if (url.protocol === 'http:') throw new SecurityTxtFetchError('invalid_uri_scheme', `invalid_uri_scheme: ${target} is http; security.txt must be fetched over https`);
    if (url.protocol !== 'https:' || !url.host) throw new SecurityTxtFetchError('invalid_url', `not an https URL: ${target}`);
    return url.origin;
  }
  try {
    const url = new URL(`https://${target}`);
    if (url.pathname !== '/' || url.search || url.username) throw new Error('not a host');
    return url.origin;
  } catch {
    throw new SecurityTxtFetchError('invalid_url', `not a host name or https URL: ${target}`);
  }
}

export function contentTypeFindings(header: string | undefined): Finding[] {
  if (header === undefined || header.trim() === '') return [finding('no_content_type', null)];
  const [media = '', ...params] = header.split(';');
  const out: Finding[] = [];
  if (media.trim().toLowerCase() !== 'text/plain') out.push(finding('invalid_media', null, { value: media.trim() }));
  for (const p of params) {
    const [k = '', v = ''] = p.split('=');
    if (k.trim().toLowerCase() !== 'charset') continue;
    const charset = v.trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'csutf8') out.push(finding('invalid_charset', null, { value: charset }));
  }
  return out;
}

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body?: Uint8Array;
}

const TLS_CODES = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)/;

function get(url: string, options: FetchSecurityTxtOptions, signal: AbortSignal, timeoutMs: number): Promise<Response> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise<Response>((resolve, reject) => {
    const fail = (e: unknown) => {
      if (e instanceof SecurityTxtFetchError) return reject(e);
      if (signal.aborted) return reject(new SecurityTxtFetchError('timeout', `timed out after ${timeoutMs} ms fetching ${url}`));
      const code = (e as { code?: string }).code ?? '';
      const msg = e instanceof Error ? e.message : String(e);
      if (TLS_CODES.test(code)) return reject(new SecurityTxtFetchError('invalid_cert', `invalid_cert: ${url}: ${msg}`));
      reject(new SecurityTxtFetchError('network', `${url}: ${msg}`));
    };
    const req = request(
      url,
      { method: 'GET', signal, headers: { accept: 'text/plain', 'user-agent': 'cvdesk-securitytxt-check' }, ...(options.ca ? { ca: options.ca } : {}) },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          res.resume();
          return resolve({ status, headers: res.headers });
        }
        const declared = Number(res.headers['content-length']);
        const tooLarge = () => new SecurityTxtFetchError('too_large', `${url} is larger than the limit of ${maxBytes} bytes`);
        if (Number.isFinite(declared) && declared > maxBytes) {
          req.destroy();
          return reject(tooLarge());
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy();
            reject(tooLarge());
          } else chunks.push(c);
        });
        res.on('end', () => resolve({ status, headers: res.headers, body: new Uint8Array(Buffer.concat(chunks)) }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end();
  });
}
