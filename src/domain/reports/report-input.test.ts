import { describe, expect, it } from 'vitest';
import { checkUpload } from './attachment-rules.js';
import { REPORT_LIMITS, reportFieldsSchema, type ReportInputOptions } from './report-input.js';

const options: ReportInputOptions = { images: ['docker.io/mautic/mautic'], languages: ['en', 'de'], allowAnonymous: true, creditOffered: true };
const schema = reportFieldsSchema(options);
const minimal = { title: 'XSS in setup', description: 'The installer echoes the host name.' };

const issues = (input: unknown, o = options) => {
  const r = reportFieldsSchema(o).safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('reportFieldsSchema', () => {
  it('takes a minimal anonymous report and fills the defaults', () => {
    expect(schema.parse(minimal)).toEqual({ ...minimal, credit: { wish: 'none' }, language: 'en' });
  });

  it('takes a full report; trims text, treats blank optional fields as not given, normalises the CVSS vector', () => {
    const r = schema.parse({
      ...minimal,
      title: '  XSS in setup  ',
      image: 'docker.io/mautic/mautic',
      tag: '5.2.1-apache',
      steps: '1. open /installer\n2. set host',
      impact: '',
      cvss: 'CVSS:3.1/A:N/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L',
      reporterName: 'Rita',
      reporterEmail: 'rita@example.org',
      credit: { wish: 'name', name: 'Rita R.' },
      language: 'de',
    });
    expect(r).toMatchObject({ title: 'XSS in setup', impact: undefined, cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', credit: { wish: 'name', name: 'Rita R.' }, language: 'de' });
    expect(schema.parse({ ...minimal, reporterEmail: '', cvss: ' ', image: '', tag: '' })).toEqual({ ...minimal, credit: { wish: 'none' }, language: 'en' });
  });

  it.each([
    [{ ...minimal, extra: 1 }, /Unrecognized key: "extra"/],
    [{ title: 'XSS in setup' }, /^description: /],
    [{ ...minimal, description: '   ' }, /description: is required/],
    [{ ...minimal, title: 'ab' }, /title: must be at least 3 characters/],
    [{ ...minimal, title: 'x'.repeat(REPORT_LIMITS.title + 1) }, /title: must be at most 200 characters/],
    [{ ...minimal, description: 'x'.repeat(REPORT_LIMITS.description + 1) }, /description: must be at most 50000 characters/],
    [{ ...minimal, title: 'two\nlines' }, /title: must be a single line/],
    [{ ...minimal, description: 'nul \u0000 byte' }, /description: must not contain a NUL character/],
    [{ ...minimal, steps: 'bell \u0007' }, /steps: must not contain control characters/],
    [{ ...minimal, impact: 'half a pair \ud800 here' }, /impact: is not valid Unicode text/],
    [{ ...minimal, cvss: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }, /cvss: CVSS 3\.0 is not accepted/],
    [{ ...minimal, image: 'docker.io/someone/else' }, /image: must be one of: docker\.io\/mautic\/mautic/],
    [{ ...minimal, tag: 'not a tag' }, /tag: must be an image tag/],
    [{ ...minimal, reporterEmail: 'not-an-address' }, /reporterEmail: must be an e-mail address/],
    [{ ...minimal, credit: { wish: 'name' } }, /credit\.name: /],
    [{ ...minimal, credit: { wish: 'name', name: ' ' } }, /credit\.name: is required/],
    [{ ...minimal, credit: { wish: 'maybe' } }, /credit/],
    [{ ...minimal, language: 'fr' }, /language: must be one of: en, de/],
    [{ ...minimal, title: 42 }, /title: /],
  ])('refuses %j', (input, message) => {
    const found = issues(input);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(message);
  });

  it('requires an e-mail address when the policy does not allow anonymous reports', () => {
    expect(issues(minimal, { ...options, allowAnonymous: false }).join()).toMatch(/reporterEmail/);
    expect(issues({ ...minimal, reporterEmail: 'a@example.org' }, { ...options, allowAnonymous: false })).toEqual([]);
  });

  it('refuses a credit name when the policy offers no credit', () => {
    expect(issues({ ...minimal, credit: { wish: 'name', name: 'Rita' } }, { ...options, creditOffered: false }).join()).toMatch(/does not credit reporters/);
    expect(issues({ ...minimal, credit: { wish: 'none' } }, { ...options, creditOffered: false })).toEqual([]);
  });

  it('takes any image name as text when the policy lists no images', () => {
    expect(issues({ ...minimal, image: 'ghcr.io/acme/app' }, { ...options, images: [] })).toEqual([]);
  });
});

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const bytes = (s: string) => new TextEncoder().encode(s);

describe('checkUpload', () => {
  it.each([
    [{ filename: 'poc.txt', contentType: 'text/plain; charset=utf-8', data: bytes('curl ...') }, 'text/plain'],
    [{ filename: 'shot.PNG', contentType: 'image/png', data: png }, 'image/png'],
    [{ filename: 'shot.png', contentType: 'application/octet-stream', data: png }, 'image/png'],
    [{ filename: 'report.pdf', contentType: 'application/pdf', data: bytes('%PDF-1.7\n') }, 'application/pdf'],
    [{ filename: 'poc.zip', contentType: 'application/x-zip-compressed', data: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1]) }, 'application/zip'],
    [{ filename: 'a.json', contentType: 'application/json', data: bytes('{"a":1}') }, 'application/json'],
    [{ filename: 'C:\\Users\\rita\\photo.jpg', contentType: 'image/jpeg', data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]) }, 'image/jpeg'],
  ])('accepts %s', (upload, type) => {
    const r = checkUpload(upload, 1024);
    expect(r.ok && r.upload.contentType).toBe(type);
    if (r.ok) expect(r.upload.filename).not.toMatch(/[/\\]/);
  });

  it.each([
    [{ filename: 'x.exe', contentType: 'application/octet-stream', data: bytes('MZ') }, 'not_allowed', /not accepted/],
    [{ filename: 'x.html', contentType: 'text/html', data: bytes('<script>') }, 'not_allowed', /not accepted/],
    [{ filename: 'x.svg', contentType: 'image/svg+xml', data: bytes('<svg/>') }, 'not_allowed', /not accepted/],
    [{ filename: 'x.html', contentType: 'text/plain', data: bytes('<script>') }, 'not_allowed', /must be named \.txt/],
    [{ filename: 'shot.png', contentType: 'image/png', data: bytes('<html>') }, 'invalid', /not PNG/],
    [{ filename: 'fake.png', contentType: 'application/octet-stream', data: bytes('MZ\u0000') }, 'invalid', /not PNG/],
    [{ filename: 'a.txt', contentType: 'text/plain', data: new Uint8Array([0x41, 0, 0x42]) }, 'invalid', /not text/],
    [{ filename: 'a.json', contentType: 'application/json', data: new Uint8Array([0x7b, 0xff, 0x7d]) }, 'invalid', /not JSON/],
    [{ filename: 'big.txt', contentType: 'text/plain', data: new Uint8Array(1025).fill(65) }, 'too_large', /larger than 1 KB/],
    [{ filename: 'empty.txt', contentType: 'text/plain', data: new Uint8Array(0) }, 'invalid', /empty/],
    [{ filename: '', contentType: 'text/plain', data: bytes('a') }, 'invalid', /file name is missing/],
    [{ filename: 'a\u0000.txt', contentType: 'text/plain', data: bytes('a') }, 'invalid', /NUL/],
  ])('refuses %s', (upload, kind, message) => {
    const r = checkUpload(upload, 1024);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.kind).toBe(kind);
      expect(r.problem.message).toMatch(message);
    }
  });
});
