import { describe, expect, it } from 'vitest';
import { headerField, multipartBodies, parseContentType, pgpMimeKind, signedParts, splitEntity } from './mime-structure.js';

const signed = [
  'From: rita@example.org',
  'Content-Type: multipart/signed; micalg=pgp-sha256;',
  '\tprotocol="application/pgp-signature"; boundary="=-b 1"',
  '',
  'preamble',
  '--=-b 1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'The report.',
  '--=-b 1',
  'Content-Type: application/pgp-signature; name="signature.asc"',
  '',
  '-----BEGIN PGP SIGNATURE-----',
  'abc',
  '-----END PGP SIGNATURE-----',
  '',
  '--=-b 1--',
  'epilogue',
].join('\r\n');

describe('raw MIME structure', () => {
  it('splits header and body at the first blank line and unfolds fields', () => {
    const { header, body } = splitEntity(signed);
    expect(body.startsWith('preamble')).toBe(true);
    expect(headerField(header, 'CONTENT-TYPE')).toBe('multipart/signed; micalg=pgp-sha256;\tprotocol="application/pgp-signature"; boundary="=-b 1"');
    expect(headerField(header, 'subject')).toBeNull();
    expect(splitEntity('Only: header')).toEqual({ header: 'Only: header', body: '' });
  });

  it('parses Content-Type with quoted parameters; a broken type is text/plain', () => {
    expect(parseContentType('Multipart/Encrypted; protocol="application/pgp-encrypted"; boundary=abc')).toEqual({
      type: 'multipart/encrypted',
      params: { protocol: 'application/pgp-encrypted', boundary: 'abc' },
    });
    expect(parseContentType('text/plain; name="a \\"b\\".txt"').params.name).toBe('a "b".txt');
    expect(parseContentType(null).type).toBe('text/plain');
    expect(parseContentType('<script>').type).toBe('text/plain');
    expect(pgpMimeKind(parseContentType('multipart/encrypted; protocol=application/pgp-encrypted'))).toBe('encrypted');
    expect(pgpMimeKind(parseContentType('multipart/signed; protocol="application/pgp-signature"'))).toBe('signed');
    expect(pgpMimeKind(parseContentType('multipart/signed; protocol="application/pkcs7-signature"'))).toBeNull();
  });

  it('cuts multipart bodies at the delimiters, the line break before a delimiter belonging to it', () => {
    expect(multipartBodies('--b\r\none\r\n--b\r\ntwo\r\n\r\n--b--\r\n', 'b')).toEqual(['one', 'two\r\n']);
    expect(multipartBodies('--b\none\n--b--', 'b')).toEqual(['one']);
    expect(multipartBodies('--b\r\nnever closed\r\n', 'b')).toBeNull();
    expect(multipartBodies('no delimiters', 'b')).toBeNull();
    // a line that merely starts with the boundary is no delimiter
    expect(multipartBodies('--b\r\n--bx\r\n--b--', 'b')).toEqual(['--bx']);
  });

  it('finds the exact signed entity (CRLF) and the signature of PGP/MIME signed mail', () => {
    expect(signedParts(signed)).toEqual({
      signedContent: 'Content-Type: text/plain; charset=utf-8\r\n\r\nThe report.',
      signature: '-----BEGIN PGP SIGNATURE-----\r\nabc\r\n-----END PGP SIGNATURE-----\r\n',
    });
    expect(signedParts(signed.replace(/\r\n/g, '\n'))?.signedContent).toBe('Content-Type: text/plain; charset=utf-8\r\n\r\nThe report.');
    expect(signedParts('Content-Type: text/plain\r\n\r\nhello')).toBeNull();
    expect(signedParts(signed.replace('application/pgp-signature; name', 'text/plain; name'))).toBeNull();
  });
});
