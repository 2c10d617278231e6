import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from './app/errors.js';
import { checkCron } from './domain/calendar/cron.js';
import type { DatabaseTarget } from './adapters/db/open-database.js';

/**
 * The environment, parsed once into a typed Config. No secret has a default: with DATABASE_URL
 * (several processes share one database) CVDESK_SECRET_KEY is required; the embedded desk keeps a
 * generated key in its data folder instead (see context.ts).
 */
export interface Config {
  host: string;
  port: number;
  baseUrl: URL;
  policyFile: string;
  database: DatabaseTarget;
  dataDir: string;
  /** 32+ bytes; null means "generate one in the data folder" (embedded database only). */
  secretKey: Buffer | null;
  signingKeyFile: string | null;
  signingKeyPassphrase: string | null;
  /** The SMTP listener that takes reports by mail (CVDESK_SMTP_LISTEN); off when listen is null. */
  smtp: SmtpListenConfig;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Outgoing mail (src/adapters/mail): without CVDESK_MAIL_URL nothing is sent and the outbox says so. */
  mail: MailConfig;
  limits: { bodyBytes: number; attachmentBytes: number; attachmentsPerReport: number };
  /** Request rate limits per surface, per client address and overall (src/web/rate-limits.ts). */
  rateLimits: RateLimitsConfig;
  /** How many reverse proxies stand in front of the desk (CVDESK_TRUST_PROXY); 0: none, the socket's address is the client's. */
  trustProxy: number;
  registry: RegistrySettingsConfig;
  /** The secret the rebuild trigger sends: a GitHub token, a GitLab trigger token or the webhook's HMAC key. */
  rebuildToken: string | null;
  /** The GitHub and GitLab channels: tokens, API addresses, the GitLab webhook's secret, the poll schedule. */
  forges: ForgesConfig;
  /** A mailbox elsewhere that the desk polls for reports (CVDESK_IMAP_URL); null: none. */
  imap: ImapConfig | null;
}

/** The IMAP folder the desk takes mail from. The user and password are secrets: never logged or shown. */
export interface ImapConfig {
  /** imaps:// (TLS from the start); imap:// uses STARTTLS, required off loopback. */
  secure: boolean;
  host: string;
  port: number;
  user: string;
  password: string;
  /** The folder polled (the URL's path; INBOX when it has none). */
  folder: string;
  /** Where a filed message is moved; null: it stays, flagged \Seen and $CvdeskProcessed. */
  moveTo: string | null;
  /** Extra CA certificates (PEM) to trust for the server, e.g. a private CA. */
  caFile: string | null;
  /** When the folder is polled (cron, UTC); null: never on a schedule. */
  pollCron: string | null;
}

/** How the desk reaches GitHub and GitLab (src/adapters/forges). Tokens and the webhook secret are secrets. */
export interface ForgesConfig {
  githubToken: string | null;
  /** https://api.github.com, or a GitHub Enterprise Server's https://host/api/v3. */
  githubApiUrl: string;
  gitlabToken: string | null;
  /** Overrides <the contact's origin>/api/v4 for every GitLab contact; null: derived from each contact. */
  gitlabApiUrl: string | null;
  gitlabWebhookSecret: string | null;
  /** When the forge sources are polled (cron, UTC); null: never on a schedule. */
  pollCron: string | null;
}

/** A fixed-window limit: at most perAddress requests from one client address, and overall from all together, per window. */
export interface RateLimit {
  perAddress: number;
  overall: number;
  windowMs: number;
}

/** The surfaces an anonymous visitor can reach and that cost the desk something (see src/web/rate-limits.ts). */
export const RATE_LIMIT_SURFACES = ['submit', 'reply', 'reporter', 'login'] as const;
export type RateLimitSurface = (typeof RATE_LIMIT_SURFACES)[number];

export interface RateLimitsConfig {
  submit: RateLimit;
  reply: RateLimit;
  reporter: RateLimit;
  login: RateLimit;
  /** IPv6 clients are counted per prefix of this length (a /64 is what one subscriber usually gets). */
  ipv6PrefixLength: number;
}

/** The defaults; each is raised or lowered with CVDESK_LIMIT_<SURFACE>_PER_ADDRESS, _OVERALL and _WINDOW_SECONDS. */
export const DEFAULT_RATE_LIMITS: Record<RateLimitSurface, RateLimit> = {
  submit: { perAddress: 10, overall: 60, windowMs: 15 * 60_000 },
  reply: { perAddress: 30, overall: 300, windowMs: 15 * 60_000 },
  reporter: { perAddress: 300, overall: 3000, windowMs: 5 * 60_000 },
  login: { perAddress: 60, overall: 120, windowMs: 5 * 60_000 },
};

/** How the desk and the image commands reach registries. */
export interface RegistrySettingsConfig {
  /** A Docker-style config.json ({"auths": {...}}) with credentials per registry host. */
  authFile: string | null;
  /** Hosts (host or host:port) outside loopback that are spoken to over plain HTTP. */
  plainHttp: string[];
  /** When the inventory of the policy's images is synced (cron, UTC); null: never on a schedule. */
  syncCron: string | null;
}

const port = z.coerce.number().int().min(0).max(65535);
const bytes = z.coerce.number().int().positive();

const limitCount = z.coerce.number().int().positive();

/** CVDESK_LIMIT_SUBMIT_PER_ADDRESS, CVDESK_LIMIT_SUBMIT_OVERALL, CVDESK_LIMIT_SUBMIT_WINDOW_SECONDS, ... for every surface. */
function rateLimitEnv() {
  const shape: Record<string, z.ZodOptional<typeof limitCount>> = {};
  for (const s of RATE_LIMIT_SURFACES) {
    const name = `CVDESK_LIMIT_${s.toUpperCase()}`;
    shape[`${name}_PER_ADDRESS`] = limitCount.optional();
    shape[`${name}_OVERALL`] = limitCount.optional();
    shape[`${name}_WINDOW_SECONDS`] = limitCount.optional();
  }
  return shape;
}

function rateLimitsConfig(e: Record<string, unknown>): RateLimitsConfig {
  const limit = (s: RateLimitSurface): RateLimit => {
    const name = `CVDESK_LIMIT_${s.toUpperCase()}`;
    const d = DEFAULT_RATE_LIMITS[s];
    const perAddress = (e[`${name}_PER_ADDRESS`] as number | undefined) ?? d.perAddress;
    const overall = (e[`${name}_OVERALL`] as number | undefined) ?? Math.max(d.overall, perAddress);
    if (overall < perAddress) throw new AppError('invalid_input', `${name}_OVERALL (${overall}) is below ${name}_PER_ADDRESS (${perAddress}): the overall limit counts all addresses together`);
    const seconds = e[`${name}_WINDOW_SECONDS`] as number | undefined;
    return { perAddress, overall, windowMs: seconds === undefined ? d.windowMs : seconds * 1000 };
  };
  return { submit: limit('submit'), reply: limit('reply'), reporter: limit('reporter'), login: limit('login'), ipv6PrefixLength: e.CVDESK_LIMIT_IPV6_PREFIX as number };
}

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8080),
  CVDESK_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  CVDESK_POLICY: z.string().min(1).default('examples/policies/mautic-docker.yaml'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  CVDESK_DATA_DIR: z.string().min(1).default('data'),
  CVDESK_SECRET_KEY: z.string().optional(),
  CVDESK_SIGNING_KEY_FILE: z.string().min(1).optional(),
  CVDESK_SIGNING_KEY_PASSPHRASE: z.string().optional(),
  CVDESK_SMTP_LISTEN: z.string().optional(),
  CVDESK_SMTP_TLS_CERT: z.string().min(1).optional(),
  CVDESK_SMTP_TLS_KEY: z.string().min(1).optional(),
  CVDESK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CVDESK_MAIL_URL: z.string().optional(),
  CVDESK_MAIL_FROM: z.string().optional(),
  CVDESK_MAX_BODY_BYTES: bytes.default(12 * 1024 * 1024),
  CVDESK_MAX_ATTACHMENT_BYTES: bytes.default(5 * 1024 * 1024),
  CVDESK_MAX_ATTACHMENTS: bytes.default(10),
  CVDESK_TRUST_PROXY: z
    .string()
    .regex(/^(\d{1,2}|true|false)$/, 'must be 0 (no proxy), 1 (one reverse proxy), the number of proxies, true or false')
    .default('0'),
  CVDESK_LIMIT_IPV6_PREFIX: z.coerce.number().int().min(32).max(128).default(64),
  ...rateLimitEnv(),
  CVDESK_REGISTRY_AUTH_FILE: z.string().min(1).optional(),
  CVDESK_REGISTRY_PLAIN_HTTP: z.string().default(''),
  CVDESK_IMAGE_SYNC_CRON: z.string().min(1).default('20 * * * *'),
  CVDESK_REBUILD_TOKEN: z.string().min(1).optional(),
  CVDESK_GITHUB_TOKEN: z.string().min(1).optional(),
  CVDESK_GITHUB_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.github.com'),
  CVDESK_GITLAB_TOKEN: z.string().min(1).optional(),
  CVDESK_GITLAB_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  CVDESK_GITLAB_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters (try: openssl rand -hex 24)').optional(),
  CVDESK_FORGE_POLL_CRON: z.string().min(1).default('*/5 * * * *'),
  CVDESK_IMAP_URL: z.string().optional(),
  CVDESK_IMAP_MOVE_TO: z.string().optional(),
  CVDESK_IMAP_CA_FILE: z.string().min(1).optional(),
  CVDESK_IMAP_POLL_CRON: z.string().min(1).default('* * * * *'),
});

/** The SMTP server mail goes out through and the sender. The URL's user and password are secrets. */
export interface MailConfig {
  /** smtp://[user:password@]host[:port] (STARTTLS when offered; required with a password off loopback) or smtps://... (TLS); null: no mail. */
  url: string | null;
  /** "address" or "Name <address>"; null: the policy's first e-mail contact. */
  from: string | null;
}

/** Checks CVDESK_MAIL_URL and CVDESK_MAIL_FROM. Messages never repeat the URL: it may hold a password. */
export function mailConfig(e: { CVDESK_MAIL_URL?: string | undefined; CVDESK_MAIL_FROM?: string | undefined }): MailConfig {
  const raw = e.CVDESK_MAIL_URL?.trim() || null;
  if (raw) {
    let u: URL | null = null;
    try {
      u = new URL(raw);
    } catch {
      u = null;
    }
    if (!u || !/^smtps?:$/.test(u.protocol) || !u.hostname) throw new AppError('invalid_input', 'CVDESK_MAIL_URL must look like smtp://host:port or smtps://user:password@host:port (the value is not repeated here: it may hold a password)');
    if (u.pathname.replace(/\/+$/, '') !== '' || u.search || u.hash) throw new AppError('invalid_input', 'CVDESK_MAIL_URL takes no path, query or fragment: smtp://[user:password@]host[:port]');
  }
  const from = e.CVDESK_MAIL_FROM?.trim() || null;
  if (from && !/^([^<>]*<\s*[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+\s*>|[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)$/.test(from)) {
    throw new AppError('invalid_input', `CVDESK_MAIL_FROM must be an e-mail address or "Name <address>" (got "${from.slice(0, 100)}")`);
  }
  return { url: raw, from };
}

/** Where the desk takes mail: CVDESK_SMTP_LISTEN=host:port, STARTTLS with CVDESK_SMTP_TLS_CERT and _KEY (PEM files). */
export interface SmtpListenConfig {
  listen: { host: string; port: number } | null;
  tlsCert: string | null;
  tlsKey: string | null;
}

function smtpListenConfig(e: { CVDESK_SMTP_LISTEN?: string | undefined; CVDESK_SMTP_TLS_CERT?: string | undefined; CVDESK_SMTP_TLS_KEY?: string | undefined }, abs: (p: string) => string): SmtpListenConfig {
  const value = e.CVDESK_SMTP_LISTEN?.trim() || null;
  const m = value ? /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value) : null;
  if (value && (!m || Number(m[2]) > 65535)) throw new AppError('invalid_input', `CVDESK_SMTP_LISTEN must be host:port, e.g. 0.0.0.0:25 or [::]:2525 (got "${value.slice(0, 100)}")`);
  if (Boolean(e.CVDESK_SMTP_TLS_CERT) !== Boolean(e.CVDESK_SMTP_TLS_KEY)) throw new AppError('invalid_input', 'CVDESK_SMTP_TLS_CERT and CVDESK_SMTP_TLS_KEY go together: set both (PEM files) for STARTTLS, or neither');
  if (e.CVDESK_SMTP_TLS_CERT && !value) throw new AppError('invalid_input', 'CVDESK_SMTP_TLS_CERT is set but CVDESK_SMTP_LISTEN is not');
  return {
    listen: m ? { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) } : null,
    tlsCert: e.CVDESK_SMTP_TLS_CERT ? abs(e.CVDESK_SMTP_TLS_CERT) : null,
    tlsKey: e.CVDESK_SMTP_TLS_KEY ? abs(e.CVDESK_SMTP_TLS_KEY) : null,
  };
}

/** Decodes CVDESK_SECRET_KEY: base64 or hex of at least 32 random bytes (`openssl rand -base64 32`). */
export function decodeSecretKey(value: string): Buffer {
  const v = value.trim();
  const key = /^[0-9a-f]+$/i.test(v) && v.length % 2 === 0 ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
  if (key.length < 32) throw new AppError('invalid_input', 'CVDESK_SECRET_KEY must hold at least 32 random bytes, as base64 or hex (try: openssl rand -base64 32)');
  return key;
}

/** Only where the database is, for commands that need no secret (`cvdesk db migrate`, `cvdesk audit verify`). */
export function loadDatabaseConfig(env: Record<string, string | undefined>, cwd: string): DatabaseTarget {
  const parsed = envSchema.pick({ DATABASE_URL: true, CVDESK_DATA_DIR: true }).safeParse(env);
  if (!parsed.success) throw new AppError('invalid_input', `the environment does not name a database:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  const { DATABASE_URL: url, CVDESK_DATA_DIR: dir } = parsed.data;
  return url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: resolve(isAbsolute(dir) ? dir : resolve(cwd, dir), 'db') };
}

/** Only the registry settings, for commands that talk to registries without a desk (`cvdesk image status`). */
export function loadRegistrySettings(env: Record<string, string | undefined>, cwd: string): RegistrySettingsConfig {
  const parsed = envSchema.pick({ CVDESK_REGISTRY_AUTH_FILE: true, CVDESK_REGISTRY_PLAIN_HTTP: true, CVDESK_IMAGE_SYNC_CRON: true }).safeParse(env);
  if (!parsed.success) throw new AppError('invalid_input', `the environment does not configure registries:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return registrySettings(parsed.data, cwd);
}

/** The policy file (CVDESK_POLICY or its default), for commands that read the policy without a desk (`cvdesk image status`). */
export function loadPolicyFileSetting(env: Record<string, string | undefined>, cwd: string): string {
  const parsed = envSchema.pick({ CVDESK_POLICY: true }).safeParse(env);
  if (!parsed.success) throw new AppError('invalid_input', `the environment does not name a policy file:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  const file = parsed.data.CVDESK_POLICY;
  return isAbsolute(file) ? file : resolve(cwd, file);
}

function registrySettings(e: { CVDESK_REGISTRY_AUTH_FILE?: string | undefined; CVDESK_REGISTRY_PLAIN_HTTP: string; CVDESK_IMAGE_SYNC_CRON: string }, cwd: string): RegistrySettingsConfig {
  const plainHttp = e.CVDESK_REGISTRY_PLAIN_HTTP.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const bad = plainHttp.find((h) => !/^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/.test(h));
  if (bad !== undefined) throw new AppError('invalid_input', `CVDESK_REGISTRY_PLAIN_HTTP: "${bad.slice(0, 100)}" is not a host or host:port`);
  const cronProblem = e.CVDESK_IMAGE_SYNC_CRON === 'off' ? null : checkCron(e.CVDESK_IMAGE_SYNC_CRON);
  if (cronProblem) throw new AppError('invalid_input', `CVDESK_IMAGE_SYNC_CRON: ${cronProblem} (or "off")`);
  const file = e.CVDESK_REGISTRY_AUTH_FILE;
  return {
    authFile: file ? (isAbsolute(file) ? file : resolve(cwd, file)) : null,
    plainHttp,
    syncCron: e.CVDESK_IMAGE_SYNC_CRON === 'off' ? null : e.CVDESK_IMAGE_SYNC_CRON,
  };
}

function baseUrlOf(e: { CVDESK_BASE_URL?: string | undefined; PORT: number }): URL {
  const baseUrl = new URL(e.CVDESK_BASE_URL ?? `http://localhost:${e.PORT}`);
  baseUrl.pathname = baseUrl.pathname.replace(/\/*$/, '/');
  return baseUrl;
}

/** The address the desk serves at (CVDESK_BASE_URL, else http://localhost:PORT/), as `cvdesk serve` reads it. */
export function loadBaseUrl(env: Record<string, string | undefined>): URL {
  const parsed = envSchema.pick({ CVDESK_BASE_URL: true, PORT: true }).safeParse(env);
  if (!parsed.success) throw new AppError('invalid_input', `the environment does not configure the desk:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return baseUrlOf(parsed.data);
}

export function loadConfig(env: Record<string, string | undefined>, cwd: string): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new AppError('invalid_input', `the environment does not configure the desk:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  if (e.DATABASE_URL && !e.CVDESK_SECRET_KEY) {
    throw new AppError('invalid_input', 'CVDESK_SECRET_KEY is required with DATABASE_URL: every desk process sharing the database needs the same key (try: openssl rand -base64 32)');
  }
  if (e.CVDESK_SIGNING_KEY_PASSPHRASE !== undefined && !e.CVDESK_SIGNING_KEY_FILE) {
    throw new AppError('invalid_input', 'CVDESK_SIGNING_KEY_PASSPHRASE is set but CVDESK_SIGNING_KEY_FILE is not');
  }
  const dataDir = abs(e.CVDESK_DATA_DIR);
  const baseUrl = baseUrlOf(e);
  return {
    host: e.HOST,
    port: e.PORT,
    baseUrl,
    policyFile: abs(e.CVDESK_POLICY),
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: resolve(dataDir, 'db') },
    dataDir,
    secretKey: e.CVDESK_SECRET_KEY ? decodeSecretKey(e.CVDESK_SECRET_KEY) : null,
    signingKeyFile: e.CVDESK_SIGNING_KEY_FILE ? abs(e.CVDESK_SIGNING_KEY_FILE) : null,
    signingKeyPassphrase: e.CVDESK_SIGNING_KEY_PASSPHRASE ?? null,
    smtp: smtpListenConfig(e, abs),
    logLevel: e.CVDESK_LOG_LEVEL,
    mail: mailConfig(e),
    limits: { bodyBytes: e.CVDESK_MAX_BODY_BYTES, attachmentBytes: e.CVDESK_MAX_ATTACHMENT_BYTES, attachmentsPerReport: e.CVDESK_MAX_ATTACHMENTS },
    rateLimits: rateLimitsConfig(e),
    trustProxy: e.CVDESK_TRUST_PROXY === 'true' ? 1 : e.CVDESK_TRUST_PROXY === 'false' ? 0 : Number(e.CVDESK_TRUST_PROXY),
    registry: registrySettings(e, cwd),
    rebuildToken: e.CVDESK_REBUILD_TOKEN ?? null,
    forges: forgesConfig(e),
    imap: imapConfig(e, abs),
  };
}

/** Plain HTTP only to loopback (tests, a local proxy): a token must not cross a network in clear text. */
function forgeApiUrl(name: string, value: string): string {
  const u = new URL(value);
  if (u.protocol === 'http:' && !/^(127(\.\d{1,3}){3}|localhost|\[::1\])$/i.test(u.hostname)) throw new AppError('invalid_input', `${name} must be an https:// URL (plain http only for loopback)`);
  return u.href.replace(/\/+$/, '');
}

/**
 * CVDESK_IMAP_URL: imaps://user:password@host[:993]/Folder or imap://user:password@host[:143]/Folder,
 * user and password percent-encoded. Messages never repeat the URL: it holds a password.
 */
export function imapConfig(
  e: { CVDESK_IMAP_URL?: string | undefined; CVDESK_IMAP_MOVE_TO?: string | undefined; CVDESK_IMAP_CA_FILE?: string | undefined; CVDESK_IMAP_POLL_CRON?: string | undefined },
  abs: (p: string) => string,
): ImapConfig | null {
  const raw = e.CVDESK_IMAP_URL?.trim() || null;
  if (!raw) {
    if (e.CVDESK_IMAP_MOVE_TO?.trim() || e.CVDESK_IMAP_CA_FILE) throw new AppError('invalid_input', 'CVDESK_IMAP_MOVE_TO or CVDESK_IMAP_CA_FILE is set but CVDESK_IMAP_URL is not');
    return null;
  }
  const shape = 'CVDESK_IMAP_URL must look like imaps://user:password@host[:port]/Folder (the value is not repeated here: it holds a password)';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new AppError('invalid_input', shape);
  }
  if (!/^imaps?:$/.test(u.protocol) || !u.hostname || u.search || u.hash) throw new AppError('invalid_input', shape);
  const decode = (s: string, what: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new AppError('invalid_input', `CVDESK_IMAP_URL: the ${what} is not percent-encoded correctly`);
    }
  };
  const user = decode(u.username, 'user name');
  const password = decode(u.password, 'password');
  if (!user || !password) throw new AppError('invalid_input', 'CVDESK_IMAP_URL needs a user and a password (imaps://user:password@host/Folder; percent-encode @ : / in them)');
  const folder = decode(u.pathname.replace(/^\/+|\/+$/g, ''), 'folder') || 'INBOX';
  const secure = u.protocol === 'imaps:';
  const moveTo = e.CVDESK_IMAP_MOVE_TO?.trim() || null;
  if (moveTo !== null && moveTo === folder) throw new AppError('invalid_input', 'CVDESK_IMAP_MOVE_TO names the polled folder itself');
  const cron = e.CVDESK_IMAP_POLL_CRON ?? '* * * * *';
  const cronProblem = cron === 'off' ? null : checkCron(cron);
  if (cronProblem) throw new AppError('invalid_input', `CVDESK_IMAP_POLL_CRON: ${cronProblem} (or "off")`);
  return {
    secure,
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    user,
    password,
    folder,
    moveTo,
    caFile: e.CVDESK_IMAP_CA_FILE ? abs(e.CVDESK_IMAP_CA_FILE) : null,
    pollCron: cron === 'off' ? null : cron,
  };
}

function forgesConfig(e: z.output<typeof envSchema>): ForgesConfig {
  const cron = e.CVDESK_FORGE_POLL_CRON;
  const cronProblem = cron === 'off' ? null : checkCron(cron);
  if (cronProblem) throw new AppError('invalid_input', `CVDESK_FORGE_POLL_CRON: ${cronProblem} (or "off")`);
  return {
    githubToken: e.CVDESK_GITHUB_TOKEN ?? null,
    githubApiUrl: forgeApiUrl('CVDESK_GITHUB_API_URL', e.CVDESK_GITHUB_API_URL),
    gitlabToken: e.CVDESK_GITLAB_TOKEN ?? null,
    gitlabApiUrl: e.CVDESK_GITLAB_API_URL ? forgeApiUrl('CVDESK_GITLAB_API_URL', e.CVDESK_GITLAB_API_URL) : null,
    gitlabWebhookSecret: e.CVDESK_GITLAB_WEBHOOK_SECRET ?? null,
    pollCron: cron === 'off' ? null : cron,
  };
}
