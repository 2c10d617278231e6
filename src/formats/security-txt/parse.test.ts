import { describe, expect, it } from 'vitest';
import { parseSecurityTxt } from './parse.js';

const SIG = ['-----BEGIN PGP SIGNATURE-----', '', 'wpwEAQEIABAFAmTH', '-----END PGP SIGNATURE-----'];
const signed = (body: string[], sig = SIG) => ['-----BEGIN PGP SIGNED MESSAGE-----', 'Hash: SHA256', '', ...body, ...sig].join('\n') + '\n';

describe('parseSecurityTxt', () => {
  it('reads fields, comments and empty lines with LF or CRLF alike', () => {
    for (const eol of ['\n', '\r\n']) {
      const p = parseSecurityTxt(['# hi', 'Contact: mailto:a@b.c', '  ', 'expires: 2027-01-01T00:00:00Z'].join(eol) + eol);
      expect(p.lines.map((l) => l.kind)).toEqual(['comment', 'field', 'empty', 'field']);
      expect(p.fields).toEqual([
        { line: 2, name: 'Contact', key: 'contact', value: 'mailto:a@b.c' },
        { line: 4, name: 'expires', key: 'expires', value: '2027-01-01T00:00:00Z' },
      ]);
      expect(p.findings).toEqual([]);
      expect(p.missingEolLine).toBeNull();
    }
  });

  it('reports a missing final line ending by its line, a BOM, and invalid UTF-8', () => {
    expect(parseSecurityTxt('A: b\nC: d').missingEolLine).toBe(2);
    const bom = parseSecurityTxt(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Contact: https://x/\n')]));
    expect(bom.findings.map((f) => [f.code, f.line])).toEqual([['bom_in_file', 1]]);
    expect(bom.fields[0]?.name).toBe('Contact');
    expect(parseSecurityTxt(new Uint8Array([0x41, 0x3a, 0x20, 0xc3, 0x28, 0x0a])).findings.map((f) => f.code)).toEqual(['utf8']);
  });

  it('gives DTC syntax codes for malformed field lines', () => {
    const codes = (s: string) => parseSecurityTxt(s + '\n').findings.map((f) => f.code);
    expect(codes('Contact : x:y')).toEqual(['prec_ws']);
    expect(codes('Contact:x:y')).toEqual(['no_space']);
    expect(codes(': x:y')).toEqual(['empty_key']);
    expect(codes('Contact:')).toEqual(['empty_value']);
    expect(codes('just words')).toEqual(['invalid_line']);
    expect(codes('Security policy: https://x/')).toEqual(['invalid_line']);
  });

  it('unfolds continuation lines of extension fields only', () => {
    const p = parseSecurityTxt('X-Note: one\n two\nContact: https://x/\n three\n');
    expect(p.fields[0]?.value).toBe('one two');
    expect(p.lines.map((l) => l.kind)).toEqual(['field', 'continuation', 'field', 'invalid']);
  });

  it('splits a clear-signed file into dash-unescaped signed text and the armored signature', () => {
    const p = parseSecurityTxt(signed(['Contact: https://x/', '- -not a field', '- Expires: 2027-01-01T00:00:00Z', '']));
    expect(p.signed).toBe(true);
    expect(p.framingOk).toBe(true);
    expect(p.signature).toEqual({
      hashes: ['SHA256'],
      signedText: 'Contact: https://x/\n-not a field\nExpires: 2027-01-01T00:00:00Z\n',
      armoredSignature: SIG.join('\n') + '\n',
      headerLine: 1,
      signatureLine: 8,
    });
    expect(p.fields.map((f) => f.key)).toEqual(['contact', 'expires']);
  });

  it('accepts a CRC line and armor headers; rejects broken framing once, on the offending line', () => {
    const ok = ['-----BEGIN PGP SIGNATURE-----', 'Version: x', 'Comment: y', '', 'AAAA', '=DHXw', '-----END PGP SIGNATURE-----'];
    expect(parseSecurityTxt(signed(['Contact: https://x/'], ok)).framingOk).toBe(true);
    const noBlank = ['-----BEGIN PGP SIGNATURE-----', 'AAAA', '-----END PGP SIGNATURE-----'];
    expect(parseSecurityTxt(signed(['Contact: https://x/'], noBlank)).findings.map((f) => [f.code, f.line])).toEqual([['pgp_data_error', 6]]);
    const noEnd = parseSecurityTxt(signed(['Contact: https://x/'], SIG.slice(0, 3)));
    expect(noEnd.findings.map((f) => [f.code, f.line])).toEqual([['pgp_data_error', 5]]);
    expect(noEnd.signature).toBeNull();
    const afterCrc = [...ok.slice(0, 6), 'AAAA', ok[6]!];
    expect(parseSecurityTxt(signed(['Contact: https://x/'], afterCrc)).findings.map((f) => f.code)).toEqual(['pgp_data_error']);
  });

  it('flags a missing Hash/blank separator, content after the signature and a late header', () => {
    const noSep = parseSecurityTxt(['-----BEGIN PGP SIGNED MESSAGE-----', 'Contact: https://x/', ...SIG].join('\n') + '\n');
    expect(noSep.findings.map((f) => [f.code, f.line])).toEqual([['pgp_data_error', 2]]);
    expect(noSep.fields.map((f) => f.key)).toEqual(['contact']);
    expect(parseSecurityTxt(signed(['Contact: https://x/']) + 'Expires: x\n').findings.map((f) => f.code)).toEqual(['data_after_sig']);
    expect(parseSecurityTxt(signed(['Contact: https://x/']) + '\n\n').findings.map((f) => f.code)).toEqual(['too_many_line_separators']);
    expect(parseSecurityTxt('\n' + signed(['Contact: https://x/'])).findings.map((f) => [f.code, f.line])).toEqual([['signed_format_issue', 2]]);
  });

  it('treats Hash: outside the signed-message header as an ordinary field', () => {
    expect(parseSecurityTxt('Hash: SHA256\n').fields.map((f) => f.key)).toEqual(['hash']);
  });
});
