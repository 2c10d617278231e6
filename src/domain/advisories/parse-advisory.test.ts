import { describe, expect, it } from 'vitest';
import { locateProblems, parseAdvisory } from './parse-advisory.js';

const BASE = `id: EXAMPLE-2026-001
title: Something
summary: One line.
details: More.
severity:
  cvss31: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N
images:
  - name: registry.example.org/example/app
    affected:
      versions:
        - introduced: "0"
          fixed: "1.2.1"
`;

function problems(text: string) {
  const r = parseAdvisory(text, 'adv.yaml');
  if (r.ok) throw new Error('expected problems');
  return r.problems.map((p) => `${p.line}:${p.column}: ${p.field}: ${p.message}`);
}

describe('advisory files: parsing and the problems a person sees', () => {
  it('reads a small advisory, with defaults, normalised vectors and dates', () => {
    const r = parseAdvisory(`${BASE}published: 2026-11-20\ncwe: [79, cwe-276]\n`, 'adv.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.advisory.status).toBe('draft');
    expect(r.advisory.lang).toBe('en');
    expect(r.advisory.published).toBe('2026-11-20T00:00:00Z');
    expect(r.advisory.cwe).toEqual(['CWE-79', 'CWE-276']);
    expect(r.advisory.images[0]?.fixed).toEqual([]);
  });

  it('names line, column and field of each problem', () => {
    const text = BASE.replace('title: Something\n', '').replace('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N');
    expect(problems(`${text}titel: x\n`)).toEqual([
      '1:1: title: is required',
      '5:3: severity.cvss31: CVSS 3.0 is not accepted; give a CVSS 3.1 or 4.0 vector (a 3.0 vector usually scores the same as 3.1: check it and change the prefix)',
      '12:1: titel: unknown field "titel" (did you mean "title"?)',
    ]);
  });

  it('tells YAML numbers from versions and tags', () => {
    expect(problems(BASE.replace('introduced: "0"', 'introduced: 5.0'))).toEqual([
      '11:11: images[0].affected.versions[0].introduced: write the version in quotes, e.g. "5.2.2" (YAML reads 5 as a number)',
    ]);
    expect(problems(`${BASE}      tags: [5]\n`)).toEqual(['13:14: images[0].affected.tags[0]: write the tag in quotes, e.g. "5.2.1" (YAML reads 5 as a number)']);
    expect(problems(`${BASE}    tags: ["5"]\n`)).toEqual(['13:5: images[0].tags: "tags" is not a field here (check its indentation)']);
  });

  it('refuses what would mislead: a vector in the wrong field, an unknown CWE, an upstream id as alias, a multi-line summary', () => {
    const text = `${BASE.replace('cvss31: CVSS:3.1', 'cvss40: CVSS:3.1').replace('summary: One line.', 'summary: "Two\\nlines"')}cwe: [CWE-1000, XSS]\n`;
    expect(problems(text)).toEqual([
      '3:1: summary: is one line of plain text; put more into details',
      '6:3: severity.cvss40: this is a CVSS 3.1 vector; give it as cvss31',
      '13:7: cwe[0]: CWE-1000 is not in the CWE catalogue (a weakness id such as CWE-276 is expected, not a category or view)',
      '13:17: cwe[1]: "XSS" is not a CWE id such as CWE-79',
    ]);
    // checks across fields run once the fields themselves are right
    expect(problems(`${BASE}aliases: [CVE-2024-6119]\nupstream: [CVE-2024-6119]\npublished: 2026-11-20\nrevisions:\n  - date: 2026-11-19\n    summary: x\n`)).toEqual([
      '13:11: aliases[0]: CVE-2024-6119 is upstream, not an alias: list it under upstream only',
      '15:1: published: is after the first revision (2026-11-19T00:00:00Z)',
    ]);
  });

  it('checks tags, digests and inventories', () => {
    const text = `${BASE}    fixed:\n      - tag: 1.2.1\n        digest: sha256:abc\n    inventory:\n      - 1.2.0\n      - 1.2.1@md5:00\n`;
    expect(problems(text)).toEqual([
      '15:9: images[0].fixed[0].digest: must be an image digest: sha256: and 64 lowercase hex digits',
      '17:9: images[0].inventory[0]: an inventory entry needs its digest: "5.2.1-apache@sha256:…"',
      '18:9: images[0].inventory[1]: "1.2.1@md5:00": the part after "@" must be a digest such as sha256:<64 hex digits>',
    ]);
  });

  it('reports YAML syntax errors and a file that is no mapping', () => {
    expect(problems('id: [unclosed\n')[0]).toMatch(/^\d+:\d+: : YAML: /);
    expect(problems('- a\n- b\n')).toEqual(['1:1: : an advisory file is a YAML mapping (key: value lines) starting with "id:"']);
  });

  it('locates problems found later by their path', () => {
    expect(locateProblems(BASE, 'adv.yaml', [{ path: ['images', 0, 'affected', 'versions', 0], message: 'x' }])).toEqual([
      { file: 'adv.yaml', line: 11, column: 11, field: 'images[0].affected.versions[0]', message: 'x' },
    ]);
  });
});
