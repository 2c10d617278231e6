import { describe, expect, it } from 'vitest';
import { parseExpires } from './fields.js';
import { checkSecurityTxtText } from './validate.js';

const now = new Date('2026-11-23T12:00:00Z');
const check = (s: string, canonicalUrls?: string[]) => checkSecurityTxtText(s, { now, ...(canonicalUrls ? { canonicalUrls } : {}) });
const codes = (s: string, canonicalUrls?: string[]) => {
  const r = check(s, canonicalUrls);
  return [...r.errors, ...r.recommendations, ...r.notifications].map((f) => f.code);
};
const base = 'Contact: https://x.example/\nExpires: 2027-01-01T00:00:00Z\n';

describe('validateSecurityTxt', () => {
  it('a minimal valid file has only the not_signed recommendation', () => {
    expect(codes(base)).toEqual(['not_signed']);
  });

  it('judges Expires by format and against now (one year ahead is the limit)', () => {
    expect(parseExpires('2027-01-01T00:00:00.5+01:00')).toEqual({ date: new Date('2026-12-31T23:00:00.500Z'), valid: true });
    expect(parseExpires('2027-02-30T00:00:00Z').valid).toBe(false);
    expect(parseExpires('Mon, 14 Mar 2022 00:00 +0000')).toEqual({ date: new Date('2022-03-14T00:00:00Z'), valid: false });
    expect(parseExpires('soon')).toEqual({ date: null, valid: false });
    const e = (v: string) => codes(`Contact: https://x/\nExpires: ${v}\n`).filter((c) => c !== 'not_signed');
    expect(e('2027-11-23T12:00:00Z')).toEqual([]);
    expect(e('2027-11-23T12:00:01Z')).toEqual(['long_expiry']);
    expect(e('2026-11-23T11:59:59Z')).toEqual(['expired']);
    expect(e('2026-11-23 13:00:00+00:00')).toEqual([]);
    expect(e('23 Nov 2025 10:00 GMT')).toEqual(['invalid_expiry', 'expired']);
    expect(codes('Contact: https://x/\n')).toContain('no_expire');
    expect(codes(base + 'Expires: 2027-01-02T00:00:00Z\n').filter((c) => c === 'multi_expire')).toHaveLength(1);
  });

  it('checks URIs: scheme present, web URIs https, CSAF names provider-metadata.json', () => {
    expect(codes('Contact: me@x.example\nExpires: 2027-01-01T00:00:00Z\n')).toContain('no_uri');
    expect(codes(base + 'Policy: HTTP://x.example/\n')).toContain('no_https');
    expect(codes(base + 'CSAF: https://x.example/csaf.json\n')).toContain('no_csaf_file');
    expect(codes(base + 'CSAF: https://x.example/.well-known/csaf/provider-metadata.json\n')).toEqual(['not_signed']);
    expect(codes(base + 'Encryption: openpgp4fpr:5f2de5521c63a801ab59ccb603d49de44b29100f\n')).toEqual(['not_signed']);
  });

  it('checks Preferred-Languages as RFC 5646 tags, once', () => {
    expect(codes(base + 'Preferred-Languages: en, zh-Hant-TW, de-CH-1996\n')).toEqual(['not_signed']);
    expect(check(base + 'Preferred-Languages: en, cz\n').errors[0]?.message).toContain('"cs"');
    expect(codes(base + 'Preferred-Languages: en\nPreferred-Languages: de\n')).toContain('multi_lang');
  });

  it('matches Canonical against the fetch URLs, ignoring URL spelling differences', () => {
    const f = base + 'Canonical: https://X.example/.well-known/security.txt\n';
    expect(codes(f, ['https://x.example/.well-known/security.txt'])).toEqual(['not_signed']);
    expect(codes(f, ['https://y.example/.well-known/security.txt'])).toContain('no_canonical_match');
  });

  it('recommends Encryption for e-mail contacts and hints at misspelt field names', () => {
    expect(codes('Contact: mailto:a@x.example\nExpires: 2027-01-01T00:00:00Z\n')).toContain('no_encryption');
    expect(check(base + 'Acknowledgements: https://x/\n').notifications[0]?.message).toContain('"Acknowledgments"');
    expect(check(base + 'Policyy: https://x/\n').notifications[0]?.message).toContain('"Policy"');
  });

  it('orders errors: line findings by line, then file-level ones', () => {
    const r = check('Expires: 2020-01-01T00:00:00Z\nPolicy: http://x/\nPreferred-Languages: English');
    expect(r.errors.map((f) => [f.code, f.line])).toEqual([
      ['expired', 1],
      ['no_https', 2],
      ['invalid_lang', 3],
      ['no_line_separators', 3],
      ['no_contact', null],
    ]);
  });
});
