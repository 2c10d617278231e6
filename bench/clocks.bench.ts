import { readFileSync } from 'node:fs';
import { parsePolicy } from '../src/domain/policy/parse-policy.js';
import { reportClocks } from '../src/domain/reports/sla-status.js';
import { checkSecurityTxtText } from '../src/formats/security-txt/index.js';
import { measure, type Bench } from './measure.js';

/**
 * The work behind every inbox row and every security.txt check: SLA clocks of a report on a
 * business-day calendar with holidays (OZG: Europe/Berlin, DE) against plain hours (Mautic: UTC),
 * and parsing + validating a signed-size security.txt. The ratio shows what holidays cost.
 */
const bench: Bench = async () => {
  const load = (f: string) => {
    const r = parsePolicy(readFileSync(`examples/policies/${f}`, 'utf8'), f);
    if (!r.ok) throw new Error(f);
    return r.policy;
  };
  const mautic = load('mautic-docker.yaml');
  const now = new Date('2026-12-10T12:00:00Z');
  const report = { state: 'acknowledged' as const, receivedAt: new Date('2026-11-23T10:00:00Z'), acknowledgedAt: new Date('2026-11-23T12:00:00Z'), triagedAt: null, fixedAt: null, disclosedAt: null, severity: 'high' };
  const pauses = [{ from: new Date('2026-11-25T10:00:00Z'), to: new Date('2026-11-27T10:00:00Z') }];
  const withHolidays = { ...mautic, calendar: { ...mautic.calendar, timeZone: 'Europe/Berlin', holidayRegion: 'DE-BE' } };
  const plain = await measure(() => reportClocks(mautic, report, pauses, now));
  const holidays = await measure(() => reportClocks(withHolidays, report, pauses, now));
  const text = ['Contact: mailto:security@example.org', 'Contact: https://example.org/report', 'Expires: 2027-06-01T00:00:00Z', 'Encryption: https://example.org/pgp.asc', 'Preferred-Languages: en, de', 'Canonical: https://example.org/.well-known/security.txt', 'Policy: https://example.org/security'].join('\n') + '\n';
  const sectxt = await measure(() => checkSecurityTxtText(text, { now, canonicalUrls: ['https://example.org/.well-known/security.txt'] }));
  return [
    { name: 'report clocks, UTC, no holidays', opsPerSec: plain, note: '4 stages, one pause' },
    { name: 'report clocks, Berlin + DE-BE holidays', opsPerSec: holidays, note: `${(plain / holidays).toFixed(2)}x the time of the UTC case` },
    { name: 'security.txt parse + validate', opsPerSec: sectxt, note: '7 fields' },
  ];
};

export default bench;
