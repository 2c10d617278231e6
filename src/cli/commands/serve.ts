import type { Command } from 'commander';
import { firstAdminLink, SETUP_LINK_HOURS } from '../../app/first-admin-link.js';
import { startSmtpFromConfig } from '../../adapters/mail/smtp-listener.js';
import { buildServer } from '../../web/server.js';
import { loadConfig } from '../../config.js';
import { createContext } from '../../context.js';
import { forgeQueues } from '../../jobs/forge-tasks.js';
import { startJobs } from '../../jobs/index.js';
import type { RegisterCommand } from './index.js';

/** `cvdesk serve`: the desk's web server on the configured database (`npm start`). */
export const registerServe: RegisterCommand = (program: Command, io) => {
  program
    .command('serve')
    .description('start the desk: web pages, API and scheduled jobs (configured by environment variables; see README)')
    .action(async () => {
      const config = loadConfig(io.env, io.cwd);
      const ctx = await createContext(config);
      const app = await buildServer(ctx);
      try {
        await app.listen({ host: config.host, port: config.port });
      } catch (e) {
        await ctx.close();
        throw e;
      }
      const smtp = await startSmtpFromConfig(ctx).catch(async (e: unknown) => {
        await app.close();
        await ctx.close();
        throw e;
      });
      const where = config.database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.database.dataDir}`;
      io.out(`cvdesk is serving ${ctx.policy.project.name} at ${config.baseUrl.toString()} on ${where}.`);
      if (smtp) io.out(`cvdesk is receiving mail for ${smtp.mailboxes.join(', ')} on smtp://${smtp.host.includes(':') ? `[${smtp.host}]` : smtp.host}:${smtp.port}${smtp.starttls ? ' (STARTTLS offered)' : ''}.`);
      const setup = await firstAdminLink(ctx);
      if (setup) io.out(`No account exists yet. Create the first admin account within ${SETUP_LINK_HOURS} hours at this one-time link:\n  ${setup}`);
      const jobs = startJobs(ctx, { queues: [...forgeQueues(ctx)] });
      const signal = await io.untilShutdown();
      io.out(`cvdesk: ${signal}, stopping`);
      await smtp?.close();
      await jobs.stop();
      await app.close();
      await ctx.close();
    });
};
