import { randomUUID } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { Command } from 'commander';
import { migrateToLatest } from '../../adapters/db/migrate.js';
import { registriesFromConfig } from '../../adapters/registry/registries.js';
import { loadPolicy } from '../../app/load-policy.js';
import { repositoriesToSync, syncImages, type SyncSummary } from '../../app/images/sync-images.js';
import { loadRegistrySettings } from '../../config.js';
import { openConfiguredDatabase } from '../database.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { printJson, table, type CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import type { RegisterCommand } from './index.js';

const DEFAULT_POLICY = 'examples/policies/mautic-docker.yaml';

/** `cvdesk images sync`: the registry inventory of the policy's images, into the configured database. */
export const registerImagesSync: RegisterCommand = (program, io, setExit) => {
  const parent = program.commands.find((c) => c.name() === 'images') ?? program.command('images').description('the inventory of the policy\'s image repositories');
  parent.addCommand(
    new Command('sync')
      .description(
        "store each tag's digest, platforms, created time, revision and base image of the policy's image repositories (project.images) in the configured database " +
          '(DATABASE_URL, or the embedded one in CVDESK_DATA_DIR; stop an embedded desk first). Re-syncs fetch only digests not yet stored. ' +
          'Registry credentials: CVDESK_REGISTRY_AUTH_FILE. Exit 0: all synced; 1: a repository failed (the others still sync); 2: bad input.',
      )
      .option('--repository <name>', 'only this repository, as the policy names it (e.g. docker.io/mautic/mautic)')
      .option('--policy <file>', `the policy file (default: CVDESK_POLICY, else ${DEFAULT_POLICY})`)
      .option('--json', 'print the summary of each repository as JSON')
      .action(async (opts: { repository?: string; policy?: string; json?: boolean }) => {
        const policyFile = opts.policy ?? io.env.CVDESK_POLICY ?? DEFAULT_POLICY;
        const policy = await loadPolicy(isAbsolute(policyFile) ? policyFile : resolve(io.cwd, policyFile));
        repositoriesToSync(policy, opts.repository); // a wrong name is refused before anything is opened
        const progress = createProgress(io);
        const registries = await registriesFromConfig(loadRegistrySettings(io.env, io.cwd), {
          log: { warn: (fields, message) => progress.note(`${message}: ${String(fields.what ?? '')} (attempt ${String(fields.attempt ?? '?')})`) },
        });
        const { database } = await openConfiguredDatabase(io, { mustExist: false });
        try {
          await migrateToLatest(database.db);
          const summaries = await syncImages(
            { db: database.db, policy, registries, clock: () => new Date(), newId: randomUUID },
            {
              ...(opts.repository !== undefined ? { repository: opts.repository } : {}),
              onProgress: (p) => {
                if (p.phase === 'listing') progress.note(`${p.repository}: listing tags`);
                else if (p.phase === 'checking') progress.update(p.repository, p.done, p.total);
                else progress.finish();
              },
            },
          );
          progress.finish();
          report(io, summaries, opts.json === true);
          setExit(summaries.some((s) => s.status === 'failed') ? EXIT_FINDINGS : EXIT_OK);
        } finally {
          await database.close();
        }
      }),
  );
};

function report(io: CliIo, summaries: SyncSummary[], json: boolean): void {
  const failed = summaries.filter((s) => s.status === 'failed');
  for (const f of failed) io.err(`cvdesk: ${f.repository} was not synced: ${f.error}`);
  if (json) return printJson(io, summaries);
  if (summaries.length === 0) return io.out('The policy names no image repositories (project.images): nothing to sync.');
  const rows = summaries.map((s) => [s.repository, s.status, String(s.tags), String(s.added), String(s.changed), String(s.removed), String(s.manifestsFetched)]);
  const ok = summaries.length - failed.length;
  io.out(
    `${table(['repository', 'status', 'tags', 'added', 'changed', 'removed', 'manifests fetched'], rows)}\n\n` +
      `${ok} of ${summaries.length} ${summaries.length === 1 ? 'repository' : 'repositories'} synced` +
      (failed.length ? `; ${failed.length} failed and keep${failed.length === 1 ? 's' : ''} the inventory of ${failed.length === 1 ? 'its' : 'their'} last successful sync.` : '.'),
  );
}
