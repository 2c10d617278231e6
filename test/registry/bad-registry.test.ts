/**
 * Registries that misbehave, played by a small local HTTP server: malformed manifests, wrong
 * digests, rate limits, hangs, dropped connections, huge and looping tag lists.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/app/errors.js';
import { createRegistryClient, schemeFor, type RegistryClientOptions } from '../../src/adapters/registry/index.js';
import { freePort, sha256 } from '../support/registry.js';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

let server: Server;
let host: string;
let handler: Handler;
let requests: string[];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    handler(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  requests = [];
});

const fast: Partial<RegistryClientOptions> = { retry: { baseDelayMs: 10, maxDelayMs: 20 } };
const client = (o: Partial<RegistryClientOptions> = {}) => createRegistryClient({ registry: host, ...fast, ...o });

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const goodManifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256('{}'), size: 2 },
  layers: [],
});

function serveManifest(body: string, headers: Record<string, string> = {}) {
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha256(body), ...headers }).end(body);
  };
}

describe('unreachable and slow registries', () => {
  it('says unreadable, naming registry and repository, when nothing listens on the port', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const e = await failure(createRegistryClient({ registry: closed }).getManifest('demo/app', '1.0'));
    expect(e.code).toBe('unreadable');
    expect(e.message).toBe(`registry ${closed} could not be reached for repository demo/app, manifest :1.0: connection refused`);
  });

  it('gives up after the timeout when the registry never answers', async () => {
    handler = () => {}; // hold the request open
    const started = Date.now();
    const e = await failure(client({ timeoutMs: 200, retry: { retries: 1, baseDelayMs: 10 } }).getManifest('demo/app', '1.0'));
    expect(e.code).toBe('unreadable');
    expect(e.message).toMatch(/no answer within 200 ms \(after 2 attempts\)/);
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('retries a dropped connection and then succeeds', async () => {
    let n = 0;
    handler = (req, res) => {
      if (n++ === 0) return req.socket.destroy();
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha256(goodManifest) }).end(goodManifest);
    };
    const m = await client().getManifest('demo/app', '1.0');
    expect(m.digest).toBe(sha256(goodManifest));
    expect(requests).toHaveLength(2);
  });
});

describe('rate limits and server errors', () => {
  it('waits as long as Retry-After says after a 429, then succeeds; the log names no credentials', async () => {
    let n = 0;
    handler = (_req, res) => {
      if (n++ === 0) return void res.writeHead(429, { 'retry-after': '1' }).end('slow down');
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha256(goodManifest) }).end(goodManifest);
    };
    const lines: string[] = [];
    const started = Date.now();
    const m = await client({ credentials: { username: 'bot', password: 'Pa55-in-log?' }, log: { warn: (f, msg) => lines.push(`${msg} ${JSON.stringify(f)}`) } }).getManifest('demo/app', '1.0');
    expect(m.digest).toBe(sha256(goodManifest));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"status":429');
    expect(lines[0]).toContain('"waitMs":1000');
    expect(lines.join()).not.toContain('Pa55');
  });

  it('does not wait for a Retry-After longer than allowed, and says how long the registry asked', async () => {
    handler = (_req, res) => void res.writeHead(429, { 'retry-after': '3600' }).end();
    const e = await failure(client().getManifest('demo/app', '1.0'));
    expect(e.code).toBe('unreadable');
    expect(e.message).toMatch(/rate limiting \(429\).*asks to wait 3600 s/);
    expect(requests).toHaveLength(1);
  });

  it('retries 503 with backoff and names the status when it persists', async () => {
    handler = (_req, res) => void res.writeHead(503).end();
    const e = await failure(client({ retry: { retries: 2, baseDelayMs: 10 } }).listTags('demo/app'));
    expect(e.code).toBe('unreadable');
    expect(e.message).toBe(`registry ${host} answered 503 Service Unavailable for repository demo/app, tag list page 1 (after 3 attempts)`);
    expect(requests).toHaveLength(3);
  });
});

describe('malformed and mismatching content', () => {
  it('refuses a manifest that is not JSON, has a bad digest in it, or is schema 1', async () => {
    serveManifest('this is not json');
    expect(await failure(client().getManifest('demo/app', '1.0'))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/malformed manifest for repository demo\/app, manifest :1.0: the body is not UTF-8 JSON/) });
    serveManifest(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'x', digest: 'sha256:nothex', size: 1 }, layers: [] }));
    expect(await failure(client().getManifest('demo/app', '1.0'))).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('config.digest') });
    serveManifest(JSON.stringify({ schemaVersion: 1, name: 'demo/app', tag: '1.0', fsLayers: [] }), { 'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' });
    expect(await failure(client().getManifest('demo/app', '1.0'))).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('schema 1') });
    serveManifest(goodManifest, { 'content-type': 'application/vnd.oci.image.index.v1+json' });
    expect(await failure(client().getManifest('demo/app', '1.0'))).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('Content-Type') });
  });

  it('refuses content whose hash is not the Docker-Content-Digest (sha256 and sha512)', async () => {
    serveManifest(goodManifest, { 'docker-content-digest': sha256('something else') });
    const e = await failure(client().getManifest('demo/app', '1.0'));
    expect(e.code).toBe('unreadable');
    expect(e.message).toMatch(/digest mismatch for repository demo\/app, manifest :1.0: content hashes to sha256:[0-9a-f]{64}, not sha256:/);

    const { createHash } = await import('node:crypto');
    const sha512 = `sha512:${createHash('sha512').update(goodManifest).digest('hex')}`;
    serveManifest(goodManifest, { 'docker-content-digest': sha512 });
    expect((await client().getManifest('demo/app', '1.0')).digest).toBe(sha512);
    serveManifest(`${goodManifest} `, { 'docker-content-digest': sha512 });
    expect(await failure(client().getManifest('demo/app', '1.0'))).toMatchObject({ code: 'unreadable', message: expect.stringContaining('digest mismatch') });
  });

  it('refuses other content when asked by digest, even without a header', async () => {
    handler = (_req, res) => void res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(goodManifest);
    const asked = sha256('a different manifest');
    expect(await failure(client().getManifest('demo/app', asked))).toMatchObject({ code: 'unreadable', message: expect.stringContaining('digest mismatch') });
    // without a header and by tag, the digest is the sha256 of the body
    expect((await client().getManifest('demo/app', '1.0')).digest).toBe(sha256(goodManifest));
  });

  it('refuses a config blob that does not hash to its descriptor', async () => {
    handler = (_req, res, url) => {
      if (url.pathname.includes('/blobs/')) return void res.writeHead(200).end('{"os":"linux"}');
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha256(goodManifest) }).end(goodManifest);
    };
    const m = await client().getManifest('demo/app', '1.0');
    if (m.kind !== 'manifest') throw new Error('expected a manifest');
    expect(await failure(client().getConfig('demo/app', m.manifest))).toMatchObject({ code: 'unreadable', message: expect.stringContaining(`digest mismatch for repository demo/app, config blob ${sha256('{}')}`) });
  });

  it('stops reading a manifest over 4 MiB', async () => {
    const big = JSON.stringify({ schemaVersion: 2, config: {}, layers: [], pad: 'x'.repeat(4 * 1024 * 1024) });
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }); // chunked: no Content-Length to trust
      res.end(big);
    };
    expect(await failure(client().getManifest('demo/app', '1.0'))).toMatchObject({ code: 'unreadable', message: expect.stringContaining('larger than the 4 MiB limit') });
  });
});

describe('tag lists along Link pagination (OCI distribution spec)', () => {
  const all = Array.from({ length: 10_000 }, (_, i) => `v${i}`).sort();
  function pagingRegistry(linkFor?: (last: string, n: number) => string) {
    handler = (_req, res, url) => {
      const n = Number(url.searchParams.get('n') ?? all.length);
      const last = url.searchParams.get('last');
      const from = last ? all.findIndex((t) => t > last) : 0;
      const tags = from === -1 ? [] : all.slice(from, from + n);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const end = tags.at(-1);
      if (end && end !== all.at(-1)) headers.link = linkFor ? linkFor(end, n) : `</v2/demo/many/tags/list?n=${n}&last=${end}>; rel="next"`;
      res.writeHead(200, headers).end(JSON.stringify({ name: 'demo/many', tags }));
    };
  }

  it('follows rel="next" through a 10,000-tag list and returns every tag once, in order', async () => {
    pagingRegistry();
    const tags = await client().listTags('demo/many');
    expect(tags).toEqual(all);
    expect(requests).toHaveLength(10);
    expect(requests[1]).toBe(`GET /v2/demo/many/tags/list?n=1000&last=${all[999]}`);
    requests = [];
    expect(await client({ tagPageSize: 250 }).listTags('demo/many')).toHaveLength(10_000);
    expect(requests).toHaveLength(40);
  });

  it('refuses a list over maxTags instead of holding it', async () => {
    pagingRegistry();
    expect(await failure(client({ maxTags: 5_000 }).listTags('demo/many'))).toMatchObject({ code: 'unreadable', message: expect.stringContaining('more than 5000 tags') });
  });

  it('does not follow a next link to another origin, nor one that loops', async () => {
    pagingRegistry(() => '<https://elsewhere.example/v2/demo/many/tags/list?n=1000>; rel="next"');
    expect(await failure(client().listTags('demo/many'))).toMatchObject({ code: 'unreadable', message: expect.stringContaining('another origin') });
    pagingRegistry((_last, n) => `</v2/demo/many/tags/list?n=${n}>; rel="next"`);
    expect(await failure(client().listTags('demo/many'))).toMatchObject({ code: 'unreadable', message: expect.stringContaining('already read') });
  });
});

describe('tokens and concurrency', () => {
  it('fetches a fresh token once when the registry stops taking a cached one', async () => {
    let issued = 0;
    let accepted = 'token-1';
    handler = (req, res, url) => {
      if (url.pathname === '/token') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `token-${++issued}`, expires_in: 300 }));
      if (req.headers.authorization !== `Bearer ${accepted}`) {
        return void res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${host}/token",service="fake"` }).end();
      }
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha256(goodManifest) }).end(goodManifest);
    };
    const c = client({ credentials: { username: 'u', password: 'p' } });
    await c.getManifest('demo/app', '1.0');
    await c.getManifest('demo/app', '1.0');
    expect(issued).toBe(1);
    accepted = 'token-2'; // token-1 revoked
    await c.getManifest('demo/app', '1.0');
    expect(issued).toBe(2);
    accepted = 'never';
    expect(await failure(c.getManifest('demo/app', '1.0'))).toMatchObject({ code: 'forbidden' });
    expect(issued).toBe(3);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    handler = (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha256(goodManifest) }).end(goodManifest);
      }, 20);
    };
    const c = client({ concurrency: 2 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => c.getManifest('demo/app', `t${i}`)));
    expect(peak).toBe(2);
    expect(requests).toHaveLength(10);
  });
});

describe('plain HTTP only for loopback or listed registries', () => {
  it('chooses the scheme by host', () => {
    expect(schemeFor('127.0.0.1:5000')).toBe('http');
    expect(schemeFor('127.8.9.10')).toBe('http');
    expect(schemeFor('localhost:5000')).toBe('http');
    expect(schemeFor('[::1]:5000')).toBe('http');
    expect(schemeFor('registry.example.org')).toBe('https');
    expect(schemeFor('10.0.0.5:5000')).toBe('https');
    expect(schemeFor('127.0.0.1.example.org')).toBe('https');
    expect(schemeFor('10.0.0.5:5000', ['10.0.0.5:5000'])).toBe('http');
    expect(schemeFor('registry.lan', ['registry.lan'])).toBe('http');
  });

  it('refuses to send credentials to an HTTP token realm on another host', async () => {
    handler = (_req, res) => void res.writeHead(401, { 'www-authenticate': 'Bearer realm="http://auth.example.org/token",service="reg"' }).end();
    const e = await failure(client({ credentials: { username: 'u', password: 'secret-pw' } }).getManifest('demo/app', '1.0'));
    expect(e.code).toBe('unreadable');
    expect(e.message).toContain('not HTTPS');
    expect(String(e)).not.toContain('secret-pw');
  });
});
