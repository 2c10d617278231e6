import { describe, expect, it } from 'vitest';
import { findArmorBlocks, textAround } from './pgp-armor.js';

describe('inline OpenPGP armor', () => {
  it('finds encrypted messages, clear-signed text and keys at line starts, not in quotes', () => {
    const text = [
      'Hello,',
      '-----BEGIN PGP MESSAGE-----',
      '',
      'hQEMA...',
      '-----END PGP MESSAGE-----',
      '> -----BEGIN PGP MESSAGE-----',
      '> quoted',
      '> -----END PGP MESSAGE-----',
      '-----BEGIN PGP SIGNED MESSAGE-----',
      'Hash: SHA256',
      '',
      'signed text',
      '-----BEGIN PGP SIGNATURE-----',
      'iQ...',
      '-----END PGP SIGNATURE-----',
      '-----BEGIN PGP PUBLIC KEY BLOCK-----',
      'mQ...',
      '-----END PGP PUBLIC KEY BLOCK-----',
      '-----BEGIN PGP MESSAGE-----',
      'never ended',
    ].join('\n');
    const blocks = findArmorBlocks(text);
    expect(blocks.map((b) => b.kind)).toEqual(['message', 'signed-message', 'public-key']);
    expect(blocks[0]!.text).toBe('-----BEGIN PGP MESSAGE-----\n\nhQEMA...\n-----END PGP MESSAGE-----');
    expect(blocks[1]!.text).toContain('signed text');
    expect(textAround(text.slice(0, blocks[0]!.end + 5), blocks[0]!)).toBe('Hello,\n\n> --');
  });

  it('takes CRLF lines and trailing blanks after the dashes', () => {
    const b = findArmorBlocks('-----BEGIN PGP MESSAGE----- \r\nx\r\n-----END PGP MESSAGE-----\r\n');
    expect(b).toHaveLength(1);
    expect(findArmorBlocks('plain text')).toEqual([]);
  });
});
