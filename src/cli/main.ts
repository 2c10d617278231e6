import { Command, CommanderError } from 'commander';
import { isAppError } from '../app/errors.js';
import { EXIT_BAD_INPUT, exitCodeFor } from './exit-codes.js';
import { processIo, type CliIo } from './io.js';
import { commands } from './commands/index.js';

/** Builds the `cvdesk` program. Each command lives in its own file under ./commands and registers itself. */
export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('cvdesk')
    .description('cvdesk: a coordinated vulnerability disclosure desk for projects that ship container images')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
  for (const register of commands) register(program, io, setExit);
  return program;
}

/** Runs the CLI and returns the exit code. Never throws: faults become a message and a code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (isAppError(e)) {
      io.err(`cvdesk: ${e.message}`);
      return exitCodeFor(e.code);
    }
    io.err(`cvdesk: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    return 70;
  }
}
