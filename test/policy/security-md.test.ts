import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/domain/policy/parse-policy.js';
import type { Policy } from '../../src/domain/policy/schema.js';
import { renderSecurityMd } from '../../src/formats/security-md/render-security-md.js';
import { MAUTIC_COMMITMENTS, MAUTIC_COMMITMENTS_DE, OZG_COMMITMENTS, OZG_COMMITMENTS_DE } from './commitments.js';

const root = resolve(import.meta.dirname, '../..');
function example(name: string): Policy {
  const r = parsePolicy(readFileSync(resolve(root, 'examples/policies', name), 'utf8'), name);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
}

describe('SECURITY.md states every commitment of the policy', () => {
  it.each([
    ['mautic-docker.yaml', MAUTIC_COMMITMENTS],
    ['ozg-security-scanner.yaml', OZG_COMMITMENTS],
  ])('%s', (name, phrases) => {
    const md = renderSecurityMd(example(name));
    for (const phrase of phrases) expect(md, phrase).toContain(phrase);
  });

  it.each([
    ['mautic-docker.yaml', MAUTIC_COMMITMENTS_DE],
    ['ozg-security-scanner.yaml', OZG_COMMITMENTS_DE],
  ])('%s in German', (name, phrases) => {
    const md = renderSecurityMd(example(name), { lang: 'de' });
    for (const phrase of phrases) expect(md, phrase).toContain(phrase);
  });

  it('names the business-day calendar when a clock counts business days', () => {
    expect(renderSecurityMd(example('mautic-docker.yaml'))).toContain('Business days are Monday to Friday in the UTC time zone.');
    expect(renderSecurityMd(example('ozg-security-scanner.yaml'))).not.toContain('Business days are');
  });

  it('says the business-day rule in German, with the holiday region by name', () => {
    expect(renderSecurityMd(example('mautic-docker.yaml'), { lang: 'de' })).toContain(
      'Werktage sind Montag bis Freitag in der Zeitzone UTC. Geht eine Meldung an einem Tag ein, der kein Werktag ist, läuft die Frist ab Beginn des nächsten Werktags.',
    );
    const p = example('mautic-docker.yaml');
    const berlin = { ...p, calendar: { ...p.calendar, timeZone: 'Europe/Berlin', holidayRegion: 'DE-BE', workdays: [1, 2, 3, 4, 5, 6] } };
    expect(renderSecurityMd(berlin, { lang: 'de' })).toContain('Werktage sind Montag bis Samstag in der Zeitzone Europe/Berlin, ausgenommen gesetzliche Feiertage in Deutschland (DE-BE).');
    expect(renderSecurityMd(berlin)).toContain('Business days are Monday to Saturday in the Europe/Berlin time zone, excluding public holidays in Germany (DE-BE).');
  });

  it('says durations, severities and schedules in German grammar', () => {
    const p = example('mautic-docker.yaml');
    const triage = p.sla.triage!;
    const varied = {
      ...p,
      sla: {
        ...p.sla,
        acknowledge: { ...p.sla.acknowledge!, target: { amount: 1, unit: 'hours' as const }, automatic: true },
        triage: { ...triage, bySeverity: { critical: { amount: 1, unit: 'business_days' as const }, high: { amount: 3, unit: 'business_days' as const } } },
      },
      releases: {
        ...p.releases,
        rebuild: { cron: '30 4 * * 1,4', timeZone: 'Europe/Berlin', when: 'always' as const },
        securityWindows: [{ weekday: 'friday' as const, nth: [-1], time: '10:00' }],
        outOfCycle: { severities: ['high' as const, 'critical' as const] },
      },
      disclosure: { ...p.disclosure, maxEmbargoDays: 1 },
    };
    const de = renderSecurityMd(varied, { lang: 'de' });
    expect(de).toContain('Wir bestätigen Ihre Meldung innerhalb einer Stunde nach Eingang (als Bestätigung gilt auch die automatische Eingangsbestätigung mit Ihrem Link zur Nachverfolgung).');
    expect(de).toContain('Wir prüfen innerhalb von 7 Werktagen nach Eingang (1 Werktag bei kritischem Schweregrad und 3 Werktage bei hohem Schweregrad), ob');
    expect(de).toContain('jeden Montag und Donnerstag um 04:30 Uhr (Zeitzone Europe/Berlin) neu gebaut');
    expect(de).toContain('am letzten Freitag jedes Monats um 10:00 Uhr (UTC)');
    expect(de).toContain('Ist eine Korrektur dringend (Schweregrad hoch oder kritisch), veröffentlichen wir ein Release außerhalb des regulären Zyklus.');
    expect(de).toContain('innerhalb eines Tages nach Eingang der Meldung offenzulegen');
    expect(renderSecurityMd(varied)).toContain('We aim to disclose within 1 day of receiving a report.');
  });

  it('adds the desk form only when it knows where the desk runs', () => {
    const p = example('ozg-security-scanner.yaml');
    expect(renderSecurityMd(p)).not.toContain('/report');
    expect(renderSecurityMd(p, { baseUrl: 'https://desk.example.org/' })).toContain('https://desk.example.org/report');
  });

  // Golden files: reviewed by hand; regenerate with UPDATE_GOLDEN=1 and review the diff.
  it.each([
    ['mautic-docker.yaml', 'en'],
    ['ozg-security-scanner.yaml', 'en'],
    ['minimal.yaml', 'en'],
    ['mautic-docker.yaml', 'de'],
    ['ozg-security-scanner.yaml', 'de'],
    ['minimal.yaml', 'de'],
  ] as const)('%s (%s) matches its golden file', (name, lang) => {
    const md = renderSecurityMd(example(name), { baseUrl: 'https://desk.example.org', lang });
    const golden = resolve(import.meta.dirname, 'golden', name.replace('.yaml', lang === 'en' ? '.SECURITY.md' : `.${lang}.SECURITY.md`));
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(resolve(golden, '..'), { recursive: true });
      writeFileSync(golden, md);
    }
    expect(existsSync(golden), `missing ${golden}: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(md).toBe(readFileSync(golden, 'utf8'));
  });
});
