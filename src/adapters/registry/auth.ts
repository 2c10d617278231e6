/**
 * Registry auth as Docker Hub, GHCR, GitLab and Harbor do it: try anonymously, read the
 * WWW-Authenticate challenge, then send Basic credentials or fetch a Bearer token from the
 * challenge's realm (scope `repository:<name>:pull`) and cache it until shortly before it expires.
 * Credentials are held in a closure and only ever put into Authorization headers.
 */
import { AppError } from '../../app/errors.js';
import { parseChallenges } from './challenge.js';
import type { Answer, Exchange } from './transport.js';
import { describeStatus } from './transport.js';

export type RegistryCredentials = { username: string; password: string } | { token: string };

export interface AuthorizerOptions {
  registry: string;
  credentials?: RegistryCredentials;
  exchange: (x: Exchange) => Promise<Answer>;
  /** May this URL receive credentials? (same scheme rules as the registry itself) */
  allowUrl: (url: URL) => boolean;
  now?: () => number;
}

interface CachedToken {
  header: string;
  expiresAt: number;
}

/** Refresh this long before the token's stated expiry, so a request never arrives with a dead one. */
const EXPIRY_MARGIN_MS = 10_000;
/** The token spec's default lifetime when the server names none. */
const DEFAULT_TOKEN_LIFETIME_S = 60;
const TOKEN_MAX_BYTES = 256 * 1024;

export function createAuthorizer(options: AuthorizerOptions) {
  const { registry, credentials } = options;
  const now = options.now ?? Date.now;
  let mode: 'unknown' | 'none' | 'basic' | 'bearer' = 'unknown';
  let bearer: { realm: string; service?: string } | null = null;
  const tokens = new Map<string, CachedToken>();
  const pending = new Map<string, Promise<CachedToken>>();

  const basicHeader = () => {
    if (!credentials || !('username' in credentials)) return null;
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
  };

  async function fetchToken(scope: string | undefined): Promise<CachedToken> {
    if (!bearer) throw new AppError('internal', 'no bearer challenge');
    let url: URL;
    try {
      url = new URL(bearer.realm);
    } catch {
      throw new AppError('unreadable', `registry ${registry} names an unusable token service in its challenge`);
    }
    if (!options.allowUrl(url)) {
      throw new AppError('unreadable', `registry ${registry} sends us to the token service ${url.origin}, which is not HTTPS; refusing to send credentials there`);
    }
    if (bearer.service) url.searchParams.set('service', bearer.service);
    if (scope) url.searchParams.set('scope', scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    const basic = basicHeader();
    if (basic) headers.authorization = basic;
    const what = `a token${scope ? ` for ${scope}` : ''} from ${url.origin}`;
    const answer = await options.exchange({ method: 'GET', url: url.href, headers, maxBytes: TOKEN_MAX_BYTES, what });
    if (answer.status === 401 || answer.status === 403) {
      throw new AppError('forbidden', `registry ${registry}: the token service refused ${basic ? 'the configured credentials' : 'anonymous access'} (${describeStatus(answer.status)})`);
    }
    if (answer.status !== 200) throw new AppError('unreadable', `registry ${registry}: the token service answered ${describeStatus(answer.status)} when asked for ${what}`);
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    try {
      body = JSON.parse(new TextDecoder().decode(answer.body));
    } catch {
      throw new AppError('unreadable', `registry ${registry}: the token service answered with something that is not JSON`);
    }
    const token = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    if (!token) throw new AppError('unreadable', `registry ${registry}: the token service answered without a token`);
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    const issued = typeof body.issued_at === 'string' && !Number.isNaN(Date.parse(body.issued_at)) ? Math.min(Date.parse(body.issued_at), now()) : now();
    return { header: `Bearer ${token}`, expiresAt: issued + lifetime * 1000 - EXPIRY_MARGIN_MS };
  }

  async function tokenFor(scope: string | undefined): Promise<string> {
    const key = scope ?? '';
    const cached = tokens.get(key);
    if (cached && cached.expiresAt > now()) return cached.header;
    let p = pending.get(key);
    if (!p) {
      // several concurrent requests for one repository share one token request
      p = fetchToken(scope).finally(() => pending.delete(key));
      pending.set(key, p);
    }
    const got = await p;
    tokens.set(key, got);
    return got.header;
  }

  return {
    /** The Authorization header to send before any challenge is seen (null: go anonymous). */
    async header(scope: string | undefined): Promise<string | null> {
      if (credentials && 'token' in credentials) return `Bearer ${credentials.token}`;
      if (mode === 'basic') return basicHeader();
      if (mode === 'bearer') return tokenFor(scope);
      return null;
    },

    /**
     * Learn from a 401. Returns true when a retry with the new header can succeed; false when the
     * header we sent was already the right kind (so the credentials were rejected).
     */
    async challenged(wwwAuthenticate: string | null, sent: string | null, scope: string | undefined): Promise<boolean> {
      const challenges = parseChallenges(wwwAuthenticate);
      const b = challenges.find((c) => c.scheme === 'bearer');
      const basic = challenges.find((c) => c.scheme === 'basic');
      if (credentials && 'token' in credentials) return false;
      if (b?.params.realm) {
        if (sent?.startsWith('Bearer ')) {
          // a cached token the registry no longer takes (revoked, or its clock runs ahead): drop
          // it and let the caller retry once with a fresh one; a fresh one refused means no access
          // (the caller retries at most once per request, so this cannot loop)
          tokens.delete(scope ?? '');
          return true;
        }
        mode = 'bearer';
        bearer = { realm: b.params.realm, ...(b.params.service ? { service: b.params.service } : {}) };
        return true;
      }
      if (basic) {
        if (!basicHeader()) throw new AppError('forbidden', `registry ${registry} requires a username and password, and none are configured`);
        if (sent?.startsWith('Basic ')) return false;
        mode = 'basic';
        return true;
      }
      return false;
    },

    /** What was learned, for ping(). */
    scheme(): 'none' | 'basic' | 'bearer' | 'token' {
      if (credentials && 'token' in credentials) return 'token';
      return mode === 'unknown' ? 'none' : mode;
    },
  };
}

export type Authorizer = ReturnType<typeof createAuthorizer>;
