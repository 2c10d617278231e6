import { Command } from 'commander';
import { migrateToLatest, migrationNames } from '../../adapters/db/migrate.js';
import { openConfiguredDatabase } from '../database.js';
import { printJson } from '../io.js';
import type { RegisterCommand } from './index.js';

/** `cvdesk db migrate`: brings the configured database's schema up to date (serve does it too, at start). */
export const registerDbMigrate: RegisterCommand = (program, io) => {
  const parent = program.commands.find((c) => c.name() === 'db') ?? program.command('db').description('the desk database');
  parent.addCommand(
    new Command('migrate')
      .description('apply pending migrations to the configured database (DATABASE_URL, or the embedded one in CVDESK_DATA_DIR, made if missing; stop an embedded desk first)')
      .option('--json', 'print the result as JSON')
      .action(async (opts: { json?: boolean }) => {
        const { database, where } = await openConfiguredDatabase(io, { mustExist: false });
        try {
          const applied = await migrateToLatest(database.db);
          const all = migrationNames();
          if (opts.json) return printJson(io, { applied, current: all.at(-1) ?? null, migrations: all.length });
          io.out(
            applied.length === 0
              ? `${where} is up to date (${all.length} migrations, newest ${all.at(-1)}).`
              : `Applied to ${where}:\n${applied.map((m) => `  ${m}`).join('\n')}\nNow at ${all.at(-1)}.`,
          );
        } finally {
          await database.close();
        }
      }),
  );
};
