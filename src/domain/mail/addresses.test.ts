import { describe, expect, it } from 'vitest';
import { matchRecipient, parseMailbox, parseReplyTag, withPlusTag } from './addresses.js';

const desk = ['security@example.org', 'Crypt@Mail.Example.org'];
const tag = 'r12-abcdefghijklmnopqrst';

describe('mail addresses', () => {
  it('parses mailboxes, with angle brackets, lower-casing the domain', () => {
    expect(parseMailbox('<Sec@Example.ORG>')).toEqual({ local: 'Sec', domain: 'example.org' });
    expect(parseMailbox('no-at-sign')).toBeNull();
    expect(parseMailbox('a@b@')).toBeNull();
    expect(parseMailbox('a b@example.org')).toBeNull();
  });

  it("matches the desk's mailboxes, case-insensitively, with and without reply tags", () => {
    expect(matchRecipient('security@example.org', desk)).toEqual({ kind: 'desk', contact: 'security@example.org', tag: null });
    expect(matchRecipient('SECURITY@EXAMPLE.ORG', desk)).toMatchObject({ kind: 'desk' });
    expect(matchRecipient('crypt@mail.example.org', desk)).toMatchObject({ kind: 'desk', contact: 'Crypt@Mail.Example.org' });
    expect(matchRecipient(`security+${tag}@example.org`, desk)).toEqual({ kind: 'desk', contact: 'security@example.org', tag: { number: 12, mac: 'abcdefghijklmnopqrst' } });
    expect(matchRecipient(`security+${tag.toUpperCase()}@example.org`, desk)).toMatchObject({ tag: { number: 12 } });
    // a tag that is no reply tag is no mailbox of the desk
    expect(matchRecipient('security+newsletter@example.org', desk)).toEqual({ kind: 'unknown-mailbox' });
    expect(matchRecipient('security+r12-short@example.org', desk)).toEqual({ kind: 'unknown-mailbox' });
    // a contact whose own address has a tag keeps it, and takes reply tags after it
    expect(matchRecipient('cvd+intake@example.org', ['cvd+intake@example.org'])).toMatchObject({ kind: 'desk', tag: null });
    expect(matchRecipient(`cvd+intake+${tag}@example.org`, ['cvd+intake@example.org'])).toMatchObject({ kind: 'desk', tag: { number: 12 } });
  });

  it('tells unknown mailboxes of our domains from foreign domains (relaying)', () => {
    expect(matchRecipient('postmaster@example.org', desk)).toEqual({ kind: 'unknown-mailbox' });
    expect(matchRecipient('security@example.org.evil.test', desk)).toEqual({ kind: 'foreign-domain' });
    expect(matchRecipient('security@evil.test', desk)).toEqual({ kind: 'foreign-domain' });
    expect(matchRecipient('nonsense', desk)).toEqual({ kind: 'invalid' });
  });

  it('reads only well-formed reply tags', () => {
    expect(parseReplyTag(tag)).toEqual({ number: 12, mac: 'abcdefghijklmnopqrst' });
    expect(parseReplyTag('r0-abcdefghijklmnopqrst')).toBeNull();
    expect(parseReplyTag('r12-abcdefghijklmnopqrs')).toBeNull(); // 19 characters
    expect(parseReplyTag('r12-abcdefghijklmnopqr1')).toBeNull(); // 1 is not base32
    expect(parseReplyTag('r99999999999-abcdefghijklmnopqrst')).toBeNull();
    expect(withPlusTag('security@Example.org', tag)).toBe(`security+${tag}@example.org`);
    expect(withPlusTag('cvd+intake@example.org', tag)).toBe(`cvd+intake+${tag}@example.org`);
  });
});
