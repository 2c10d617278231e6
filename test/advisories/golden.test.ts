import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { EXAMPLES, renderArgs } from './support.js';

/**
 * Every renderer on every example advisory, through the real command, against golden files that
 * were read and reviewed by hand. UPDATE_GOLDEN=1 rewrites them (then read the diff).
 */
const GOLDEN = resolve(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

const FORMATS = [
  { format: 'csaf', ext: 'csaf.json' },
  { format: 'csaf-vex', ext: 'vex.json' },
  { format: 'osv', ext: 'osv.json' },
  { format: 'md', ext: 'md' },
  { format: 'html', ext: 'html' },
] as const;

describe('advisory renderers: golden files of the example advisories', () => {
  for (const e of EXAMPLES) {
    for (const f of FORMATS) {
      if (f.format === 'csaf-vex' && !e.vex) continue;
      it(`${e.advisory} as ${f.format}`, async () => {
        const r = await runCli(renderArgs(e, f.format));
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const golden = resolve(GOLDEN, e.advisory.replace(/\.yaml$/, `.${f.ext}`));
        if (update) {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(golden, r.stdout);
        }
        expect(existsSync(golden), `missing ${golden}: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
        expect(r.stdout).toBe(readFileSync(golden, 'utf8'));
      });
    }
  }
});
