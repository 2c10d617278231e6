import { describe, expect, it } from 'vitest';
import { addressKey } from './client-address.js';

describe('addressKey', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('192.0.2.7', 48)).toBe('192.0.2.7');
  });

  it('groups IPv6 addresses by their /64, whatever the spelling', () => {
    const key = '2001:0db8:0001:0002:0000:0000:0000:0000/64';
    expect(addressKey('2001:db8:1:2::1')).toBe(key);
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe(key);
    expect(addressKey('2001:DB8:1:2:0:0:0:ffff')).toBe(key);
    expect(addressKey('[2001:db8:1:2::42]')).toBe(key);
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0000:0000:0000:0000:0000:0000:0000/64');
    expect(addressKey('2001:db8:1:3::1')).not.toBe(key);
    expect(addressKey('::1')).toBe('0000:0000:0000:0000:0000:0000:0000:0000/64');
    expect(addressKey('2001:db8::1.2.3.4')).toBe('2001:0db8:0000:0000:0000:0000:0000:0000/64');
  });

  it('takes other prefix lengths, also ones that split a group', () => {
    expect(addressKey('2001:db8:1:2::1', 48)).toBe('2001:0db8:0001:0000:0000:0000:0000:0000/48');
    expect(addressKey('2001:db8:1:2ff::1', 56)).toBe('2001:0db8:0001:0200:0000:0000:0000:0000/56');
    expect(addressKey('2001:db8:1:2::1', 128)).toBe('2001:0db8:0001:0002:0000:0000:0000:0001/128');
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:c000:207')).toBe('192.0.2.7');
  });

  it('counts anything else as itself', () => {
    expect(addressKey('not an address')).toBe('not an address');
    expect(addressKey('')).toBe('');
  });
});
