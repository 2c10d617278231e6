/**
 * Helpers for the inventory tests: a counting HTTP proxy in front of a registry (every request the
 * sync really sends, as "METHOD /path"), a small fake registry for what docker-registry never does
 * (malformed manifests, wrong digests, 10,000 tags), and sync dependencies over a test database.
 */
import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Db } from '../../src/adapters/db/open-database.js';
import { createRegistries, type Registries } from '../../src/adapters/registry/registries.js';
import type { SyncDeps } from '../../src/app/images/sync-images.js';
import type { Policy } from '../../src/domain/policy/schema.js';

export interface CountingProxy {
  host: string;
  /** Requests forwarded since the last reset, "METHOD /v2/...". */
  requests: string[];
  reset(): void;
  close(): Promise<void>;
}

/** Forwards every request to `target` (127.0.0.1:PORT) and records it. */
export async function countingProxy(target: string): Promise<CountingProxy> {
  const requests: string[] = [];
  const [targetHost, targetPort] = target.split(':');
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`);
    const upstream = request({ host: targetHost, port: Number(targetPort), method: req.method, path: req.url, headers: { ...req.headers, host: target } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    reset: () => void requests.splice(0),
    close: () => closeServer(server),
  };
}

export type FakeHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export interface FakeRegistry {
  host: string;
  requests: string[];
  handle(h: FakeHandler): void;
  close(): Promise<void>;
}

/** A registry played by a local HTTP server whose answers each test decides. */
export async function fakeRegistry(): Promise<FakeRegistry> {
  const requests: string[] = [];
  let handler: FakeHandler = (_q, res) => void res.writeHead(404).end();
  let host = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    handler(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return { host, requests, handle: (h) => (handler = h), close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Clients that fail fast (tests of unreachable registries should not wait 30 s). */
export const fastRegistries = (credentials: Parameters<typeof createRegistries>[0]['credentials'] = new Map()): Registries =>
  createRegistries({ credentials, plainHttp: [], clientOptions: { timeoutMs: 3000, retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 20 } } });

/** A minimal policy file naming these image repositories. */
export const policyYaml = (images: string[]) => `version: 1
project:
  name: Example image
  url: https://example.org/
  images:
${images.map((i) => `    - name: ${i}`).join('\n')}
contacts:
  - type: email
    address: security@example.org
scope:
  inScope: [The example container image]
sla:
  acknowledge: 3 business days
securityTxt:
  canonical: [https://example.org/.well-known/security.txt]
`;

/** The part of a policy the sync reads: the image repositories. */
export const policyOf = (...names: string[]): Pick<Policy, 'project'> => ({
  project: { name: 'Test project', url: 'https://example.org/', goals: [], images: names.map((name) => ({ name })) },
});

export function syncDeps(db: Db, registries: Registries, ...names: string[]): SyncDeps {
  return { db, registries, policy: policyOf(...names), clock: () => new Date(), newId: randomUUID };
}

/** The stored inventory of a repository, as comparable rows. */
export async function snapshot(db: Db, repository: string) {
  const tags = await db.selectFrom('image_tags').selectAll().where('repository', '=', repository).orderBy('tag').execute();
  const manifests = await db.selectFrom('image_manifests').selectAll().where('repository', '=', repository).orderBy('digest').execute();
  return { tags, manifests };
}
