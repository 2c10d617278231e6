import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { validateCsaf } from '../../src/adapters/advisory-validation.js';
import { corpusPath, describeCorpus } from '../support/corpora.js';

/**
 * The OASIS CSAF 2.0 validator test documents go through the same validation the desk uses
 * (validateCsaf), and its verdicts match testcases.json: for a mandatory test, a failing example
 * gets an error from that test and a valid example none; for an optional test, a failing example
 * gets its warning and a valid example none. (In testcases.json an optional failure is still a
 * valid document, so "failures" there are the ones the test must flag.)
 */
interface TestCase {
  id: string;
  group: 'mandatory' | 'optional' | 'informative';
  failures?: Array<{ name: string }>;
  valid?: Array<{ name: string }>;
}

const dir = corpusPath('csaf/validator-tests');
const cases: TestCase[] = existsSync(dir) ? (JSON.parse(readFileSync(`${dir}/testcases.json`, 'utf8')) as { tests: TestCase[] }).tests : [];

for (const group of ['mandatory', 'optional'] as const) {
  describeCorpus(`OASIS CSAF validator test documents: ${group} tests`, () => {
    const tests = cases.filter((t) => t.group === group);
    it('the test cases are there', () => {
      expect(tests.length).toBeGreaterThan(group === 'mandatory' ? 40 : 15);
    });
    for (const t of tests) {
      const test = `${group}Test_${t.id.replaceAll('.', '_')}`;
      it(`${t.id}: flags its ${t.failures?.length ?? 0} failing example(s) and passes its ${t.valid?.length ?? 0} valid one(s)`, async () => {
        const verdicts: string[] = [];
        for (const [list, expectFlagged] of [
          [t.failures ?? [], true],
          [t.valid ?? [], false],
        ] as const) {
          for (const c of list) {
            const report = await validateCsaf(JSON.parse(readFileSync(`${dir}/${c.name}`, 'utf8')));
            const flagged = report.findings.some((f) => f.test === test && f.level === (group === 'mandatory' ? 'error' : 'warning'));
            verdicts.push(`${c.name}: ${flagged === expectFlagged ? 'as expected' : expectFlagged ? 'NOT flagged' : 'flagged'}`);
          }
        }
        expect(verdicts.filter((v) => !v.endsWith('as expected'))).toEqual([]);
      });
    }
  });
}
