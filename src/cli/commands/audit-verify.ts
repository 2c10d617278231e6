import { Command } from 'commander';
import { AppError } from '../../app/errors.js';
import { verifyAuditLog } from '../../app/verify-audit-log.js';
import { hasTable, openConfiguredDatabase } from '../database.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { printJson } from '../io.js';
import type { RegisterCommand } from './index.js';

/** `cvdesk audit verify`: checks the audit log's hash chain on the configured database. */
export const registerAuditVerify: RegisterCommand = (program, io, setExit) => {
  const parent = program.commands.find((c) => c.name() === 'audit') ?? program.command('audit').description('the audit log');
  parent.addCommand(
    new Command('verify')
      .description(
        'verify the hash chain of the audit log on the configured database (DATABASE_URL, or the embedded one in CVDESK_DATA_DIR; stop an embedded desk first). ' +
          'Exit 0: intact; 1: a changed, inserted or deleted entry (the first one is named); 2: the database cannot be read.',
      )
      .option('--json', 'print the result as JSON')
      .action(async (opts: { json?: boolean }) => {
        const { database, where } = await openConfiguredDatabase(io, { mustExist: true });
        try {
          if (!(await hasTable(database, 'audit_log'))) throw new AppError('unreadable', `${where} has no audit log (is it a cvdesk database? run cvdesk db migrate)`);
          const r = await verifyAuditLog(database.db);
          if (opts.json) printJson(io, r);
          else if (r.intact) io.out(`intact: ${r.entries} ${r.entries === 1 ? 'entry' : 'entries'}`);
          else io.out(`${r.message}\n${r.entries} ${r.entries === 1 ? 'entry' : 'entries'} before it verify.`);
          setExit(r.intact ? EXIT_OK : EXIT_FINDINGS);
        } finally {
          await database.close();
        }
      }),
  );
};
