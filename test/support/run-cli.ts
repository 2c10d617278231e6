import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json: () => unknown;
}

/** Runs the cvdesk command in-process, as a user would type it, and captures what it printed. */
export async function runCli(args: string[], opts: { stdin?: string | Buffer; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (t) => void (stdout += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => void (stderr += t.endsWith('\n') ? t : `${t}\n`),
    readStdin: async () => Buffer.from(opts.stdin ?? ''),
    env: opts.env ?? {},
    cwd: process.cwd(),
    untilShutdown: () => new Promise(() => {}),
  };
  const code = await main(args, io);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}
