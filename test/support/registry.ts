/**
 * Debian's docker-registry (CNCF distribution 2.8) on 127.0.0.1 for the registry client tests:
 * open, with htpasswd Basic auth (bcrypt hash from apache2-utils' htpasswd), or with token auth
 * served by a tiny token server here (RS256 JWTs whose x5c is a self-signed certificate made with
 * openssl, the registry's rootcertbundle). Images are pushed through the registry API itself.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, createSign, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

/** Why registry tests cannot run here, or null. With CVDESK_REQUIRE_REGISTRY=1 a missing binary is a failure, not a skip. */
export function registryMissing(): string | null {
  if (existsSync(REGISTRY_BIN) && existsSync('/usr/bin/htpasswd')) return null;
  const why = 'docker-registry or htpasswd is not installed (apt-get install docker-registry apache2-utils); registry tests skipped';
  if (process.env.CVDESK_REQUIRE_REGISTRY === '1') throw new Error(`CVDESK_REQUIRE_REGISTRY=1 but ${why.replace('; registry tests skipped', '')}`);
  console.warn(why);
  return why;
}

export async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

export type RegistryAuth = 'none' | 'basic' | 'token';

export interface TestRegistry {
  /** 127.0.0.1:PORT */
  host: string;
  url: string;
  username: string;
  password: string;
  /** Token requests the token server answered (token auth only). */
  tokenRequests: { scope: string | null; authorized: boolean }[];
  push: Pusher;
  close(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export interface StartRegistryOptions {
  /** Storage that outlives the registry (a benchmark pushes once and reuses it); by default a temporary folder removed on close. */
  rootDirectory?: string;
}

export async function startRegistry(auth: RegistryAuth = 'none', options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'cvdesk-registry-'));
  const port = await freePort();
  const username = 'ci-bot';
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const tokenRequests: TestRegistry['tokenRequests'] = [];
  let tokenServer: Server | null = null;
  let authYaml = '';
  if (auth === 'basic') {
    const line = execFileSync('htpasswd', ['-nbB', '-C', '5', username, password], { encoding: 'utf8' }).trim();
    await writeFile(join(dir, 'htpasswd'), `${line}\n`);
    authYaml = `auth:\n  htpasswd:\n    realm: cvdesk-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  if (auth === 'token') {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=cvdesk-test-token-issuer'], { stdio: 'ignore' });
    const key = await readFile(join(dir, 'key.pem'), 'utf8');
    const certDer = Buffer.from((await readFile(join(dir, 'cert.pem'), 'utf8')).replace(/-----[^-]+-----|\s/g, ''), 'base64');
    tokenServer = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      const authorized = req.headers.authorization === expected;
      const scope = url.searchParams.get('scope');
      tokenRequests.push({ scope, authorized });
      if (req.headers.authorization && !authorized) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
        return;
      }
      // anonymous callers get a token without access, as Docker Hub does for private repositories
      const access = scope && authorized ? [{ type: 'repository', name: scope.split(':')[1], actions: scope.split(':')[2]!.split(',') }] : [];
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: 'RS256', typ: 'JWT', x5c: [certDer.toString('base64')] };
      const claims = { iss: 'cvdesk-test-issuer', sub: authorized ? username : '', aud: 'cvdesk-test-registry', exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
      const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
      const signature = createSign('RSA-SHA256').update(signingInput).sign(key);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${signingInput}.${b64url(signature)}`, expires_in: 300, issued_at: new Date().toISOString() }));
    });
    await new Promise<void>((resolve) => tokenServer!.listen(0, '127.0.0.1', resolve));
    const tokenPort = (tokenServer.address() as { port: number }).port;
    authYaml = `auth:\n  token:\n    realm: http://127.0.0.1:${tokenPort}/token\n    service: cvdesk-test-registry\n    issuer: cvdesk-test-issuer\n    rootcertbundle: ${join(dir, 'cert.pem')}\n`;
  }
  const config = `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${options.rootDirectory ?? join(dir, 'data')}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
  secret: ${randomBytes(16).toString('hex')}
${authYaml}`;
  await writeFile(join(dir, 'config.yml'), config);
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/v2/`);
      await r.arrayBuffer();
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill();
        throw new Error(`docker-registry did not start on ${url}: ${stderr.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const pushAuth = async (repo: string): Promise<string | null> => {
    if (auth === 'basic') return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    if (auth !== 'token') return null;
    const tokenPort = (tokenServer!.address() as { port: number }).port;
    const r = await fetch(`http://127.0.0.1:${tokenPort}/token?service=cvdesk-test-registry&scope=repository:${repo}:pull,push`, {
      headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
    });
    const body = (await r.json()) as { token: string };
    tokenRequests.pop(); // the pusher's own requests are not the client's
    return `Bearer ${body.token}`;
  };
  return {
    host: `127.0.0.1:${port}`,
    url,
    username,
    password,
    tokenRequests,
    push: new Pusher(url, pushAuth),
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      if (tokenServer) await new Promise((resolve) => tokenServer!.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const sha256 = (b: Uint8Array | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface Pushed {
  digest: string;
  size: number;
  body: string;
}

export interface ImageSpec {
  platform?: { os: string; architecture: string; variant?: string };
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  created?: string;
  /** Distinguishes otherwise identical images. */
  layerText?: string;
  docker?: boolean;
}

/** Pushes blobs and manifests through the distribution API (monolithic uploads). */
export class Pusher {
  constructor(
    private readonly url: string,
    private readonly auth: (repo: string) => Promise<string | null>,
  ) {}

  private async headers(repo: string, extra: Record<string, string> = {}) {
    const a = await this.auth(repo);
    return a ? { ...extra, authorization: a } : extra;
  }

  async blob(repo: string, bytes: Uint8Array): Promise<{ digest: string; size: number }> {
    const digest = sha256(bytes);
    const start = await fetch(`${this.url}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: await this.headers(repo) });
    await start.arrayBuffer();
    if (start.status !== 202) throw new Error(`upload start for ${repo} answered ${start.status}`);
    const location = new URL(start.headers.get('location')!, this.url);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, { method: 'PUT', body: Buffer.from(bytes), headers: await this.headers(repo, { 'content-type': 'application/octet-stream' }) });
    await put.arrayBuffer();
    if (put.status !== 201) throw new Error(`blob upload for ${repo} answered ${put.status}`);
    return { digest, size: bytes.byteLength };
  }

  async manifest(repo: string, ref: string, body: string, mediaType: string): Promise<Pushed> {
    const r = await fetch(`${this.url}/v2/${repo}/manifests/${ref}`, { method: 'PUT', body, headers: await this.headers(repo, { 'content-type': mediaType }) });
    const text = await r.text();
    if (r.status !== 201) throw new Error(`manifest PUT ${repo}:${ref} answered ${r.status}: ${text}`);
    return { digest: r.headers.get('docker-content-digest')!, size: Buffer.byteLength(body), body };
  }

  /** A one-layer image (config + layer + manifest) under each of `tags` (first PUT by tag, others too). */
  async image(repo: string, tags: string[], spec: ImageSpec = {}): Promise<Pushed & { configDigest: string }> {
    const platform = spec.platform ?? { os: 'linux', architecture: 'amd64' };
    const config = JSON.stringify({
      created: spec.created ?? '2025-03-03T00:00:00Z',
      ...platform,
      config: { Labels: spec.labels ?? {} },
      rootfs: { type: 'layers', diff_ids: [] as string[] },
      history: [],
    });
    const layer = await this.blob(repo, new TextEncoder().encode(spec.layerText ?? `layer of ${repo}`));
    const cfg = await this.blob(repo, new TextEncoder().encode(config));
    const docker = spec.docker === true;
    const mediaType = docker ? 'application/vnd.docker.distribution.manifest.v2+json' : 'application/vnd.oci.image.manifest.v1+json';
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json', ...cfg },
      layers: [{ mediaType: docker ? 'application/vnd.docker.image.rootfs.diff.tar.gzip' : 'application/vnd.oci.image.layer.v1.tar', ...layer }],
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
    });
    let pushed: Pushed | null = null;
    for (const tag of tags.length ? tags : [sha256(body)]) pushed = await this.manifest(repo, tag, body, mediaType);
    return { ...pushed!, configDigest: cfg.digest };
  }

  /** An index over already pushed manifests. */
  async index(repo: string, tag: string, entries: { pushed: Pushed; platform: { os: string; architecture: string; variant?: string } }[], docker = false): Promise<Pushed> {
    const mediaType = docker ? 'application/vnd.docker.distribution.manifest.list.v2+json' : 'application/vnd.oci.image.index.v1+json';
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType,
      manifests: entries.map((e) => ({
        mediaType: docker ? 'application/vnd.docker.distribution.manifest.v2+json' : 'application/vnd.oci.image.manifest.v1+json',
        digest: e.pushed.digest,
        size: e.pushed.size,
        platform: e.platform,
      })),
    });
    return this.manifest(repo, tag, body, mediaType);
  }
}
