import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function ruleIdsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'parse-error');
}

// The pure core stays pure: the lint configuration (run by `npm test`) refuses outer layers and I/O there.
describe('architecture: src/domain and src/formats are pure', () => {
  it.each([
    ['src/domain/x.ts', "import { loadPolicy } from '../app/load-policy.js';\nexport const f = loadPolicy;\n"],
    ['src/domain/policy/x.ts', "import { clearSign } from '../../adapters/pgp/clearsign.js';\nexport const f = clearSign;\n"],
    ['src/formats/x.ts', "import { main } from '../cli/main.js';\nexport const f = main;\n"],
    ['src/formats/x/y.ts', "import * as web from '../../web/server.js';\nexport const f = web;\n"],
    ['src/domain/x.ts', "import * as jobs from '../jobs/queue.js';\nexport const f = jobs;\n"],
    ['src/domain/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"],
    ['src/domain/x.ts', 'export const now = () => Date.now();\n'],
    ['src/formats/x.ts', 'export const now = () => new Date();\n'],
    ['src/domain/x.ts', 'export const env = () => process.env.HOME;\n'],
  ])('%s: refuses %j', async (file, code) => {
    expect((await ruleIdsFor(file, code)).length).toBeGreaterThan(0);
  });

  it('allows the same code in the outer layers', async () => {
    expect(await ruleIdsFor('src/app/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = () => [readFileSync, Date.now()];\n")).toEqual([]);
  });
});
