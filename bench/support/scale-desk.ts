import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/adapters/db/open-database.js';
import { acceptInvitation } from '../../src/app/accept-invitation.js';
import { inviteMember } from '../../src/app/invite-member.js';
import { loadConfig } from '../../src/config.js';
import { createContext, createLogger, type Context } from '../../src/context.js';
import { buildServer } from '../../src/web/server.js';

/** A whole desk over an open database, served in-process (app.inject), its logs discarded. */
export interface InProcessDesk {
  app: FastifyInstance;
  ctx: Context;
  close(): Promise<void>;
}

/** The address the scale desk serves at (the seed freezes advisories with documents that name it). */
export const BENCH_BASE_URL = new URL('https://desk.example.test/');

export async function startInProcessDesk(database: Database, now: Date): Promise<InProcessDesk> {
  const silent = new Writable({ write: (_c, _e, done) => done() });
  const config = loadConfig({ CVDESK_SECRET_KEY: randomBytes(32).toString('base64'), CVDESK_BASE_URL: BENCH_BASE_URL.toString(), CVDESK_LOG_LEVEL: 'warn' }, process.cwd());
  const ctx = await createContext(config, { database, log: createLogger('warn', silent), clock: () => new Date(now) });
  const app = await buildServer(ctx);
  await app.ready();
  return {
    app,
    ctx,
    close: async () => {
      await app.close();
      await ctx.close();
    },
  };
}

/** The Cookie header of a new team member's session, made through the real invitation and acceptance. */
export async function memberCookie(desk: InProcessDesk, role: 'member' | 'admin' = 'member'): Promise<string> {
  const email = `bench-${randomBytes(4).toString('hex')}@team.example`;
  const invited = await inviteMember(desk.ctx, { invitedBy: null, email, role });
  if (invited.kind !== 'invited') throw new Error(`bench: invitation failed: ${invited.kind}`);
  const made = await acceptInvitation(desk.ctx, { token: invited.url.split('/').at(-1)!, name: 'Bench Member', password: 'orchid lantern maple ninety' });
  if (made.kind !== 'created') throw new Error(`bench: acceptance failed: ${made.kind}`);
  return `cvdesk_session=${made.sessionToken}`;
}
