import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseAdvisory } from '../../src/domain/advisories/parse-advisory.js';
import { rangeEvents } from '../../src/formats/ghsa-shapes.js';
import { eventsToRanges } from '../../src/formats/ghsa.js';
import { corpusPath, describeCorpus } from '../support/corpora.js';
import { runCli } from '../support/run-cli.js';
import { example, policy } from './support.js';

const fixture = (name: string) => resolve(import.meta.dirname, 'fixtures', name);
const tmp = mkdtempSync(join(tmpdir(), 'cvdesk-ghsa-'));

/** The fields the import's review notes name ("# - severity: …" lines of the header). */
const notedFields = (yaml: string): Set<string> => new Set([...yaml.matchAll(/^# - ([a-z]+): /gm)].map((m) => m[1] ?? ''));

/**
 * The import either yields a valid advisory, or every problem left is one its notes ask the team
 * to resolve (no vector to carry over, no image named for an upstream advisory, ...).
 */
function expectValidOrNoted(yaml: string, source: string): void {
  const r = parseAdvisory(yaml, source);
  if (r.ok) return;
  const noted = notedFields(yaml);
  const unannounced = r.problems.filter((p) => !noted.has(p.field.split(/[.[]/)[0] ?? ''));
  expect(unannounced, yaml).toEqual([]);
}

describeCorpus('cvdesk advisory import: every GitHub advisory record of the corpora', () => {
  const dirs = ['ghsa/github-reviewed', 'ghsa/unreviewed', 'ghsa/graphql-api'];
  const files = dirs.flatMap((d) => (existsSync(corpusPath(d)) ? readdirSync(corpusPath(d)).filter((f) => f.endsWith('.json')).map((f) => corpusPath(d, f)) : []));
  it('finds the records', () => expect(files.length).toBeGreaterThanOrEqual(18));
  for (const file of files) {
    const name = file.split('/').slice(-2).join('/');
    it(`${name} imports, alone and with a policy`, async () => {
      const record = JSON.parse(readFileSync(file, 'utf8')) as { id?: string; ghsaId?: string };
      for (const extra of [[], ['--policy', policy('mautic-docker.yaml')]]) {
        const r = await runCli(['advisory', 'import', file, ...extra]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const data = parseYaml(r.stdout) as { id: string; status: string; images: unknown[] };
        expect(data.id).toBe(record.id ?? record.ghsaId);
        // an upstream advisory is a draft until the team says which images ship the package
        expect(data.status).toBe('draft');
        expect(data.images.length).toBe(extra.length ? 1 : 0);
        expectValidOrNoted(r.stdout, name);
      }
    });
  }

  it('GraphQL version ranges read as the OSV converter of ossf/osv-schema reads them', () => {
    for (const name of ['equals_with_patch', 'full_ranges', 'maven_greater_than', 'npm_greater_than', 'pypi_normalize', 'withdrawn']) {
      const input = JSON.parse(readFileSync(corpusPath('ghsa/graphql-api', `${name}.json`), 'utf8')) as {
        vulnerabilities: { nodes: Array<{ vulnerableVersionRange: string; firstPatchedVersion: { identifier: string } | null }> };
      };
      const expected = JSON.parse(readFileSync(corpusPath('ghsa/graphql-api', `${name}.osv.json`), 'utf8')) as { affected: Array<{ package: { name: string }; ranges: Array<{ events: Array<Record<string, string>> }> }> };
      // "= 2.0.0" is a range that ends with 2.0.0 itself; the converter closes it at the first patched version
      const ours = input.vulnerabilities.nodes.flatMap((n) => eventsToRanges(rangeEvents(n.vulnerableVersionRange)).map((r) => r.fixed ?? n.firstPatchedVersion?.identifier ?? '?'));
      const theirs = expected.affected.flatMap((a) => a.ranges.flatMap((r) => r.events.flatMap((e) => (e.fixed ? [e.fixed] : []))));
      expect(ours.sort(), name).toEqual(theirs.sort());
    }
  });

  it('a withdrawn record stays withdrawn', async () => {
    const r = await runCli(['advisory', 'import', corpusPath('ghsa/graphql-api/withdrawn.json')]);
    expect(parseYaml(r.stdout)).toMatchObject({ withdrawn: { date: '2018-10-11T17:29:49Z' } });
    expect(r.stdout).toContain('# - withdrawn: GitHub withdrew this advisory; say why in withdrawn.reason');
  });

  it('a CVSS 3.0 vector is not carried over, and the notes say so', async () => {
    const r = await runCli(['advisory', 'import', corpusPath('ghsa/graphql-api/npm_greater_than.json')]);
    expect(r.stdout).toContain('# - severity: CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H is not carried over: CVSS 3.0 is not accepted');
  });
});

describe('cvdesk advisory import: the REST shapes and the project\'s own advisory', () => {
  it('a repository advisory of the image: its versions become the image\'s affected versions, and it renders', async () => {
    const r = await runCli(['advisory', 'import', fixture('ghsa-rest-repository-mautic.json'), '--policy', policy('mautic-docker.yaml')]);
    expect(r.code).toBe(0);
    const data = parseYaml(r.stdout) as Record<string, unknown>;
    expect(data).toMatchObject({
      id: 'GHSA-9m3f-8c2q-7x4w',
      status: 'final',
      aliases: ['GHSA-9m3f-8c2q-7x4w'],
      published: '2026-11-25T10:00:00Z',
      severity: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', cvss40: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N' },
      cwe: ['CWE-552'],
      images: [{ name: 'docker.io/mautic/mautic', affected: { versions: [{ introduced: '5.0.0', fixed: '5.2.2' }, { introduced: '6.0.0', fixed: '6.0.1' }] } }],
      // a declined credit is not carried over
      credits: [{ name: 'alex-example', type: 'finder', contact: ['https://github.com/alex-example'] }],
    });
    expect(data).not.toHaveProperty('component');

    // rendered against the registry's tags: the inventory of the Mautic example as a references file
    const yaml = join(tmp, 'imported.yaml');
    writeFileSync(yaml, r.stdout);
    const inventory = join(tmp, 'inventory.txt');
    const example_ = parseYaml(readFileSync(example('mautic-docker-2026-001.yaml'), 'utf8')) as { images: Array<{ inventory: string[] }> };
    writeFileSync(inventory, ['# tags of docker.io/mautic/mautic', ...(example_.images[0]?.inventory ?? []).map((t) => `docker.io/mautic/mautic:${t}`)].join('\n'));
    const md = await runCli(['advisory', 'render', yaml, '--policy', policy('mautic-docker.yaml'), '--inventory', inventory, '--format', 'md', '--now', '2026-11-25T10:00:00Z']);
    expect(md.stderr).toBe('');
    expect(md.stdout).toContain('| `5.2.1-apache` | `sha256:40fb90b5b462e63715b7932febd3b3d144a846a52ccd50973e6d7dd8485e02d5` | No fixed image is available yet. |');
    expect(md.stdout).toContain("5.1.4, 5.1.4-apache and 5.1.4-fpm: 5.1 is not the newest minor of major 5 (5.2 is).");
  });

  it('a global advisory (REST): an upstream package of the images', async () => {
    const r = await runCli(['advisory', 'import', fixture('ghsa-rest-global-lodash.json'), '--policy', policy('ozg-security-scanner.yaml')]);
    expect(r.code).toBe(0);
    expect(parseYaml(r.stdout)).toMatchObject({
      status: 'draft',
      upstream: ['GHSA-jf85-cpcp-j695', 'CVE-2019-10744'],
      component: { name: 'lodash', purl: 'pkg:npm/lodash', fixedVersion: '4.17.12' },
      images: [{ name: 'registry.opencode.de/bmi/ozg-rahmenarchitektur/ozgsec/ozgsec-best-practice-scanner', affected: { versions: [{ introduced: '0' }], builds: {} } }],
      references: [
        { url: 'https://nvd.nist.gov/vuln/detail/CVE-2019-10744', type: 'advisory' },
        { url: 'https://github.com/lodash/lodash/pull/4336', type: 'fix' },
        { url: 'https://github.com/advisories/GHSA-jf85-cpcp-j695', type: 'advisory' },
      ],
      credits: [{ name: 'example-finder', type: 'reporter' }],
    });
    expect(r.stdout).toContain('# - component: the record names 2 packages (npm:lodash, npm:lodash-es)');
    expectValidOrNoted(r.stdout, 'lodash');
  });

  it('--json: the advisory and the review notes as JSON', async () => {
    const r = await runCli(['advisory', 'import', fixture('ghsa-rest-global-lodash.json'), '--json']);
    expect(r.code).toBe(0);
    const out = r.json() as { advisory: { id: string }; notes: Array<{ field: string; message: string }> };
    expect(out.advisory.id).toBe('GHSA-jf85-cpcp-j695');
    expect(out.notes.map((n) => n.field)).toEqual(['component', 'images', 'id']);
  });

  it('a GraphQL response as the API returns it ({"data": {"securityAdvisory": …}}), from standard input', async () => {
    const record = { data: { securityAdvisory: { ghsaId: 'GHSA-mhpp-875w-9cpv', summary: 'Denial of Service in jquery', description: 'd', severity: 'HIGH', identifiers: [], references: [] } } };
    const r = await runCli(['advisory', 'import', '-'], { stdin: JSON.stringify(record) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# Imported by cvdesk from standard input (GitHub advisory GHSA-mhpp-875w-9cpv).');
  });

  it.each([
    ['not JSON', '{"ghsa_id": ', /is not JSON: /],
    ['a list', '[{"ghsa_id": "GHSA-jf85-cpcp-j695"}]', /holds a list of 1 advisories; import one advisory per file/],
    ['another kind of record', '{"name": "x"}', /not a GitHub advisory record: expected the REST shape \(ghsa_id\), the GraphQL shape \(ghsaId\) or the advisory database OSV shape \(id, modified\)/],
    ['a malformed id', '{"ghsa_id": "GHSA-0000-0000-0000"}', /not a valid GitHub advisory in the REST shape: ghsa_id: is not a GHSA id/],
    ['a malformed range', '{"ghsa_id": "GHSA-jf85-cpcp-j695", "summary": "s", "vulnerabilities": [{"package": {"ecosystem": "other", "name": "mautic/mautic"}, "vulnerable_version_range": "~> 5"}]}', null],
  ])('%s: a clear message and exit 2 (or a note)', async (_what, text, message) => {
    const file = join(tmp, `bad-${_what.replace(/\s+/g, '-')}.json`);
    writeFileSync(file, text);
    const r = await runCli(['advisory', 'import', file, '--policy', policy('mautic-docker.yaml')]);
    if (message === null) {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('# - images: the range "~> 5" could not be read ("~> 5" is not a version constraint)');
      return;
    }
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
