import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/**
 * A policy file for the rebuild tests: Mautic's example (support: newest minor of majors 5 and 6,
 * variants apache and fpm) with the test's image repositories and rebuild section.
 */
export function writeRebuildPolicy(dir: string, options: { images: string[]; rebuild?: Record<string, unknown> | null; name?: string }): string {
  const policy = parse(readFileSync('examples/policies/mautic-docker.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
  policy.project!.images = options.images.map((name) => ({ name }));
  if (options.rebuild === null) delete policy.releases!.rebuild;
  else if (options.rebuild) policy.releases!.rebuild = { cron: '0 0 * * 1', timeZone: 'UTC', ...options.rebuild };
  const file = join(dir, options.name ?? 'policy.yaml');
  writeFileSync(file, stringify(policy));
  return file;
}
