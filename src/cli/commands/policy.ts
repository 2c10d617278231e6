import { writeFile } from 'node:fs/promises';
import { AppError, isAppError } from '../../app/errors.js';
import { formatProblem, loadPolicy } from '../../app/load-policy.js';
import { policyJsonSchema } from '../../domain/policy/json-schema.js';
import type { PolicyProblem } from '../../domain/policy/parse-policy.js';
import { summarisePolicy } from '../../domain/policy/summary.js';
import { renderSecurityMd } from '../../formats/security-md/render-security-md.js';
import { readSigningKey, renderPolicySecurityTxt } from '../../app/render-policy-security-txt.js';
import { EXIT_BAD_INPUT } from '../exit-codes.js';
import { printJson, table, type CliIo } from '../io.js';
import { oneOf, parseInstant } from '../options.js';
import type { RegisterCommand } from './index.js';

export const registerPolicy: RegisterCommand = (program, io, setExit) => {
  const policy = program.command('policy').description('validate, summarise and render a policy file');

  policy
    .command('check')
    .description('validate a policy file and summarise what it promises')
    .argument('<file>', 'the policy YAML file')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      try {
        const p = await loadPolicy(file);
        if (opts.json) return printJson(io, { valid: true, file, summary: Object.fromEntries(summarisePolicy(p)), policy: p });
        io.out(`${file}: valid policy for "${p.project.name}"\n\n${table(['field', 'value'], summarisePolicy(p))}`);
      } catch (e) {
        if (!isAppError(e) || e.code !== 'invalid_policy') throw e;
        const problems = e.details as PolicyProblem[];
        setExit(EXIT_BAD_INPUT);
        if (opts.json) return printJson(io, { valid: false, file, problems });
        io.err(problems.map(formatProblem).join('\n'));
        io.err(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; the policy was not accepted.`);
      }
    });

  policy
    .command('render')
    .description('render SECURITY.md or an RFC 9116 security.txt from a policy')
    .argument('<file>', 'the policy YAML file')
    .requiredOption('--format <format>', 'security-md or security-txt')
    .option('--sign-key <file>', 'clear-sign security.txt with this armored OpenPGP private key')
    .option('--passphrase-env <VAR>', 'the environment variable holding the key passphrase')
    .option('--now <ISO>', 'render as of this time (sets Expires)')
    .option('--base-url <URL>', 'where the desk runs (adds its report form)')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action(async (file: string, opts: RenderOpts) => renderCommand(io, file, opts));

  policy
    .command('schema')
    .description('print the JSON Schema of policy files (for editors)')
    .action(() => printJson(io, policyJsonSchema()));
};

interface RenderOpts {
  format: string;
  signKey?: string;
  passphraseEnv?: string;
  now?: string;
  baseUrl?: string;
  out?: string;
}

async function renderCommand(io: CliIo, file: string, opts: RenderOpts): Promise<void> {
  const format = oneOf('--format', opts.format, ['security-md', 'security-txt'] as const);
  const now = parseInstant('--now', opts.now, () => new Date());
  if (opts.baseUrl && !/^https?:\/\/[^/]+/.test(opts.baseUrl)) throw new AppError('invalid_input', `--base-url must be an http(s) URL (got "${opts.baseUrl}")`);
  if (format === 'security-md' && opts.signKey) throw new AppError('invalid_input', '--sign-key applies to --format security-txt only');
  let passphrase: string | undefined;
  if (opts.passphraseEnv) {
    passphrase = io.env[opts.passphraseEnv];
    if (passphrase === undefined) throw new AppError('invalid_input', `--passphrase-env names ${opts.passphraseEnv}, which is not set`);
  }
  const p = await loadPolicy(file);
  const text =
    format === 'security-md'
      ? renderSecurityMd(p, { baseUrl: opts.baseUrl })
      : (
          await renderPolicySecurityTxt(p, {
            now,
            baseUrl: opts.baseUrl,
            ...(opts.signKey ? { signKey: { armored: await readSigningKey(opts.signKey), passphrase, name: opts.signKey } } : {}),
          })
        ).text;
  if (opts.out) {
    await writeFile(opts.out, text).catch((e: Error) => {
      throw new AppError('unreadable', `cannot write ${opts.out}: ${e.message}`);
    });
    io.err(`wrote ${opts.out}`);
  } else io.out(text);
}
