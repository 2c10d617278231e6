import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');
export const example = (name: string): string => resolve(root, 'examples/advisories', name);
export const policy = (name: string): string => resolve(root, 'examples/policies', name);

/** The example advisories, the policy each is written for, and the flags that pin their rendering. */
export const EXAMPLES = [
  { advisory: 'mautic-docker-2026-001.yaml', policy: 'mautic-docker.yaml', flags: ['--now', '2026-11-25T10:00:00Z'], vex: false },
  { advisory: 'ozg-security-scanner-2024-001.yaml', policy: 'ozg-security-scanner.yaml', flags: ['--now', '2024-09-09T12:00:00Z', '--base-url', 'https://ozgsec.example'], vex: true },
  { advisory: 'minimal-2026-001.yaml', policy: 'minimal.yaml', flags: ['--now', '2026-11-20T09:00:00Z'], vex: false },
] as const;

export const renderArgs = (e: (typeof EXAMPLES)[number], format: string): string[] => ['advisory', 'render', example(e.advisory), '--policy', policy(e.policy), '--format', format, ...e.flags];

let hunspell: boolean | undefined;
/**
 * The CSAF informative test 6.3.8 runs `hunspell` with an `en` dictionary and takes the process
 * down when it is missing, so the informative tests run only where it is installed. CI installs it
 * and sets CVDESK_REQUIRE_HUNSPELL=1, which turns its absence into a failure.
 */
export function haveHunspell(): boolean {
  if (hunspell !== undefined) return hunspell;
  const r = spawnSync('hunspell', ['-D'], { encoding: 'utf8', input: '' });
  hunspell = r.error === undefined && /\/en(\.|\n|$)/m.test(`${r.stdout}${r.stderr}`);
  if (!hunspell) {
    if (process.env.CVDESK_REQUIRE_HUNSPELL === '1') throw new Error('hunspell with an "en" dictionary is required (CVDESK_REQUIRE_HUNSPELL=1) but is not installed');
    console.warn('[cvdesk] CSAF informative tests SKIPPED: hunspell with an "en" dictionary is not installed (apt-get install hunspell hunspell-en-us; link en_US.{aff,dic} to en.{aff,dic})');
  }
  return hunspell;
}
