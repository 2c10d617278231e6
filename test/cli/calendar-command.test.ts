import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const ex = (name: string) => resolve(import.meta.dirname, '../../examples/policies', name);

describe('cvdesk calendar', () => {
  it('gives the Mautic rebuilds, windows and deadlines as JSON', async () => {
    const r = await runCli(['calendar', ex('mautic-docker.yaml'), '--from', '2026-11-23T10:00:00Z', '--received', '2026-12-23T16:00:00Z', '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      nextRebuilds: ['2026-11-30T00:00:00Z', '2026-12-07T00:00:00Z', '2026-12-14T00:00:00Z'],
      nextSecurityWindows: ['2026-11-25', '2026-12-09', '2026-12-23'],
      deadlines: {
        acknowledge: '2026-12-24T16:00:00Z', // 24 hours
        triage: '2027-01-01T16:00:00Z', // 7 business days, UTC, no holiday region: New Year's Day counts
        fix: '2027-02-01T16:00:00Z', // 21 business days after the triage deadline
        patch: '2027-02-10T00:00:00Z', // the next window after the fix: 2nd Wednesday of February
      },
    });
  });

  it('skips German public holidays for the OZG policy and keeps Berlin local time', async () => {
    // Received Wed 2026-12-23 17:00 CET. A week = 7 calendar days: Wed 2026-12-30 17:00 CET = 16:00Z.
    const r = await runCli(['calendar', ex('ozg-security-scanner.yaml'), '--from', '2026-12-01T00:00:00Z', '--received', '2026-12-23T16:00:00Z', '--json']);
    expect(r.json()).toEqual({ nextRebuilds: [], nextSecurityWindows: [], deadlines: { fix: '2026-12-30T16:00:00Z' } });
  });

  it('applies per-severity targets', async () => {
    const policy = resolve(import.meta.dirname, 'fixtures/severity.yaml');
    const base = ['calendar', policy, '--from', '2026-03-02T00:00:00Z', '--received', '2026-03-02T09:00:00Z', '--json'];
    const any = (await runCli(base)).json() as { deadlines: Record<string, string> };
    const critical = (await runCli([...base, '--severity', 'critical'])).json() as { deadlines: Record<string, string> };
    // 20 business days in DE-BE from Mon 2 Mar 10:00 CET: Mon 30 Mar 10:00, by then CEST (DST began 29 Mar).
    // (Berlin's Frauentag, 8 Mar, falls on a Sunday in 2026.)
    expect(any.deadlines.fix).toBe('2026-03-30T08:00:00Z');
    expect(critical.deadlines.fix).toBe('2026-03-04T09:00:00Z'); // 2 business days: Wed 4 Mar 10:00 CET
  });

  it('prints a readable plan without --json', async () => {
    const r = await runCli(['calendar', ex('mautic-docker.yaml'), '--from', '2026-11-23T10:00:00Z', '--received', '2026-11-28T12:00:00Z']);
    expect(r.stdout).toContain('Next rebuilds (0 0 * * 1, UTC):');
    expect(r.stdout).toContain('2026-11-30T00:00:00Z  Mon 2026-11-30 00:00 (UTC)');
    expect(r.stdout).toMatch(/triage\s+2026-12-09T00:00:00Z/); // Saturday: counts from Monday 00:00, 7 business days
  });

  it.each([
    [['--received', '23.12.2026'], '--received needs an ISO 8601 date-time'],
    [['--severity', 'urgent'], '--severity must be one of low, medium, high, critical'],
  ])('rejects %j', async (flags, message) => {
    const r = await runCli(['calendar', ex('mautic-docker.yaml'), ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('cvdesk tags', () => {
  it('classifies tags and applies the Mautic support rule', async () => {
    const r = await runCli(['tags', ex('mautic-docker.yaml'), '5.2.1-apache', '5.1.4', '6.0.0-rc1', '4.4.13', '5-apache', 'latest', '--json']);
    expect(r.code).toBe(0);
    const rows = r.json() as Array<{ tag: string; kind: string; receivesAdvisories: boolean; reason: string; variant?: string; version?: string }>;
    expect(rows.map((t) => [t.tag, t.kind, t.receivesAdvisories])).toEqual([
      ['5.2.1-apache', 'release', true],
      ['5.1.4', 'release', false],
      ['6.0.0-rc1', 'prerelease', false],
      ['4.4.13', 'release', false],
      ['5-apache', 'rolling', true],
      ['latest', 'rolling', false], // points to 5.1.4: the only release without a variant
    ]);
    expect(rows[0]).toMatchObject({ version: '5.2.1', variant: 'apache' });
    expect(rows[3]?.reason).toContain('Major 4 is not supported');
  });

  it('orders OZG build tags by their timestamp: only the newest gets fixes', async () => {
    const r = await runCli(['tags', ex('ozg-security-scanner.yaml'), '--tags-file', '-', '--json'], {
      stdin: '# build tags\nmain-aaaaaaa-1719830400\n\nmain-bbbbbbb-1730000000\nmain-ccccccc-1720000000\n',
    });
    const rows = r.json() as Array<{ tag: string; commit: string; builtAt: string; receivesAdvisories: boolean }>;
    expect(rows.map((t) => [t.commit, t.builtAt, t.receivesAdvisories])).toEqual([
      ['aaaaaaa', '2024-07-01T10:40:00Z', false],
      ['bbbbbbb', '2024-10-27T03:33:20Z', true],
      ['ccccccc', '2024-07-03T09:46:40Z', false],
    ]);
  });

  it('refuses ambiguous or empty input', async () => {
    expect((await runCli(['tags', ex('minimal.yaml')])).stderr).toContain('no tags given');
    expect((await runCli(['tags', ex('minimal.yaml'), 'latest', '--tags-file', 'x'])).stderr).toContain('not both');
    const missing = await runCli(['tags', ex('minimal.yaml'), '--tags-file', '/nonexistent/tags.txt']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});
