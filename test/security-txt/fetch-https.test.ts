import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchSecurityTxt, SecurityTxtFetchError, type FetchFailureCode } from '../../src/adapters/http/fetch-security-txt.js';
import { checkSecurityTxt } from '../../src/app/check-security-txt.js';
import { AppError } from '../../src/app/errors.js';

/** A real HTTPS server on 127.0.0.1 with a self-signed certificate made here by the openssl CLI. */
let haveOpenssl = true;
try {
  execFileSync('openssl', ['version'], { stdio: 'ignore' });
} catch {
  haveOpenssl = false;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let routes: Record<string, Handler> = {};
let server: Server;
let origin = '';
let ca = '';

const text = (body: string, type: string | null = 'text/plain; charset=utf-8', status = 200): Handler => (_req, res) => {
  res.writeHead(status, type === null ? {} : { 'content-type': type });
  res.end(body);
};
const redirect = (to: string, status = 301): Handler => (_req, res) => {
  res.writeHead(status, { location: to });
  res.end();
};
const GOOD = 'Contact: mailto:security@example.org\nExpires: 2027-01-01T00:00:00Z\nEncryption: https://example.org/key.asc\n';

async function failure(p: Promise<unknown>): Promise<FetchFailureCode | 'none'> {
  try {
    await p;
    return 'none';
  } catch (e) {
    if (e instanceof SecurityTxtFetchError) return e.code;
    throw e;
  }
}

(haveOpenssl ? describe : describe.skip)('fetchSecurityTxt against a local HTTPS server', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvdesk-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: ca }, (req, res) => {
      const h = routes[req.url ?? ''];
      if (h) h(req, res);
      else text('not found', 'text/plain', 404)(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    routes = {};
  });

  it('finds /.well-known/security.txt', async () => {
    routes['/.well-known/security.txt'] = text(GOOD);
    const f = await fetchSecurityTxt(origin, { ca });
    expect(new TextDecoder().decode(f.bytes)).toBe(GOOD);
    expect(f.findings).toEqual([]);
    expect(f.canonicalUrls).toEqual([`${origin}/.well-known/security.txt`]);
  });

  it('accepts a host:port target as well as a URL (only the origin counts)', async () => {
    routes['/.well-known/security.txt'] = text(GOOD);
    expect((await fetchSecurityTxt(origin.replace('https://', ''), { ca })).url).toBe(`${origin}/.well-known/security.txt`);
    expect((await fetchSecurityTxt(`${origin}/some/page`, { ca })).url).toBe(`${origin}/.well-known/security.txt`);
  });

  it('falls back to the legacy /security.txt with a location error', async () => {
    routes['/security.txt'] = text(GOOD);
    const f = await fetchSecurityTxt(origin, { ca });
    expect(f.url).toBe(`${origin}/security.txt`);
    expect(f.findings.map((x) => x.code)).toEqual(['location']);
  });

  it('follows a redirect chain; Canonical is matched against its first and last URL', async () => {
    routes['/.well-known/security.txt'] = redirect('/moved');
    routes['/moved'] = redirect(`${origin}/final/security.txt`, 302);
    const final = `${origin}/final/security.txt`;
    routes['/final/security.txt'] = text(GOOD + `Canonical: ${final}\n`);
    const f = await fetchSecurityTxt(origin, { ca });
    expect(f.chain).toEqual([`${origin}/.well-known/security.txt`, `${origin}/moved`, final]);
    expect(f.canonicalUrls).toEqual([`${origin}/.well-known/security.txt`, final]);
    const ok = await checkSecurityTxt({ source: { kind: 'url', url: origin }, now: new Date('2026-11-23T12:00:00Z'), fetch: { ca } });
    expect(ok.errors).toEqual([]);
    routes['/final/security.txt'] = text(GOOD + 'Canonical: https://elsewhere.example/.well-known/security.txt\n');
    const bad = await checkSecurityTxt({ source: { kind: 'url', url: origin }, now: new Date('2026-11-23T12:00:00Z'), fetch: { ca } });
    expect(bad.errors.map((e) => e.code)).toEqual(['no_canonical_match']);
  });

  it('refuses http, also as a redirect hop, and stops redirect loops', async () => {
    expect(await failure(fetchSecurityTxt('http://127.0.0.1/', { ca }))).toBe('invalid_uri_scheme');
    routes['/.well-known/security.txt'] = redirect('http://127.0.0.1/security.txt');
    expect(await failure(fetchSecurityTxt(origin, { ca }))).toBe('invalid_uri_scheme');
    routes['/.well-known/security.txt'] = redirect('/.well-known/security.txt');
    expect(await failure(fetchSecurityTxt(origin, { ca }))).toBe('too_many_redirects');
  });

  it('enforces the size limit, with and without Content-Length', async () => {
    routes['/.well-known/security.txt'] = text('#'.repeat(200 * 1024));
    expect(await failure(fetchSecurityTxt(origin, { ca }))).toBe('too_large');
    routes['/.well-known/security.txt'] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 10; i++) res.write('#'.repeat(1024) + '\n');
      res.end();
    };
    expect(await failure(fetchSecurityTxt(origin, { ca, maxBytes: 4096 }))).toBe('too_large');
    expect(await failure(fetchSecurityTxt(origin, { ca }))).toBe('none');
  });

  it('times out on a server that does not answer', async () => {
    routes['/.well-known/security.txt'] = () => undefined;
    const started = Date.now();
    expect(await failure(fetchSecurityTxt(origin, { ca, timeoutMs: 300 }))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('checks the Content-Type', async () => {
    routes['/.well-known/security.txt'] = text(GOOD, 'text/html; charset=ISO-8859-1');
    expect((await fetchSecurityTxt(origin, { ca })).findings.map((x) => x.code)).toEqual(['invalid_media', 'invalid_charset']);
    routes['/.well-known/security.txt'] = text(GOOD, null);
    expect((await fetchSecurityTxt(origin, { ca })).findings.map((x) => x.code)).toEqual(['no_content_type']);
    routes['/.well-known/security.txt'] = text(GOOD, 'Text/Plain; Charset="UTF-8"');
    expect((await fetchSecurityTxt(origin, { ca })).findings).toEqual([]);
  });

  it('404 on both paths is no_security_txt; the use case makes it an unreadable-input fault (exit 2)', async () => {
    expect(await failure(fetchSecurityTxt(origin, { ca }))).toBe('no_security_txt');
    const e = await checkSecurityTxt({ source: { kind: 'url', url: origin }, now: new Date(0), fetch: { ca } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('unreadable');
    expect((e as AppError).message).toContain('no_security_txt');
  });

  it('a certificate the client does not trust is invalid_cert', async () => {
    routes['/.well-known/security.txt'] = text(GOOD);
    expect(await failure(fetchSecurityTxt(origin))).toBe('invalid_cert');
  });
});
