import { readFile } from 'node:fs/promises';
import { AppError } from '../../app/errors.js';
import { loadPolicy } from '../../app/load-policy.js';
import { applySupportRule } from '../../domain/images/index.js';
import { printJson, table, type CliIo } from '../io.js';
import type { RegisterCommand } from './index.js';

/** One tag a line; blank lines and # comments are skipped. */
export const parseTagList = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

async function readTags(io: CliIo, file: string): Promise<string[]> {
  const bytes = file === '-' ? await io.readStdin() : await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new AppError(e.code === 'ENOENT' ? 'not_found' : 'unreadable', `cannot read tags file ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  return parseTagList(bytes.toString('utf8'));
}

export const registerTags: RegisterCommand = (program, io) => {
  program
    .command('tags')
    .description("classify image tags and apply the policy's support rule")
    .argument('<policy>', 'the policy YAML file')
    .argument('[tags...]', 'tags to classify')
    .option('--tags-file <file>', 'read tags from a file, one a line (- for standard input)')
    .option('--json', 'print JSON')
    .action(async (file: string, args: string[], opts: { tagsFile?: string; json?: boolean }) => {
      if (opts.tagsFile && args.length) throw new AppError('invalid_input', 'give tags either as arguments or with --tags-file, not both');
      const tags = opts.tagsFile ? await readTags(io, opts.tagsFile) : args;
      if (tags.length === 0) throw new AppError('invalid_input', 'no tags given: name them as arguments or with --tags-file');
      const p = await loadPolicy(file);
      const statuses = applySupportRule(tags, p.tags, p.support);
      if (opts.json) return printJson(io, statuses);
      const rows = statuses.map((s) => [s.tag, s.kind, s.version ?? s.commit ?? '', s.variant ?? '', s.receivesAdvisories ? 'yes' : 'no', s.reason]);
      const n = statuses.filter((s) => s.receivesAdvisories).length;
      io.out(`${table(['tag', 'kind', 'version', 'variant', 'advisories', 'why'], rows)}\n\n${n} of ${statuses.length} tag${statuses.length === 1 ? '' : 's'} receive security advisories under the policy of "${p.project.name}".`);
    });
};
