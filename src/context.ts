import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { migrateToLatest } from './adapters/db/migrate.js';
import { openDatabase, type Database, type Db } from './adapters/db/open-database.js';
import { mailerFromConfig, type Mailer } from './adapters/mail/smtp-mailer.js';
import { registriesFromConfig, type Registries } from './adapters/registry/registries.js';
import { AppError } from './app/errors.js';
import { loadPolicy } from './app/load-policy.js';
import type { Config } from './config.js';
import type { Policy } from './domain/policy/schema.js';

/** What every use case may need, made once per process: the composition root. */
export interface Context {
  config: Config;
  db: Db;
  database: Database;
  policy: Policy;
  secretKey: Buffer;
  /** The armored private key that signs security.txt, when one is configured. */
  signingKey: string | null;
  /** A registry client per host, with the configured credentials. */
  registries: Registries;
  /** Outgoing mail, or null when CVDESK_MAIL_URL is not set (mail then waits in the outbox, which says why). */
  mailer: Mailer | null;
  log: Logger;
  clock: () => Date;
  newId: () => string;
  close(): Promise<void>;
}

export interface ContextOptions {
  log?: Logger;
  clock?: () => Date;
  /** An already open database (tests share one per file). */
  database?: Database;
  /** Registry clients (tests shorten timeouts); by default built from config.registry. */
  registries?: Registries;
  /** A mailer of the test's own (or null for none); by default built from config.mail. */
  mailer?: Mailer | null;
}

/** Log fields that may hold secrets are removed before a line is written. */
export const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token', '*.totp', '*.passphrase'];

/** Paths that carry a secret (the reporter's tracking link, an invitation, a subscriber's link) are logged without it. */
export const redactUrl = (url: string) =>
  url.replace(/^\/(r|team\/invite|team\/setup|advisories\/confirm|advisories\/unsubscribe)\/[^/?#]+/, '/$1/[redacted]').replace(/([?&](token|invite)=)[^&#]+/gi, '$1[redacted]');

export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      req: (r: { method: string; url: string; ip?: string }) => ({ method: r.method, url: redactUrl(r.url), ip: r.ip }),
      res: (r: { statusCode: number }) => ({ statusCode: r.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export async function createContext(config: Config, options: ContextOptions = {}): Promise<Context> {
  const log = options.log ?? createLogger(config.logLevel);
  const policy = await loadPolicy(config.policyFile);
  const secretKey = config.secretKey ?? (await embeddedSecretKey(config.dataDir, log));
  const signingKey = config.signingKeyFile
    ? await readFile(config.signingKeyFile, 'utf8').catch((e: Error) => {
        throw new AppError('unreadable', `cannot read CVDESK_SIGNING_KEY_FILE ${config.signingKeyFile}: ${e.message}`);
      })
    : null;
  const registries = options.registries ?? (await registriesFromConfig(config.registry, { log }));
  const contactAddress = policy.contacts.flatMap((c) => (c.type === 'email' ? [c.address] : []))[0] ?? null;
  const mailer = options.mailer !== undefined ? options.mailer : mailerFromConfig(config.mail, { teamName: policy.team.name, contactAddress, heloName: config.baseUrl.hostname });
  const database = options.database ?? (await openDatabase(config.database));
  try {
    await migrateToLatest(database.db);
  } catch (e) {
    if (!options.database) await database.close();
    throw e;
  }
  return {
    config,
    db: database.db,
    database,
    policy,
    secretKey,
    signingKey,
    registries,
    mailer,
    log,
    clock: options.clock ?? (() => new Date()),
    newId: randomUUID,
    close: () => (options.database ? Promise.resolve() : database.close()),
  };
}

/**
 * The embedded desk has one process, so it may make its own key: random, kept in the data folder
 * with owner-only permissions, and reused on every start.
 */
async function embeddedSecretKey(dataDir: string, log: Logger): Promise<Buffer> {
  const file = join(dataDir, 'secret.key');
  try {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    if (key.length >= 32) return key;
    throw new AppError('invalid_input', `${file} does not hold a 32-byte key; remove it to have a new one made`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  log.info({ file }, 'made a new secret key for the embedded desk');
  return key;
}
