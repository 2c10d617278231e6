import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/adapters/db/open-database.js';
import { loadConfig } from '../../src/config.js';
import { createContext, createLogger, type Context } from '../../src/context.js';
import { buildServer } from '../../src/web/server.js';
import { openTestDatabase } from './database.js';

export interface TestDesk {
  app: FastifyInstance;
  ctx: Context;
  /** Every log line the desk wrote, as text (to prove secrets never reach it). */
  logs: string[];
  /** Moves the desk's clock (when started with a fixed one). */
  setNow(d: Date): void;
  close(): Promise<void>;
}

export interface TestDeskOptions {
  env?: Record<string, string>;
  now?: Date;
  database?: Database;
}

/** A whole desk on its own fresh database, served in-process (app.inject) or on 127.0.0.1 (app.listen). */
export async function startTestDesk(options: TestDeskOptions = {}): Promise<TestDesk> {
  const database = options.database ?? (await openTestDatabase());
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  let now = options.now ?? null;
  const config = loadConfig(
    { CVDESK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'), CVDESK_BASE_URL: 'https://desk.example.test', CVDESK_LOG_LEVEL: 'info', ...options.env },
    process.cwd(),
  );
  const ctx = await createContext(config, { database, log: createLogger(config.logLevel, sink), clock: () => (now ? new Date(now) : new Date()) });
  const app = await buildServer(ctx);
  await app.ready();
  return {
    app,
    ctx,
    logs,
    setNow: (d) => (now = d),
    close: async () => {
      await app.close();
      await ctx.close();
      if (!options.database) await database.close();
    },
  };
}
