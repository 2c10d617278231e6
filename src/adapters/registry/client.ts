/**
 * An OCI Distribution client over fetch: ping, tag lists with Link pagination, manifests and
 * indexes with verified digests, config blobs. Independent of the database; errors are AppError
 * ('unreadable', 'not_found', 'forbidden', 'invalid_input') naming registry, repository and status,
 * never credentials.
 */
import { AppError } from '../../app/errors.js';
import { tagRegexp, validateDigest } from '../../domain/images/reference-grammar.js';
import { withName } from '../../domain/images/reference.js';
import { createAuthorizer, type RegistryCredentials } from './auth.js';
import { imageConfigSchema, imageMetadata, type ImageMetadata } from './config-blob.js';
import { checkDigest, isDigestRef, sha256Digest } from './digest.js';
import { createLimit } from './limit.js';
import { parseManifest, selectPlatform, formatPlatform, type ImageIndex, type ImageManifest, type PlatformWanted } from './manifest.js';
import { MANIFEST_ACCEPT, bareMediaType } from './media-types.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { createTransport, describeStatus, formatBytes, schemeFor, type Answer, type RegistryLog } from './transport.js';
import { listAllTags } from './tags.js';

export type { RegistryCredentials } from './auth.js';

export interface RegistryClientOptions {
  /** host[:port]; docker.io is spoken to at registry-1.docker.io. */
  registry: string;
  credentials?: RegistryCredentials;
  /** Hosts (or host:port) outside loopback that may be spoken to over plain HTTP. */
  plainHttp?: readonly string[];
  /** Per attempt, including reading the body. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Requests in flight at once against this registry. */
  concurrency?: number;
  /** Tags asked for per page (`n`). */
  tagPageSize?: number;
  /** A tag list longer than this is refused rather than held in memory. */
  maxTags?: number;
  log?: RegistryLog;
  signal?: AbortSignal;
}

export const LIMITS = { manifestBytes: 4 * 1024 * 1024, configBytes: 8 * 1024 * 1024, tagPageBytes: 4 * 1024 * 1024, maxTags: 100_000, tagPageSize: 1000, maxPages: 10_000 };

export type ManifestResult =
  | { kind: 'manifest'; digest: string; mediaType: string; size: number; manifest: ImageManifest; index?: { digest: string; mediaType: string } }
  | { kind: 'index'; digest: string; mediaType: string; size: number; index: ImageIndex };

export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number | null;
}

export interface RegistryClient {
  readonly registry: string;
  /** GET /v2/: reachable, and the credentials (if any) accepted. */
  ping(): Promise<{ auth: 'none' | 'basic' | 'bearer' | 'token' }>;
  listTags(repo: string): Promise<string[]>;
  getManifest(repo: string, tagOrDigest: string, options?: { platform?: PlatformWanted }): Promise<ManifestResult>;
  headManifest(repo: string, tagOrDigest: string): Promise<ManifestHead>;
  getConfig(repo: string, manifest: ImageManifest): Promise<ImageMetadata>;
}

export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const registry = options.registry.toLowerCase();
  if (!/^[a-z0-9.-]+(?::\d+)?$|^\[[0-9a-f:]+\](?::\d+)?$/.test(registry)) {
    throw new AppError('invalid_input', `"${options.registry.slice(0, 100)}" is not a registry host[:port]`);
  }
  const apiHost = registry === 'docker.io' || registry === 'index.docker.io' ? 'registry-1.docker.io' : registry;
  const scheme = schemeFor(apiHost, options.plainHttp);
  const base = `${scheme}://${apiHost}`;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const exchange = createTransport({
    registry,
    timeoutMs: options.timeoutMs ?? 30_000,
    retry,
    limit: createLimit(options.concurrency ?? 8),
    userAgent: 'cvdesk-registry-client',
    ...(options.log ? { log: options.log } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const auth = createAuthorizer({
    registry,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    exchange,
    allowUrl: (u) => u.protocol === 'https:' || (u.protocol === 'http:' && schemeFor(u.host, options.plainHttp) === 'http'),
  });

  /** One authorized request: anonymous or cached auth first, one retry after a challenge. */
  async function request(repo: string | null, method: 'GET' | 'HEAD', url: string, accept: string, maxBytes: number, what: string): Promise<Answer> {
    const scope = repo ? `repository:${repo}:pull` : undefined;
    const send = async () => {
      const authorization = await auth.header(scope);
      const headers: Record<string, string> = { accept };
      if (authorization) headers.authorization = authorization;
      return { answer: await exchange({ method, url, headers, maxBytes, what }), authorization };
    };
    let { answer, authorization } = await send();
    if (answer.status === 401 && (await auth.challenged(answer.headers.get('www-authenticate'), authorization, scope))) {
      ({ answer, authorization } = await send());
    }
    if (answer.status === 401 || answer.status === 403) {
      const who = options.credentials ? 'refused the configured credentials' : 'requires credentials';
      throw new AppError('forbidden', `registry ${registry} ${who} for ${what} (${describeStatus(answer.status)})`);
    }
    return answer;
  }

  const checkRepo = (repo: string) => {
    const r = withName(repo);
    if (!r.ok || repo !== repo.toLowerCase() || repo.length > 255) throw new AppError('invalid_input', `"${repo.slice(0, 300)}" is not a repository name`);
  };
  const checkRef = (ref: string) => {
    if (isDigestRef(ref) ? validateDigest(ref) !== null : !tagRegexp.test(ref)) {
      throw new AppError('invalid_input', `"${ref.slice(0, 200)}" is neither a tag nor a sha256/sha512 digest`);
    }
  };
  const manifestWhat = (repo: string, ref: string) => `repository ${repo}, manifest ${isDigestRef(ref) ? `@${ref}` : `:${ref}`}`;

  function notFound(answer: Answer, repo: string, what: string): AppError {
    const codes = errorCodes(answer.body);
    const why = codes.includes('NAME_UNKNOWN') ? `has no repository ${repo}` : `has no ${what.replace(`repository ${repo}, `, '')} in ${repo}`;
    return new AppError('not_found', `registry ${registry} ${why}`);
  }

  async function fetchManifest(repo: string, ref: string): Promise<ManifestResult> {
    const what = manifestWhat(repo, ref);
    const answer = await request(repo, 'GET', `${base}/v2/${repo}/manifests/${ref}`, MANIFEST_ACCEPT, LIMITS.manifestBytes, what);
    if (answer.status === 404) throw notFound(answer, repo, what);
    if (answer.status !== 200) throw new AppError('unreadable', `registry ${registry} answered ${describeStatus(answer.status)} for ${what}`);
    // a digest we asked for is the one the content must have; otherwise the registry's header, or
    // (when a registry sends none) the sha256 of what we got
    const digest = isDigestRef(ref) ? ref : (answer.headers.get('docker-content-digest')?.trim() || sha256Digest(answer.body));
    const header = answer.headers.get('docker-content-digest')?.trim();
    if (isDigestRef(ref) && header && header !== ref) throw new AppError('unreadable', `registry ${registry} sent ${header} when asked for ${what}`);
    const check = checkDigest(digest, answer.body);
    if (!check.ok) throw new AppError('unreadable', `registry ${registry}: digest mismatch for ${what}: ${check.reason}`);
    const parsed = parseManifest(answer.body, answer.headers.get('content-type'));
    if (!parsed.ok) throw new AppError('invalid_input', `registry ${registry}: malformed manifest for ${what}: ${parsed.reason}`);
    const common = { digest, mediaType: parsed.value.mediaType, size: answer.body.byteLength };
    return parsed.value.kind === 'index' ? { kind: 'index', ...common, index: parsed.value.index } : { kind: 'manifest', ...common, manifest: parsed.value.manifest };
  }

  return {
    registry,

    async ping() {
      const answer = await request(null, 'GET', `${base}/v2/`, 'application/json', 64 * 1024, 'the API root /v2/');
      if (answer.status !== 200) {
        throw new AppError('unreadable', `registry ${registry} answered ${describeStatus(answer.status)} at /v2/: not an OCI distribution registry?`);
      }
      return { auth: auth.scheme() };
    },

    async listTags(repo) {
      checkRepo(repo);
      return listAllTags({
        registry,
        repo,
        firstUrl: `${base}/v2/${repo}/tags/list?n=${options.tagPageSize ?? LIMITS.tagPageSize}`,
        maxTags: options.maxTags ?? LIMITS.maxTags,
        maxPages: LIMITS.maxPages,
        get: (url, page) => request(repo, 'GET', url, 'application/json', LIMITS.tagPageBytes, `repository ${repo}, tag list page ${page}`),
        notFound: (answer) => notFound(answer, repo, `repository ${repo}, tag list`),
      });
    },

    async getManifest(repo, tagOrDigest, opts = {}) {
      checkRepo(repo);
      checkRef(tagOrDigest);
      const first = await fetchManifest(repo, tagOrDigest);
      if (first.kind === 'manifest' || !opts.platform) return first;
      const entry = selectPlatform(first.index, opts.platform);
      if (!entry) {
        throw new AppError('not_found', `registry ${registry}: ${manifestWhat(repo, tagOrDigest)} has no image for platform ${formatPlatform(opts.platform)}`);
      }
      const chosen = await fetchManifest(repo, entry.digest);
      if (chosen.kind !== 'manifest') throw new AppError('invalid_input', `registry ${registry}: the ${formatPlatform(opts.platform)} entry of ${manifestWhat(repo, tagOrDigest)} is an index, not an image`);
      if (chosen.size !== entry.size) throw new AppError('unreadable', `registry ${registry}: the ${formatPlatform(opts.platform)} manifest is ${chosen.size} bytes, the index says ${entry.size}`);
      return { ...chosen, index: { digest: first.digest, mediaType: first.mediaType } };
    },

    async headManifest(repo, tagOrDigest) {
      checkRepo(repo);
      checkRef(tagOrDigest);
      const what = manifestWhat(repo, tagOrDigest);
      const answer = await request(repo, 'HEAD', `${base}/v2/${repo}/manifests/${tagOrDigest}`, MANIFEST_ACCEPT, 0, what);
      if (answer.status === 404) throw new AppError('not_found', `registry ${registry} has no ${what.replace(`repository ${repo}, `, '')} in ${repo}`);
      if (answer.status !== 200) throw new AppError('unreadable', `registry ${registry} answered ${describeStatus(answer.status)} for ${what}`);
      const digest = answer.headers.get('docker-content-digest')?.trim();
      const sizeHeader = Number(answer.headers.get('content-length') ?? NaN);
      const size = Number.isFinite(sizeHeader) ? sizeHeader : null;
      if (!digest || validateDigest(digest) !== null) {
        // without a trustworthy header the only way to the digest is the body
        const full = await fetchManifest(repo, tagOrDigest);
        return { digest: full.digest, mediaType: full.mediaType, size: full.size };
      }
      if (isDigestRef(tagOrDigest) && digest !== tagOrDigest) throw new AppError('unreadable', `registry ${registry} sent ${digest} when asked for ${what}`);
      return { digest, mediaType: bareMediaType(answer.headers.get('content-type')), size };
    },

    async getConfig(repo, manifest) {
      checkRepo(repo);
      const descriptor = manifest.config;
      const what = `repository ${repo}, config blob ${descriptor.digest}`;
      if (descriptor.size > LIMITS.configBytes) throw new AppError('unreadable', `registry ${registry}: ${what} is ${descriptor.size} bytes, over the ${formatBytes(LIMITS.configBytes)} limit`);
      const answer = await request(repo, 'GET', `${base}/v2/${repo}/blobs/${descriptor.digest}`, '*/*', LIMITS.configBytes, what);
      if (answer.status === 404) throw notFound(answer, repo, what);
      if (answer.status !== 200) throw new AppError('unreadable', `registry ${registry} answered ${describeStatus(answer.status)} for ${what}`);
      const check = checkDigest(descriptor.digest, answer.body);
      if (!check.ok) throw new AppError('unreadable', `registry ${registry}: digest mismatch for ${what}: ${check.reason}`);
      if (answer.body.byteLength !== descriptor.size) throw new AppError('unreadable', `registry ${registry}: ${what} is ${answer.body.byteLength} bytes, the manifest says ${descriptor.size}`);
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(answer.body));
      } catch {
        throw new AppError('invalid_input', `registry ${registry}: ${what} is not UTF-8 JSON`);
      }
      const parsed = imageConfigSchema.safeParse(json);
      if (!parsed.success) throw new AppError('invalid_input', `registry ${registry}: ${what} is not an image configuration (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`);
      return imageMetadata(descriptor.digest, parsed.data, manifest.annotations ?? {});
    },
  };
}

/** The `code`s of an OCI error body ({"errors":[{"code":"NAME_UNKNOWN",...}]}), if any. */
export function errorCodes(body: Uint8Array): string[] {
  try {
    const json = JSON.parse(new TextDecoder().decode(body)) as { errors?: { code?: unknown }[] };
    return (json.errors ?? []).flatMap((e) => (typeof e.code === 'string' ? [e.code] : []));
  } catch {
    return [];
  }
}
