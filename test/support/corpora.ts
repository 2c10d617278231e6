import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..', '..');

/**
 * The shared real-world corpora live outside the repository. CI always has them at ../shared/corpora;
 * a fresh clone may not, so one setting points at them: CVDESK_CORPORA.
 */
export const corporaDir = resolve(repoRoot, process.env.CVDESK_CORPORA ?? '../shared/corpora');
export const haveCorpora = existsSync(corporaDir);

export const corpusPath = (...parts: string[]): string => resolve(corporaDir, ...parts);

let warned = false;
/** A describe block that runs only when the corpora are present, and says so plainly when they are not. */
export function describeCorpus(name: string, fn: () => void): void {
  if (!haveCorpora && !warned) {
    warned = true;
    console.warn(`[cvdesk] corpus tests SKIPPED: no corpora at ${corporaDir} (set CVDESK_CORPORA to their folder)`);
  }
  (haveCorpora ? describe : describe.skip)(`${name} [corpus]`, fn);
}
