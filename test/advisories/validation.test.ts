import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { validateCsaf, validateOsv, type Finding } from '../../src/adapters/advisory-validation.js';
import { corpusPath, describeCorpus } from '../support/corpora.js';
import { runCli } from '../support/run-cli.js';
import { EXAMPLES, example, haveHunspell, policy, renderArgs, root } from './support.js';

/**
 * Every CSAF document the renderers write passes the validator's schema, mandatory and optional
 * tests (and, where hunspell is installed, runs the informative tests with nothing but the
 * expected infos); every OSV record passes the OSV schema. Beside the examples, variants cover
 * drafts, withdrawals, VEX statements of images that are not affected, and several upstream ids.
 */
const tmp = mkdtempSync(join(tmpdir(), 'cvdesk-advisory-'));
const MAUTIC = example('mautic-docker-2026-001.yaml');
const OZG = example('ozg-security-scanner-2024-001.yaml');
const ozgFlags = ['--policy', policy('ozg-security-scanner.yaml'), '--base-url', 'https://ozgsec.example', '--now', '2024-09-10T00:00:00Z'];
const mauticFlags = ['--policy', policy('mautic-docker.yaml'), '--now', '2026-12-01T00:00:00Z'];

function variant(name: string, from: string, edit: (text: string) => string): string {
  const file = join(tmp, name);
  const text = readFileSync(from, 'utf8');
  const edited = edit(text);
  if (edited === text) throw new Error(`the edit for ${name} changed nothing`);
  writeFileSync(file, edited);
  return file;
}

/** Informative findings we expect on our documents: no CVE for an invented flaw (6.3.3), and the spell checker not knowing names and digests (6.3.8). */
const EXPECTED_INFOS = new Set(['informativeTest_6_3_3', 'informativeTest_6_3_8']);

/**
 * The informative spell check (6.3.8) starts one hunspell process per string, about ten seconds
 * for the Mautic example on these machines, so it runs on the smaller documents only.
 */
async function expectValidCsaf(text: string, opts: { informative?: boolean } = {}): Promise<void> {
  const report = await validateCsaf(JSON.parse(text), { informative: opts.informative === true && haveHunspell() });
  const unexpected = report.findings.filter((f: Finding) => f.level !== 'info' || !EXPECTED_INFOS.has(f.test));
  expect(unexpected).toEqual([]);
  expect(report.valid).toBe(true);
}

describe('CSAF documents pass the validator (schema, mandatory, optional; informative without URL checks)', () => {
  for (const e of EXAMPLES) {
    for (const format of e.vex ? ['csaf', 'csaf-vex'] : ['csaf']) {
      it(`${e.advisory} as ${format}`, { timeout: 60_000 }, async () => {
        const r = await runCli(renderArgs(e, format));
        expect(r.code).toBe(0);
        await expectValidCsaf(r.stdout, { informative: e.advisory.startsWith('minimal') });
      });
    }
  }

  it('a draft that was never published: version 0', async () => {
    const file = variant('draft.yaml', MAUTIC, (t) => t.replace('status: final\n', '').replace(/published: .*\n/, '').replace(/revisions:\n(.*\n)*$/, ''));
    const r = await runCli(['advisory', 'render', file, '--format', 'csaf', ...mauticFlags]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { document: { tracking: { status: string; version: string; initial_release_date: string } } };
    expect(doc.document.tracking).toMatchObject({ status: 'draft', version: '0', initial_release_date: '2026-12-01T00:00:00Z' });
    await expectValidCsaf(r.stdout);
  });

  it('a withdrawn advisory: a last revision and a note say so', async () => {
    const file = variant('withdrawn.yaml', MAUTIC, (t) => t.replace('status: final\n', 'status: final\nwithdrawn:\n  date: 2026-12-02T09:00:00Z\n  reason: The configuration was never released.\n'));
    const r = await runCli(['advisory', 'render', file, '--format', 'csaf', ...mauticFlags]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { document: { title: string; tracking: { version: string; revision_history: Array<{ summary: string }> } } };
    expect(doc.document.title).toMatch(/\(withdrawn\)$/);
    expect(doc.document.tracking.version).toBe('2');
    expect(doc.document.tracking.revision_history[1]?.summary).toBe('Withdrawn: The configuration was never released.');
    await expectValidCsaf(r.stdout);
    const osv = await runCli(['advisory', 'render', file, '--format', 'osv', ...mauticFlags]);
    expect((JSON.parse(osv.stdout) as { withdrawn: string }).withdrawn).toBe('2026-12-02T09:00:00Z');
  });

  it('a base-image CVE that does not affect the images: a VEX document of known_not_affected with its justification', { timeout: 60_000 }, async () => {
    const file = variant('not-affected.yaml', OZG, (t) =>
      t
        .replace(/ {4}affected:\n.*\n {6}builds:\n {8}before: .*\n/, '    notAffected:\n      - builds: {}\n        justification: vulnerable_code_not_in_execute_path\n        statement: The scanner never compares otherName names.\n')
        .replace(/ {4}fixed:\n( {6}.*\n| {8}.*\n)*/, ''),
    );
    const r = await runCli(['advisory', 'render', file, '--format', 'csaf-vex', ...ozgFlags]);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { vulnerabilities: Array<{ product_status: Record<string, string[]>; flags: Array<{ label: string }> }> };
    expect(Object.keys(doc.vulnerabilities[0]?.product_status ?? {})).toEqual(['known_not_affected']);
    expect(doc.vulnerabilities[0]?.flags[0]?.label).toBe('vulnerable_code_not_in_execute_path');
    await expectValidCsaf(r.stdout, { informative: true });
  });

  it('several upstream ids: one vulnerability each in the advisory, one VEX document per id', async () => {
    const file = variant('two-cves.yaml', OZG, (t) => t.replace('upstream: [CVE-2024-6119]', 'upstream: [CVE-2024-6119, CVE-2024-5535]'));
    const csaf = await runCli(['advisory', 'render', file, '--format', 'csaf', ...ozgFlags]);
    expect((JSON.parse(csaf.stdout) as { vulnerabilities: Array<{ cve: string }> }).vulnerabilities.map((v) => v.cve)).toEqual(['CVE-2024-6119', 'CVE-2024-5535']);
    await expectValidCsaf(csaf.stdout);
    const ambiguous = await runCli(['advisory', 'render', file, '--format', 'csaf-vex', ...ozgFlags]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('name the vulnerability for the VEX document with --vulnerability, one of CVE-2024-6119, CVE-2024-5535');
    const vex = await runCli(['advisory', 'render', file, '--format', 'csaf-vex', '--vulnerability', 'CVE-2024-5535', ...ozgFlags]);
    expect((JSON.parse(vex.stdout) as { document: { tracking: { id: string } } }).document.tracking.id).toBe('OZGSEC-2024-001-CVE-2024-5535');
    await expectValidCsaf(vex.stdout);
  });

  it('an advisory scored with CVSS 4.0 only: CSAF 2.0 cannot carry the score, and the command says so (exit 1)', async () => {
    const file = variant('cvss4-only.yaml', MAUTIC, (t) => t.replace(/ {2}cvss31: .*\n/, ''));
    const r = await runCli(['advisory', 'render', file, '--format', 'csaf', ...mauticFlags]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^warning: CSAF 6\.2\.3 \/vulnerabilities\/0\/product_status\/known_affected\/0: missing score/m);
    expect(JSON.parse(r.stdout)).toHaveProperty('document.notes');
  });
});

describe('OSV records pass the OSV schema', () => {
  for (const e of EXAMPLES) {
    it(e.advisory, async () => {
      const r = await runCli(renderArgs(e, 'osv'));
      expect(r.code).toBe(0);
      expect(validateOsv(JSON.parse(r.stdout))).toEqual({ valid: true, findings: [] });
    });
  }

  it('the schema check finds what is wrong', () => {
    const report = validateOsv({ id: 'MAUTIC-1', affected: [{ package: { ecosystem: 'OCI', name: 'x' } }] });
    expect(report.valid).toBe(false);
    expect(report.findings.map((f) => f.path)).toEqual(expect.arrayContaining(['/', '/id', '/affected/0/package/ecosystem']));
  });
});

describeCorpus('OSV schema: the vendored copy', () => {
  it('is the one in the corpora, and the examples pass the corpora copy too', async () => {
    const corpus = readFileSync(corpusPath('schemas/osv/schema.json'), 'utf8');
    expect(readFileSync(join(root, 'schemas/osv-schema.json'), 'utf8')).toBe(corpus);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(corpus) as object);
    for (const e of EXAMPLES) {
      const r = await runCli(renderArgs(e, 'osv'));
      expect(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});
