import { writeFile } from 'node:fs/promises';
import { formatFinding } from '../../adapters/advisory-validation.js';
import { AppError, isAppError } from '../../app/errors.js';
import { advisoryYaml, importGhsaText, readRecordFile } from '../../app/import-ghsa-advisory.js';
import { formatProblem } from '../../app/load-policy.js';
import { ADVISORY_FORMATS, renderAdvisory, type AdvisoryFormat } from '../../app/render-advisory.js';
import type { AdvisoryProblem } from '../../domain/advisories/parse-advisory.js';
import { EXIT_BAD_INPUT, EXIT_FINDINGS } from '../exit-codes.js';
import { printJson, type CliIo } from '../io.js';
import { oneOf, parseInstant } from '../options.js';
import type { RegisterCommand } from './index.js';

interface RenderOpts {
  policy: string;
  format: string;
  now?: string;
  baseUrl?: string;
  inventory?: string;
  vulnerability?: string;
  out?: string;
  json?: boolean;
}

const isProblemList = (d: unknown): d is AdvisoryProblem[] => Array.isArray(d) && d.every((p) => p && typeof p === 'object' && 'line' in p && 'field' in p);

export const registerAdvisory: RegisterCommand = (program, io, setExit) => {
  const advisory = program.command('advisory').description('render advisory files (CSAF, OSV, Markdown, HTML) and import GitHub advisories');

  advisory
    .command('render')
    .description('render an advisory file as CSAF 2.0, OSV, Markdown or an HTML page')
    .argument('<advisory>', 'the advisory YAML file')
    .requiredOption('--policy <file>', 'the policy YAML file (tag scheme, support rule, publisher)')
    .requiredOption('--format <format>', `${ADVISORY_FORMATS.join(', ')}`)
    .option('--now <ISO>', 'the instant that dates what the file leaves undated (default: now)')
    .option('--base-url <URL>', 'where the desk runs: CSAF documents name their URL under <URL>/.well-known/csaf/')
    .option('--inventory <file>', "the images' tags with digests, one registry/repo:tag@sha256:… a line (instead of the file's inventory)")
    .option('--vulnerability <id>', 'csaf-vex: the upstream vulnerability, when the advisory names several')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .option('--json', 'problems and validator findings as JSON (the document itself is printed as it is)')
    .action(async (file: string, opts: RenderOpts) => {
      const format = oneOf('--format', opts.format, ADVISORY_FORMATS) as AdvisoryFormat;
      const now = parseInstant('--now', opts.now, () => new Date());
      if (opts.baseUrl && !/^https:\/\/[^/]+/.test(opts.baseUrl)) throw new AppError('invalid_input', `--base-url must be an https URL (got "${opts.baseUrl}")`);
      try {
        const r = await renderAdvisory({ file, policyFile: opts.policy, format, now, baseUrl: opts.baseUrl, inventoryFile: opts.inventory, vulnerability: opts.vulnerability });
        if (opts.out) {
          await writeFile(opts.out, r.text).catch((e: Error) => {
            throw new AppError('unreadable', `cannot write ${opts.out}: ${e.message}`);
          });
          io.err(`wrote ${opts.out}`);
        } else io.out(r.text);
        // what the desk would refuse to publish: the document is printed, and the command says why not
        const faults = r.findings.filter((f) => f.level !== 'info');
        if (faults.length) {
          io.err(opts.json ? JSON.stringify({ valid: false, file, findings: faults }, null, 2) : faults.map(formatFinding).join('\n'));
          setExit(EXIT_FINDINGS);
        }
      } catch (e) {
        if (!isAppError(e) || e.code === 'invalid_policy' || !isProblemList(e.details)) throw e;
        setExit(EXIT_BAD_INPUT);
        if (opts.json) return printJson(io, { valid: false, file, problems: e.details });
        reportProblems(io, file, e.details);
      }
    });

  advisory
    .command('import')
    .description('print the cvdesk advisory YAML for a GitHub advisory (REST, GraphQL or OSV shape)')
    .argument('<ghsa.json>', 'the GitHub advisory record (- for standard input)')
    .option('--policy <file>', "map the advisory's packages to the policy's images")
    .option('--json', 'print {advisory, notes} as JSON instead of the YAML file')
    .action(async (file: string, opts: { policy?: string; json?: boolean }) => {
      const text = file === '-' ? (await io.readStdin()).toString('utf8') : await readRecordFile(file);
      const source = file === '-' ? 'standard input' : file;
      const imported = await importGhsaText(text, source, opts.policy);
      if (opts.json) return printJson(io, imported);
      io.out(advisoryYaml(imported, source));
    });
};

function reportProblems(io: CliIo, file: string, problems: AdvisoryProblem[]): void {
  io.err(problems.map(formatProblem).join('\n'));
  io.err(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; the advisory was not rendered.`);
}
