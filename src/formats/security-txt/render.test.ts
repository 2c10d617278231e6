import { describe, expect, it } from 'vitest';
import { formatExpires, renderSecurityTxt } from './render.js';

describe('renderSecurityTxt', () => {
  it('writes fields in RFC 9116 order with LF endings and a final newline', () => {
    const text = renderSecurityTxt(
      {
        csaf: ['https://x.example/.well-known/csaf/provider-metadata.json'],
        preferredLanguages: ['en', 'nl'],
        policy: ['https://x.example/policy'],
        expires: new Date('2027-01-01T00:00:00Z'),
        contact: ['mailto:security@x.example', 'https://x.example/report'],
        canonical: ['https://x.example/.well-known/security.txt'],
        acknowledgments: ['https://x.example/thanks'],
        encryption: ['https://x.example/key.asc'],
        hiring: ['https://x.example/jobs'],
      },
      { comments: ['Security contacts', 'two\nlines'] },
    );
    expect(text).toBe(
      [
        '# Security contacts',
        '# two',
        '# lines',
        'Acknowledgments: https://x.example/thanks',
        'Canonical: https://x.example/.well-known/security.txt',
        'Contact: mailto:security@x.example',
        'Contact: https://x.example/report',
        'Encryption: https://x.example/key.asc',
        'Expires: 2027-01-01T00:00:00Z',
        'Hiring: https://x.example/jobs',
        'Policy: https://x.example/policy',
        'Preferred-Languages: en, nl',
        'CSAF: https://x.example/.well-known/csaf/provider-metadata.json',
        '',
      ].join('\n'),
    );
  });

  it('keeps milliseconds only when there are some', () => {
    expect(formatExpires(new Date('2027-01-01T00:00:00.250Z'))).toBe('2027-01-01T00:00:00.250Z');
  });

  it('refuses input that would not make the file asked for', () => {
    const expires = new Date('2027-01-01T00:00:00Z');
    expect(() => renderSecurityTxt({ contact: [], expires })).toThrow(RangeError);
    expect(() => renderSecurityTxt({ contact: ['https://x/'], expires: new Date(NaN) })).toThrow(RangeError);
    expect(() => renderSecurityTxt({ contact: ['https://x/\nPolicy: https://evil/'], expires })).toThrow(RangeError);
    expect(() => renderSecurityTxt({ contact: ['https://x/'], expires, preferredLanguages: ['en,de'] })).toThrow(RangeError);
  });
});
