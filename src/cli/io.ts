/** Where a command writes. Injected so that tests run commands in-process and read what they printed. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<Buffer>;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Resolves with the signal's name when the process is asked to stop (long-running commands). */
  untilShutdown(): Promise<string>;
  /** Standard error when it is a terminal (progress bars redraw one line there); absent otherwise. */
  errTerminal?: { write(raw: string): void; readonly columns: number };
}

export const processIo = (): CliIo => ({
  out: (t) => void process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  },
  env: process.env,
  cwd: process.cwd(),
  untilShutdown: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }),
  ...(process.stderr.isTTY
    ? {
        errTerminal: {
          write: (raw: string) => void process.stderr.write(raw),
          get columns() {
            return process.stderr.columns || 80;
          },
        },
      }
    : {}),
});

/** Prints JSON (for --json) with a trailing newline, stable key order as built. */
export const printJson = (io: CliIo, value: unknown): void => io.out(JSON.stringify(value, null, 2));

/** A plain-text table: columns padded to the widest cell, no borders. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
