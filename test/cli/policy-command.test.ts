import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const ex = (name: string) => resolve(import.meta.dirname, '../../examples/policies', name);
const tmp = mkdtempSync(join(tmpdir(), 'cvdesk-policy-'));

describe('cvdesk policy check', () => {
  it('summarises a valid policy', async () => {
    const r = await runCli(['policy', 'check', ex('mautic-docker.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid policy for "Mautic Docker image"');
    expect(r.stdout).toMatch(/SLA\s+acknowledge 24 hours; triage 7 business days; fix 21 business days from triaged; patch next security window from fixed/);
  });

  it('prints the normalised policy as JSON', async () => {
    const r = await runCli(['policy', 'check', ex('ozg-security-scanner.yaml'), '--json']);
    expect(r.code).toBe(0);
    const out = r.json() as { valid: boolean; policy: { sla: { fix: { target: unknown } } } };
    expect(out.valid).toBe(true);
    expect(out.policy.sla.fix.target).toEqual({ amount: 7, unit: 'calendar_days' });
  });

  it('names file, line and field of each problem and exits 2', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nproject:\n  name: x\n  url: http://x.example\ncontacts: []\nscope:\n  inScope: [a]\nsla:\n  triage: 7 bizness days\nsecurityTxt:\n  canonical: [https://x.example/.well-known/security.txt]\n');
    const r = await runCli(['policy', 'check', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:4:3: project.url: must be an https:// URL`);
    expect(r.stderr).toContain(`${bad}:5:1: contacts: name at least one way to report`);
    expect(r.stderr).toContain(`${bad}:9:3: sla.triage: "7 bizness days" is not a duration`);
    expect(r.stderr).toContain('3 problems; the policy was not accepted.');
    const j = await runCli(['policy', 'check', bad, '--json']);
    expect(j.code).toBe(2);
    expect((j.json() as { problems: unknown[] }).problems).toHaveLength(3);
  });

  it('says so plainly when the file is missing', async () => {
    const r = await runCli(['policy', 'check', join(tmp, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read policy file .*nope\.yaml: no such file/);
  });
});

describe('cvdesk policy render', () => {
  it('renders SECURITY.md', async () => {
    const r = await runCli(['policy', 'render', ex('mautic-docker.yaml'), '--format', 'security-md']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Mautic Docker image security policy/);
  });

  it('renders security.txt with Expires from the policy period', async () => {
    const r = await runCli(['policy', 'render', ex('ozg-security-scanner.yaml'), '--format', 'security-txt', '--now', '2026-11-23T10:00:00Z']);
    expect(r.code).toBe(0);
    // 180 calendar days in Europe/Berlin keep the local time (11:00 CET -> 11:00 CEST), so UTC moves an hour.
    expect(r.stdout).toContain('Expires: 2027-05-22T09:00:00Z');
    expect(r.stdout).toContain('Contact: mailto:ozgsec@bmi.bund.de');
    expect(r.stdout).toContain('Preferred-Languages: en, de');
    expect(r.stdout.indexOf('Contact: mailto:ozgsec@bmi.bund.de')).toBeLessThan(r.stdout.indexOf('Contact: mailto:ozgsec@neuland'));
  });

  it('needs --base-url when the only contact is the desk form', async () => {
    const only = join(tmp, 'form-only.yaml');
    writeFileSync(only, 'version: 1\nproject: {name: x, url: "https://x.example"}\ncontacts: [{type: web-form}]\nscope: {inScope: [a]}\nsla: {}\nsecurityTxt: {canonical: ["https://x.example/.well-known/security.txt"]}\n');
    const r = await runCli(['policy', 'render', only, '--format', 'security-txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--base-url');
    const ok = await runCli(['policy', 'render', only, '--format', 'security-txt', '--base-url', 'https://desk.x.example']);
    expect(ok.stdout).toContain('Contact: https://desk.x.example/report');
  });

  it.each([
    [['--format', 'pdf'], '--format must be one of security-md, security-txt'],
    [['--format', 'security-txt', '--now', 'yesterday'], '--now needs an ISO 8601 date-time'],
    [['--format', 'security-txt', '--passphrase-env', 'NOT_SET_ANYWHERE'], 'NOT_SET_ANYWHERE, which is not set'],
    [['--format', 'security-md', '--sign-key', 'k.asc'], '--sign-key applies to --format security-txt only'],
    [['--format', 'security-txt', '--sign-key', '/nonexistent/k.asc'], 'cannot read the signing key'],
  ])('rejects %j clearly', async (flags, message) => {
    const r = await runCli(['policy', 'render', ex('minimal.yaml'), ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('cvdesk policy schema', () => {
  it('prints a JSON Schema that knows the fields', async () => {
    const r = await runCli(['policy', 'schema']);
    const schema = r.json() as { $schema: string; properties: Record<string, unknown> };
    expect(schema.$schema).toContain('json-schema.org');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['project', 'contacts', 'sla', 'calendar', 'releases', 'support', 'tags', 'disclosure', 'credit', 'securityTxt']));
  });
});
