import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kindOf } from './findings.js';
import { parseSecurityTxt, readFields, renderSecurityTxt, checkSecurityTxtText, type SecurityTxtFields } from './index.js';

const now = new Date('2026-11-23T12:00:00Z');

/** Strings made of the pieces security.txt parsers trip over, so that the runs reach deep states. */
const piece = fc.constantFrom(
  '\n', '\r\n', '\r', ' ', '\t', ':', ': ', '#', '- ', '\uFEFF', 'Contact', 'Expires', 'Canonical', 'CSAF', 'Hash: SHA256',
  'Preferred-Languages', 'mailto:a@b.c', 'https://x.example/', 'http://x', '2027-01-01T00:00:00Z', 'en, nl',
  '-----BEGIN PGP SIGNED MESSAGE-----', '-----BEGIN PGP SIGNATURE-----', '-----END PGP SIGNATURE-----', 'wpwEAQ==', '=DHXw', 'Version: x',
);
const structured = fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 60 }).map((a) => a.join(''));

function checkShape(input: string | Uint8Array): void {
  const r = checkSecurityTxtText(input, { now, canonicalUrls: ['https://x.example/'] });
  for (const [list, kind] of [[r.errors, 'error'], [r.recommendations, 'recommendation'], [r.notifications, 'notification']] as const) {
    for (const f of list) {
      expect(kindOf(f.code)).toBe(kind);
      expect(f.message.length).toBeGreaterThan(0);
      expect(f.line === null || (Number.isInteger(f.line) && f.line >= 1)).toBe(true);
    }
  }
}

describe('security.txt properties', () => {
  it('parse + validate never throw on arbitrary strings', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), structured), (s) => checkShape(s)), { numRuns: 5000 });
  });

  it('parse + validate never throw on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => checkShape(b)), { numRuns: 5000 });
  });

  const token = fc.stringMatching(/^[a-z0-9]{1,10}$/);
  const https = fc.tuple(token, token).map(([h, p]) => `https://${h}.example/${p}`);
  const uri = fc.oneof(https, token.map((t) => `mailto:${t}@example.org`), fc.constant('tel:+1-201-555-0123'), fc.constant('openpgp4fpr:5f2de5521c63a801ab59ccb603d49de44b29100f'));
  const list = <T>(a: fc.Arbitrary<T>) => fc.option(fc.array(a, { minLength: 1, maxLength: 3 }), { nil: undefined });
  const lang = fc.constantFrom('en', 'de', 'nl', 'zh-Hant-TW', 'fr-CA', 'dut');
  const fields: fc.Arbitrary<SecurityTxtFields> = fc.record({
    contact: fc.array(uri, { minLength: 1, maxLength: 3 }),
    expires: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }),
    encryption: list(uri),
    acknowledgments: list(https),
    preferredLanguages: list(lang),
    canonical: list(https),
    policy: list(https),
    hiring: list(https),
    csaf: list(https.map((u) => `${u}/provider-metadata.json`)),
  });
  const strip = (f: SecurityTxtFields) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));

  it('render -> parse round-trips the fields, and the rendered file has no syntax findings', () => {
    fc.assert(
      fc.property(fields, fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }), (f, comments) => {
        const text = renderSecurityTxt(f, { comments });
        expect(text.endsWith('\n')).toBe(true);
        expect(text).not.toContain('\r');
        const parsed = parseSecurityTxt(text);
        expect(parsed.findings).toEqual([]);
        expect(readFields(parsed)).toEqual(strip(f));
      }),
      { numRuns: 1000 },
    );
  });
});
