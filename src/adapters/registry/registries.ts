/**
 * One registry client per host, built from the desk's settings: credentials from a Docker-style
 * config.json (`{"auths": {"ghcr.io": {"auth": "<base64 user:password>"}}}`, the file
 * `docker login` writes) and the hosts allowed over plain HTTP. The desk, the image commands and
 * the jobs all reach registries through this, so credentials are read in one place.
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '../../app/errors.js';
import { createRegistryClient, type RegistryClient, type RegistryClientOptions, type RegistryCredentials } from './client.js';
import type { RegistryLog } from './transport.js';

export interface RegistrySettings {
  /** Credentials by registry host (docker.io for Docker Hub). */
  credentials: ReadonlyMap<string, RegistryCredentials>;
  plainHttp: readonly string[];
  log?: RegistryLog;
  /** Passed to every client (tests shorten timeouts and retries). */
  clientOptions?: Omit<RegistryClientOptions, 'registry' | 'credentials' | 'plainHttp' | 'log'>;
}

export interface Registries {
  /** The client for a registry host (as in an image reference's domain: docker.io, ghcr.io, 127.0.0.1:5000). */
  client(host: string): RegistryClient;
}

const DOCKER_HUB_KEYS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** The host a config.json key names: "https://index.docker.io/v1/" and "docker.io" are both Docker Hub. */
export function registryKeyHost(key: string): string {
  const host = key.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return DOCKER_HUB_KEYS.has(host) ? 'docker.io' : host;
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
  registrytoken?: unknown;
}

/** Credentials per host from a config.json's `auths`; problems name the host, never a secret. */
export function parseRegistryAuth(json: unknown, source: string): Map<string, RegistryCredentials> {
  const auths = (json as { auths?: unknown } | null)?.auths;
  if (typeof auths !== 'object' || auths === null || Array.isArray(auths)) {
    throw new AppError('invalid_input', `${source}: expected {"auths": {"<registry>": {...}}}`);
  }
  const out = new Map<string, RegistryCredentials>();
  for (const [key, value] of Object.entries(auths as Record<string, AuthEntry>)) {
    const host = registryKeyHost(key);
    const e: AuthEntry = typeof value === 'object' && value !== null ? value : {};
    const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
    const token = str(e.registrytoken);
    if (token) {
      out.set(host, { token });
      continue;
    }
    let username = str(e.username);
    let password = str(e.password) ?? str(e.identitytoken);
    const auth = str(e.auth);
    if (auth && (!username || !password)) {
      const decoded = Buffer.from(auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0) throw new AppError('invalid_input', `${source}: the "auth" of ${host} is not base64 of username:password`);
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
    if (!username || !password) throw new AppError('invalid_input', `${source}: ${host} has neither "auth" nor "username" and "password"`);
    out.set(host, { username, password });
  }
  return out;
}

export async function readRegistryAuthFile(file: string): Promise<Map<string, RegistryCredentials>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError(code === 'ENOENT' ? 'not_found' : 'unreadable', `cannot read the registry credentials file ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('invalid_input', `the registry credentials file ${file} is not JSON`);
  }
  return parseRegistryAuth(json, `the registry credentials file ${file}`);
}

export function createRegistries(settings: RegistrySettings): Registries {
  const clients = new Map<string, RegistryClient>();
  return {
    client(host) {
      const key = registryKeyHost(host);
      let c = clients.get(key);
      if (!c) {
        const credentials = settings.credentials.get(key);
        c = createRegistryClient({
          ...settings.clientOptions,
          registry: key,
          plainHttp: settings.plainHttp,
          ...(credentials ? { credentials } : {}),
          ...(settings.log ? { log: settings.log } : {}),
        });
        clients.set(key, c);
      }
      return c;
    },
  };
}

/** Registries from the desk's configuration (CVDESK_REGISTRY_AUTH_FILE, CVDESK_REGISTRY_PLAIN_HTTP). */
export async function registriesFromConfig(config: { authFile: string | null; plainHttp: readonly string[] }, extra: Pick<RegistrySettings, 'log' | 'clientOptions'> = {}): Promise<Registries> {
  const credentials = config.authFile ? await readRegistryAuthFile(config.authFile) : new Map<string, RegistryCredentials>();
  return createRegistries({ credentials, plainHttp: config.plainHttp, ...extra });
}
