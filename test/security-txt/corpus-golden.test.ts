import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { checkSecurityTxt } from '../../src/app/check-security-txt.js';
import { corpusPath, describeCorpus } from '../support/corpora.js';

/**
 * Every real and fixture file is checked (keys, detached signatures and all: none may crash the
 * checker) and its findings are compared with a reviewed golden file. UPDATE_GOLDEN=1 rewrites them.
 */
const NOW = new Date('2026-11-23T12:00:00Z');
const GOLDEN = resolve(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

/** Which published key goes with which signed file (per SOURCES.tsv and the key IDs in the signatures). */
export const KEYS: Record<string, string> = {
  'almalinux.org-signed-2025-06.txt': 'almalinux.org-security-pgp-key.asc',
  'almalinux.org-signed-expired-2025-04.txt': 'almalinux.org-security-pgp-key.asc',
  'trivialsec.com.txt': 'trivialsec.com-pgp-key.asc',
};

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

describeCorpus('security.txt: real files and fixtures against golden findings', () => {
  const root = corpusPath('security-txt');
  const all = existsSync(root) ? [...files(join(root, 'real')), ...files(join(root, 'fixtures'))] : [];
  for (const file of all) {
    const rel = relative(root, file);
    it(rel, async () => {
      const name = rel.split('/').pop() ?? rel;
      const key = KEYS[name];
      const r = await checkSecurityTxt({
        source: { kind: 'file', path: file },
        now: NOW,
        ...(key ? { publicKeys: [readFileSync(join(root, 'real', key), 'utf8')] } : {}),
      });
      const summary = { file: rel, now: NOW.toISOString(), verifiedWith: key ?? null, ...r };
      const golden = join(GOLDEN, rel.replaceAll('/', '__') + '.json');
      if (update || !existsSync(golden)) {
        if (!update) throw new Error(`no golden file ${golden}; run with UPDATE_GOLDEN=1 and review it`);
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(golden, JSON.stringify(summary, null, 2) + '\n');
      }
      expect(summary).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
    });
  }
});
