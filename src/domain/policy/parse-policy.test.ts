import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy, type PolicyProblem } from './parse-policy.js';
import { parseDuration } from './duration.js';
import { parseWindowPhrase } from './schema-releases.js';

const examples = resolve(import.meta.dirname, '../../../examples/policies');
const readExample = (name: string) => readFileSync(resolve(examples, name), 'utf8');

const MINIMAL = readExample('minimal.yaml');

function problemsOf(text: string): PolicyProblem[] {
  const r = parsePolicy(text, 'p.yaml');
  if (r.ok) throw new Error('expected the policy to be rejected');
  return r.problems;
}

describe('example policies', () => {
  it.each(['minimal.yaml', 'mautic-docker.yaml', 'ozg-security-scanner.yaml'])('%s is valid', (name) => {
    const r = parsePolicy(readExample(name), name);
    expect(r.ok ? [] : r.problems).toEqual([]);
  });

  it('states the Mautic commitments as clocks and rules', () => {
    const r = parsePolicy(readExample('mautic-docker.yaml'), 'm.yaml');
    if (!r.ok) throw new Error('invalid');
    const p = r.policy;
    expect(p.sla.acknowledge?.target).toEqual({ amount: 24, unit: 'hours' });
    expect(p.sla.triage?.target).toEqual({ amount: 7, unit: 'business_days' });
    expect(p.sla.fix).toMatchObject({ target: { amount: 21, unit: 'business_days' }, from: 'triaged' });
    expect(p.sla.patch).toMatchObject({ target: 'next-security-window', from: 'fixed' });
    expect(p.releases.rebuild).toMatchObject({ cron: '0 0 * * 1', timeZone: 'UTC' });
    expect(p.releases.securityWindows).toEqual([{ weekday: 'wednesday', nth: [2, 4] }]);
    expect(p.support).toMatchObject({ supportedMajors: [5, 6], latestMinorOnly: true, prereleases: false });
    expect(p.scope.outOfScope[0]?.upstream?.contact).toBe('https://github.com/mautic/mautic/security/advisories/new');
  });

  it('states the OZG commitments: best-effort week, build tags first, languages', () => {
    const r = parsePolicy(readExample('ozg-security-scanner.yaml'), 'o.yaml');
    if (!r.ok) throw new Error('invalid');
    expect(r.policy.sla.fix?.target).toEqual({ amount: 7, unit: 'calendar_days' });
    expect(r.policy.sla.commitment).toBe('best-effort');
    expect(r.policy.support.buildTags).toBe('newest');
    expect(r.policy.support.rebuildExistingTags).toBe('severe-only');
    expect(r.policy.languages).toEqual(['en', 'de']);
    expect(r.policy.openpgp?.fingerprint).toBe('7FA510EA6D5B404FA49DEDDD52AC2F9AABDD3852');
  });

  it('fills defaults for what the minimal policy leaves out', () => {
    const r = parsePolicy(MINIMAL, 'min.yaml');
    if (!r.ok) throw new Error('invalid');
    expect(r.policy.calendar).toEqual({ timeZone: 'UTC', workdays: [1, 2, 3, 4, 5], extraHolidays: [] });
    expect(r.policy.securityTxt.expiresAfter).toEqual({ amount: 180, unit: 'calendar_days' });
    expect(r.policy.tags.rollingAliases).toEqual(['latest']);
    expect(r.policy.disclosure.privateUntilFixed).toBe(true);
  });
});

describe('validation messages name file, line and field', () => {
  const cases: Array<[string, string, Partial<PolicyProblem>]> = [
    ['unknown field (typo)', MINIMAL.replace('scope:', 'scoep:'), { line: 2, field: 'scope', message: 'is required' }],
    ['unknown field with suggestion', MINIMAL.replace('  url: https://example.org/', '  url: https://example.org/\n  imagse: []'), { line: 6, column: 3, field: 'project.imagse', message: 'unknown field "imagse" (did you mean "images"?)' }],
    ['bad duration', MINIMAL.replace('3 business days', '3 fortnights'), { line: 12, column: 3, field: 'sla.acknowledge', message: expect.stringContaining('"3 fortnights" is not a duration; write e.g. "24 hours"') }],
    ['zero duration', MINIMAL.replace('3 business days', '0 hours'), { line: 12, field: 'sla.acknowledge', message: expect.stringContaining('"0 hours" is not a duration') }],
    ['not an e-mail', MINIMAL.replace('security@example.org', 'nobody'), { line: 8, column: 5, field: 'contacts[0].address', message: 'must be an e-mail address' }],
    ['http canonical', MINIMAL.replace('https://example.org/.well-known', 'http://example.org/.well-known'), { line: 14, field: 'securityTxt.canonical[0]', message: 'must be an https:// URL' }],
    ['wrong version', MINIMAL.replace('version: 1', 'version: 2'), { line: 2, field: 'version', message: 'version must be 1' }],
    ['missing scope', MINIMAL.replace(/scope:\n {2}inScope: \[The example container image\]\n/, ''), { field: 'scope', message: 'is required' }],
    ['unknown contact type', MINIMAL.replace('type: email', 'type: pigeon'), { line: 7, field: 'contacts[0].type', message: expect.stringContaining('web-form') }],
    ['bad time zone', `${MINIMAL}calendar:\n  timeZone: Mars/Olympus\n`, { line: 16, field: 'calendar.timeZone', message: expect.stringContaining('Mars/Olympus') }],
    ['bad holiday region', `${MINIMAL}calendar:\n  holidayRegion: XX-YY\n`, { line: 16, field: 'calendar.holidayRegion', message: expect.stringContaining('"XX"') }],
    ['bad cron', `${MINIMAL}releases:\n  rebuild:\n    cron: "61 0 * * 1"\n`, { line: 17, field: 'releases.rebuild.cron', message: expect.stringContaining('minute') }],
    ['bad window phrase', `${MINIMAL}releases:\n  securityWindows: ["every other blue moon"]\n`, { line: 16, field: 'releases.securityWindows[0]', message: expect.stringContaining('2nd and 4th Wednesday') }],
    ['fix from triaged without triage', MINIMAL.replace('acknowledge: 3 business days', 'fix:\n    target: 5 business days\n    from: triaged'), { line: 14, field: 'sla.fix.from', message: expect.stringContaining('"triage"') }],
    ['encrypted mail without desk key', MINIMAL.replace('address: security@example.org', 'address: security@example.org\n    encryption:\n      keyUrl: https://example.org/key.asc\n      fingerprint: 7FA510EA6D5B404FA49DEDDD52AC2F9AABDD3852'), { field: 'openpgp', message: expect.stringContaining('openpgp.keyUrl') }],
    ['windows needed', `${MINIMAL}disclosure:\n  publish: next-security-window\n`, { field: 'releases.securityWindows' }],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const problems = problemsOf(text);
    expect(problems[0]).toMatchObject({ file: 'p.yaml', ...expected });
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('version: 1\nproject:\n  name: "unclosed\n');
    expect(problems[0]?.line).toBeGreaterThanOrEqual(3);
    expect(problems[0]?.message).toMatch(/^YAML: /);
  });

  it('rejects duplicate keys and non-mapping documents', () => {
    expect(problemsOf('version: 1\nversion: 1\n')[0]?.message).toMatch(/unique|duplicate/i);
    expect(problemsOf('- a\n- b\n')[0]?.message).toMatch(/YAML mapping/);
    expect(problemsOf('')[0]?.message).toMatch(/YAML mapping/);
  });
});

describe('durations and windows read as people write them', () => {
  it.each([
    ['24 hours', { amount: 24, unit: 'hours' }],
    ['1 hour', { amount: 1, unit: 'hours' }],
    ['7 business days', { amount: 7, unit: 'business_days' }],
    ['21 working days', { amount: 21, unit: 'business_days' }],
    ['10 calendar days', { amount: 10, unit: 'calendar_days' }],
    ['10 days', { amount: 10, unit: 'calendar_days' }],
    ['1 week', { amount: 7, unit: 'calendar_days' }],
    ['2 weeks', { amount: 14, unit: 'calendar_days' }],
    ['0 days', null],
    ['soon', null],
    ['7 business', null],
  ])('%s', (text, expected) => expect(parseDuration(text)).toEqual(expected));

  it.each([
    ['2nd and 4th Wednesday of each month', { weekday: 'wednesday', nth: [2, 4] }],
    ['last Friday', { weekday: 'friday', nth: [-1] }],
    ['1st, 3rd Monday at 10:00', { weekday: 'monday', nth: [1, 3], time: '10:00' }],
    ['second and fourth wednesdays of every month', { weekday: 'wednesday', nth: [2, 4] }],
    ['every Wednesday', null],
  ])('%s', (text, expected) => expect(parseWindowPhrase(text)).toEqual(expected));
});
