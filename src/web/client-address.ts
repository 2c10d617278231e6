import { isIPv4, isIPv6 } from 'node:net';

/**
 * The address a rate limit counts a client under: an IPv4 address as it is, an IPv6 address as its
 * network of `prefixLength` bits (one subscriber usually gets a whole /64 and can pick any address
 * in it), written as the prefix in full hexadecimal groups followed by /length. IPv4-mapped IPv6
 * (::ffff:192.0.2.1, what a dual-stack socket reports) counts as the IPv4 address. Anything else
 * (an unparseable value) is counted as itself.
 */
export function addressKey(ip: string, prefixLength = 64): string {
  const address = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  const groups = ipv6Groups(address);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    const bits = Math.max(0, Math.min(16, prefixLength - i * 16));
    const mask = bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
    out.push((groups[i]! & mask).toString(16).padStart(4, '0'));
  }
  return `${out.join(':')}/${prefixLength}`;
}

/** The eight 16-bit groups of a valid IPv6 address (with :: and a dotted IPv4 tail expanded). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, null];
  const left = head ? head.split(':') : [];
  const right = tail === null ? [] : tail ? tail.split(':') : [];
  const middle = tail === null ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((g) => parseInt(g, 16));
}
