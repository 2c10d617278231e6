import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { AppError } from '../../app/errors.js';
import { checkSecurityTxt, type CheckSecurityTxtResult, type SecurityTxtSource } from '../../app/check-security-txt.js';
import type { Finding } from '../../formats/security-txt/findings.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { printJson } from '../io.js';
import { parseInstant } from '../options.js';
import type { RegisterCommand } from './index.js';

interface CheckOptions {
  now?: string;
  key?: string[];
  canonical?: string[];
  json?: boolean;
  timeout?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** `cvdesk securitytxt check <file | https URL | ->`: RFC 9116 validation with DTC finding codes. */
export const registerSecuritytxtCheck: RegisterCommand = (program, io, setExit) => {
  const parent =
    program.commands.find((c) => c.name() === 'securitytxt') ?? program.command('securitytxt').description('security.txt (RFC 9116) tools');
  parent.addCommand(
    new Command('check')
      .description('validate a security.txt (file, https URL or - for stdin) against RFC 9116')
      .argument('<input>', 'a file, an https URL or host name, or - for standard input')
      .option('--now <iso>', 'judge expiry as of this instant (default: the current time)')
      .option('--key <file>', 'armored OpenPGP public key file to verify the signature with (repeatable)', collect)
      .option('--canonical <url>', 'URL the Canonical field must match (repeatable)', collect)
      .option('--timeout <ms>', 'time limit for fetching a URL, in milliseconds', '10000')
      .option('--json', 'print the result as JSON')
      .action(async (input: string, opts: CheckOptions) => {
        const now = parseInstant('--now', opts.now, () => new Date());
        const timeoutMs = Number(opts.timeout);
        if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new AppError('invalid_input', `--timeout must be a positive number of milliseconds, not "${opts.timeout}"`);
        const publicKeys = await Promise.all(
          (opts.key ?? []).map((k) =>
            readFile(resolve(io.cwd, k), 'utf8').catch((e: Error) => {
              throw new AppError('unreadable', `cannot read the key ${k}: ${e.message}`);
            }),
          ),
        );
        const source = await sourceOf(input, io);
        const result = await checkSecurityTxt({ source, now, publicKeys, canonicalUrls: opts.canonical ?? [], fetch: { timeoutMs } });
        if (opts.json) printJson(io, result);
        else io.out(humanReport(input, result));
        setExit(result.errors.length > 0 ? EXIT_FINDINGS : EXIT_OK);
      }),
  );
};

async function sourceOf(input: string, io: { readStdin(): Promise<Buffer>; cwd: string }): Promise<SecurityTxtSource> {
  if (input === '-') {
    try {
      return { kind: 'bytes', bytes: new Uint8Array(await io.readStdin()), name: 'stdin' };
    } catch (e) {
      throw new AppError('unreadable', `cannot read standard input: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return { kind: 'url', url: input };
  return { kind: 'file', path: resolve(io.cwd, input) };
}

const where = (f: Finding) => (f.line === null ? 'file' : `line ${f.line}`);

export function humanReport(input: string, r: CheckSecurityTxtResult): string {
  const out: string[] = [`security.txt check of ${input === '-' ? 'standard input' : input}`];
  const section = (title: string, list: Finding[]) => {
    if (list.length === 0) return;
    out.push('', `${title} (${list.length}):`);
    for (const f of list) out.push(`  ${where(f)}: ${f.message} [${f.code}]`);
  };
  section('Errors', r.errors);
  section('Recommendations', r.recommendations);
  section('Notifications', r.notifications);
  const sig = !r.signed ? 'not signed' : r.signatureValid === null ? 'signed (signature not verified: no --key)' : r.signatureValid ? 'signed, signature valid' : 'signed, signature NOT valid';
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  out.push(
    '',
    `${r.errors.length === 0 ? 'VALID' : 'INVALID'}: ${count(r.errors.length, 'error')}, ${count(r.recommendations.length, 'recommendation')}, ${count(r.notifications.length, 'notification')}; ${sig}.`,
  );
  return out.join('\n');
}
