import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { example, policy } from './support.js';

const tmp = mkdtempSync(join(tmpdir(), 'cvdesk-advisory-cli-'));
const MINIMAL = example('minimal-2026-001.yaml');
const minimalPolicy = ['--policy', policy('minimal.yaml')];

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

const render = (advisory: string, ...rest: string[]) => runCli(['advisory', 'render', advisory, ...minimalPolicy, ...rest]);

describe('cvdesk advisory render: input it cannot use', () => {
  it('an invalid advisory: each problem as file:line:column: field: message, exit 2, nothing on standard output', async () => {
    const bad = file('bad.yaml', readFileSync(MINIMAL, 'utf8').replace('title: Image runs its service as root\n', '').replace('cwe: [CWE-250]', 'cwe: [CWE-250]\nseverty: high'));
    const r = await render(bad, '--format', 'md');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${bad}:6:1: title: is required\n${bad}:16:1: severty: unknown field "severty" (did you mean "severity"?)\n${bad}: 2 problems; the advisory was not rendered.\n`);
  });

  it('--json: the problems as JSON on standard output', async () => {
    const bad = file('bad-json.yaml', readFileSync(MINIMAL, 'utf8').replace('title: Image runs its service as root\n', ''));
    const r = await render(bad, '--format', 'md', '--json');
    expect(r.code).toBe(2);
    expect(r.json()).toEqual({ valid: false, file: bad, problems: [{ file: bad, line: 6, column: 1, field: 'title', message: 'is required' }] });
  });

  it('a statement that selects nothing in the inventory is placed at its line too', async () => {
    const bad = file('unknown-tag.yaml', readFileSync(MINIMAL, 'utf8').replace('      versions:\n        - introduced: "0"\n          fixed: "1.2.1"\n', '      tags: ["0.9.0"]\n'));
    const r = await render(bad, '--format', 'md');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:21:14: images[0].affected.tags[0]: 0.9.0 is not in the inventory; pin its image: 0.9.0@sha256:…`);
  });

  it.each([
    [['--format', 'pdf'], '--format must be one of csaf, csaf-vex, osv, md, html (got "pdf")'],
    [['--format', 'md', '--now', 'tomorrow'], '--now needs an ISO 8601 date-time with a time zone'],
    [['--format', 'csaf', '--base-url', 'http://desk.example'], '--base-url must be an https URL (got "http://desk.example")'],
    [['--format', 'csaf-vex'], 'csaf-vex is for an upstream (base-image) vulnerability'],
  ])('%j: a message and exit 2', async (args, message) => {
    const r = await render(MINIMAL, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('a missing file, a missing policy, an invalid policy', async () => {
    expect((await render(join(tmp, 'nope.yaml'), '--format', 'md')).stderr).toMatch(/cannot read advisory file .*nope\.yaml: no such file/);
    const noPolicy = await runCli(['advisory', 'render', MINIMAL, '--policy', join(tmp, 'nope-policy.yaml'), '--format', 'md']);
    expect(noPolicy.code).toBe(2);
    expect(noPolicy.stderr).toMatch(/cannot read policy file .*nope-policy\.yaml: no such file/);
    const badPolicy = await runCli(['advisory', 'render', MINIMAL, '--policy', file('policy.yaml', 'version: 2\n'), '--format', 'md']);
    expect(badPolicy.code).toBe(2);
    expect(badPolicy.stderr).toContain('is not a valid policy');
  });

  it('a CSAF document names its own URL: without --base-url or a well-known security.txt in the policy, it says how to give one', async () => {
    const r = await runCli(['advisory', 'render', example('ozg-security-scanner-2024-001.yaml'), '--policy', policy('ozg-security-scanner.yaml'), '--format', 'csaf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a CSAF document names its own URL: give --base-url (where the desk serves /.well-known/csaf/), or set securityTxt.csaf in');
  });

  it('an inventory file: one registry/repository:tag@digest a line; a bad line is named', async () => {
    const bad = file('inventory-bad.txt', 'registry.example.org/example/app:1.2.0@sha256:98555311badeece00cfc09d1ab8c7fd86d83899b65bfee80779f6b4066c1503f\nexample/app:1.2.1\n');
    const r = await render(MINIMAL, '--format', 'md', '--inventory', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2: "example/app:1.2.1" is not registry/repository:tag@digest`);
  });
});

describe('cvdesk advisory render: what it writes', () => {
  it('the inventory file replaces the one in the advisory file', async () => {
    const inv = file(
      'inventory.txt',
      [
        '# only 1.2.0 and the fix',
        'registry.example.org/example/app:1.2.0@sha256:98555311badeece00cfc09d1ab8c7fd86d83899b65bfee80779f6b4066c1503f',
        'registry.example.org/example/app:1.2.1@sha256:bd359546a3395f0ea65ea5963b194479e66dcee5b558e93788c7dfc94eff635e',
      ].join('\n'),
    );
    const r = await render(MINIMAL, '--format', 'osv', '--inventory', inv);
    expect(r.code).toBe(0);
    const osv = JSON.parse(r.stdout) as { affected: Array<{ versions: string[] }> };
    expect(osv.affected[0]?.versions).toEqual(['sha256:98555311badeece00cfc09d1ab8c7fd86d83899b65bfee80779f6b4066c1503f']);
  });

  it('--now dates what the file leaves undated; -o writes a file', async () => {
    const undated = file('undated.yaml', readFileSync(MINIMAL, 'utf8').replace('published: 2026-11-20T09:00:00Z\n', ''));
    const out = join(tmp, 'out.json');
    const r = await render(undated, '--format', 'osv', '--now', '2026-12-24T08:30:00+01:00', '-o', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`wrote ${out}\n`);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ published: '2026-12-24T07:30:00Z', modified: '2026-12-24T07:30:00Z' });
  });

  it('HTML: hostile text is escaped, only http(s) links survive, and the page has no script, no style and its own CSP', async () => {
    const hostile = file(
      'hostile.yaml',
      readFileSync(MINIMAL, 'utf8')
        .replace('title: Image runs its service as root', 'title: "<script>alert(1)</script>"')
        .replace('*This is an invented example advisory.*', '<img src=x onerror=alert(2)> [click](javascript:alert(3)) <style>body{display:none}</style>')
        .replace('workarounds:\n  - "Start the container with `--user 10001`."', 'workarounds:\n  - "[ok](https://example.org/fix) and [bad](data:text/html,x)"\ncredits:\n  - name: "<b>Eve</b>"\n    contact: ["javascript:alert(4)", "https://eve.example/"]'),
    );
    const r = await render(hostile, '--format', 'html');
    expect(r.code).toBe(0);
    const html = r.stdout;
    // no element but the page's own, no event handler or style attribute on any of them, no other link scheme
    expect(html).not.toMatch(/<(script|style|img|iframe|object)\b/i);
    expect(html).not.toMatch(/<[a-z][^>]*\s(on[a-z]+|style)=/i);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]?.split(':')[0])).toEqual(['https', 'https', 'https']);
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(html).toContain('<a href="https://example.org/fix" rel="noopener noreferrer">ok</a>');
    expect(html).toContain('<a href="https://eve.example/" rel="noopener noreferrer">https://eve.example/</a>');
    expect(html).toContain('&lt;b>Eve&lt;/b>');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'none'; style-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'"/>`);
  });
});
