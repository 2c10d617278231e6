import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/domain/policy/parse-policy.js';
import type { Policy } from '../../src/domain/policy/schema.js';
import { renderSecurityMd } from '../../src/formats/security-md/render-security-md.js';

const root = resolve(import.meta.dirname, '../..');
function example(name: string): Policy {
  const r = parsePolicy(readFileSync(resolve(root, 'examples/policies', name), 'utf8'), name);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
}

/** Every commitment of the reference policy, as the rendered SECURITY.md must say it. */
const MAUTIC_COMMITMENTS = [
  'Docker image configuration',
  'Mautic core application vulnerabilities (handled by the Mautic Security Team: report at https://github.com/mautic/mautic/security/advisories/new)',
  'Third-party plugins not included in the official image',
  'rebuilt every Monday at 00:00 UTC',
  'most recent minor version of each supported major version',
  'Development, alpha, beta and release candidate images do not receive security advisories',
  'Images for unsupported versions do not receive security updates',
  "private disclosure via GitHub's Security Advisory feature at https://github.com/mautic/docker/security",
  'Keep it confidential',
  'private fork to propose a fix',
  'acknowledge your report within 24 hours of receiving it',
  'within 7 business days of receiving it',
  'develop and test a fix within 21 business days of confirming it',
  'on the 2nd and 4th Wednesday of each month',
  'out-of-cycle release is made in collaboration with the Mautic Security Team',
  'announced alongside the new image builds',
  'Announcements include the severity, affected builds and remediation steps',
  'ship the fix in a new image build in the next security release window after the fix is ready',
  'encouraged to update to the latest secure image',
  'Issues remain private until a fix is available',
  'Public announcements occur only after secure versions are released',
  'Coordination with the Mautic Security Team will occur when issues overlap with core application security',
  'Regular participation is expected',
];

const OZG_COMMITMENTS = [
  'Send an e-mail to [ozgsec@bmi.bund.de](mailto:ozgsec@bmi.bund.de)',
  'issue[confidential]=on&issuable_template=security-advisory-en',
  'OpenPGP-encrypted e-mail to [ozgsec@neuland-homeland.de]',
  '7FA5 10EA 6D5B 404F A49D EDDD 52AC 2F9A ABDD 3852',
  'We endeavour to develop and test a fix within 1 week of receiving it',
  'newest build tag carries the latest security updates',
  '`main-{sha}-{ts}`',
  'rebuilt only for severe vulnerabilities',
  'as part of the release that contains the fix',
  'we credit you as the reporter',
  'English and German',
];

describe('SECURITY.md states every commitment of the policy', () => {
  it.each([
    ['mautic-docker.yaml', MAUTIC_COMMITMENTS],
    ['ozg-security-scanner.yaml', OZG_COMMITMENTS],
  ])('%s', (name, phrases) => {
    const md = renderSecurityMd(example(name));
    for (const phrase of phrases) expect(md, phrase).toContain(phrase);
  });

  it('names the business-day calendar when a clock counts business days', () => {
    expect(renderSecurityMd(example('mautic-docker.yaml'))).toContain('Business days are Monday to Friday in the UTC time zone.');
    expect(renderSecurityMd(example('ozg-security-scanner.yaml'))).not.toContain('Business days are');
  });

  it('adds the desk form only when it knows where the desk runs', () => {
    const p = example('ozg-security-scanner.yaml');
    expect(renderSecurityMd(p)).not.toContain('/report');
    expect(renderSecurityMd(p, { baseUrl: 'https://desk.example.org/' })).toContain('https://desk.example.org/report');
  });

  // Golden files: reviewed by hand; regenerate with UPDATE_GOLDEN=1 and review the diff.
  it.each(['mautic-docker.yaml', 'ozg-security-scanner.yaml', 'minimal.yaml'])('%s matches its golden file', (name) => {
    const md = renderSecurityMd(example(name), { baseUrl: 'https://desk.example.org' });
    const golden = resolve(import.meta.dirname, 'golden', name.replace('.yaml', '.SECURITY.md'));
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(resolve(golden, '..'), { recursive: true });
      writeFileSync(golden, md);
    }
    expect(existsSync(golden), `missing ${golden}: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(md).toBe(readFileSync(golden, 'utf8'));
  });
});
