/**
 * Seeds the configured desk database (DATABASE_URL, or the embedded one in CVDESK_DATA_DIR, as
 * `cvdesk db migrate` finds it) with a realistic world at scale, after migrating it:
 *
 *   npm run seed -- [--reports 100000] [--advisories 10000] [--tags 50000] [--seed 7] [--now ISO] [--policy FILE] [--json]
 *
 * Published advisories are frozen with documents that name the desk's address (CVDESK_BASE_URL, as
 * `cvdesk serve` reads it).
 *
 * Refuses a database that already holds reports, advisories, image tags or audit entries (exit 2).
 * Deterministic: the same seed, sizes, policy and --now write the same data.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { migrateToLatest } from '../src/adapters/db/migrate.js';
import { isAppError, AppError } from '../src/app/errors.js';
import { loadPolicy } from '../src/app/load-policy.js';
import { openConfiguredDatabase } from '../src/cli/database.js';
import { EXIT_BAD_INPUT, exitCodeFor } from '../src/cli/exit-codes.js';
import { printJson, processIo, type CliIo } from '../src/cli/io.js';
import { parseInstant } from '../src/cli/options.js';
import { loadBaseUrl, loadPolicyFileSetting } from '../src/config.js';
import { parseAdvisory } from '../src/domain/advisories/parse-advisory.js';
import { seedDatabase } from './seed/seed-database.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPLATE_ADVISORY = join(ROOT, 'examples/advisories/mautic-docker-2026-001.yaml');

function count(flag: string, max: number) {
  return (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) > max) throw new AppError('invalid_input', `${flag} must be a whole number from 0 to ${max} (got "${v.slice(0, 40)}")`);
    return Number(v);
  };
}

interface Flags {
  reports: number;
  advisories: number;
  tags: number;
  seed: number;
  now?: string;
  policy?: string;
  json?: boolean;
}

export async function runSeed(argv: string[], io: CliIo): Promise<number> {
  const program = new Command('seed')
    .description('fill an empty desk database with reports, advisories and image tags at scale (issue #7)')
    .option('--reports <n>', 'reports received over the last two years', count('--reports', 10_000_000), 100_000)
    .option('--advisories <n>', 'advisories over the fixed reports', count('--advisories', 1_000_000), 10_000)
    .option('--tags <n>', "image tags across the policy's repositories", count('--tags', 10_000_000), 50_000)
    .option('--seed <n>', 'the random generator seed', count('--seed', 2 ** 32 - 1), 7)
    .option('--now <iso>', 'the moment the data is seeded against (default: now)')
    .option('--policy <file>', 'the policy file (default: CVDESK_POLICY, or the desk default)')
    .option('--json', 'print the summary as JSON')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    const f = program.opts<Flags>();
    if (f.advisories > 0 && f.tags < 100) throw new AppError('invalid_input', '--tags must be at least 100 when advisories are seeded: they need releases to be fixed in');
    const now = parseInstant('--now', f.now, () => new Date());
    const policy = await loadPolicy(f.policy ?? loadPolicyFileSetting(io.env, io.cwd));
    const parsed = parseAdvisory(await readFile(TEMPLATE_ADVISORY, 'utf8'), TEMPLATE_ADVISORY);
    if (!parsed.ok) throw new AppError('internal', `the template advisory ${TEMPLATE_ADVISORY} does not parse`);
    const { database, where } = await openConfiguredDatabase(io, { mustExist: false });
    try {
      await migrateToLatest(database.db);
      const started = performance.now();
      const summary = await seedDatabase(database.db, { ...f, now, policy, template: parsed.advisory, baseUrl: loadBaseUrl(io.env), progress: (m) => io.err(`seed: ${m}`) });
      const seconds = (performance.now() - started) / 1000;
      if (f.json) printJson(io, { where, seconds, ...summary });
      else
        io.out(
          [
            `Seeded ${where} in ${seconds.toFixed(1)} s (as of ${now.toISOString()}, seed ${f.seed}):`,
            `  ${summary.reports} reports (${Object.entries(summary.byState).map(([s, n]) => `${s} ${n}`).join(', ')}), ${summary.events} timeline entries, ${summary.messages} messages`,
            `  ${summary.advisories} advisories (${Object.entries(summary.advisoriesByState).map(([s, n]) => `${s} ${n}`).join(', ')})`,
            `  ${summary.tags} image tags and ${summary.manifests} manifests in ${summary.repositories} repositor${summary.repositories === 1 ? 'y' : 'ies'}`,
            `  ${summary.users} team accounts (they cannot sign in: invite yourself), ${summary.auditEntries} audit entries`,
          ].join('\n'),
        );
      return 0;
    } finally {
      await database.close();
    }
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    if (isAppError(e)) {
      io.err(`seed: ${e.message}`);
      return exitCodeFor(e.code);
    }
    io.err(`seed: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 70;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await runSeed(process.argv.slice(2), processIo());
