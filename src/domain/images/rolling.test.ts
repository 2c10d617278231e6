import { describe, expect, it } from 'vitest';
import { resolveRolling } from './rolling.js';
import { sortTags } from './sort-tags.js';
import type { TagScheme } from './tag-types.js';

const php: TagScheme = {
  variants: ['cli', 'apache', 'fpm', 'alpine'],
  prereleaseMarkers: ['alpha', 'beta', 'rc', 'dev'],
  rollingAliases: ['latest'],
  buildPatterns: ['main-{sha}-{ts}'],
};
const tags = [
  '8.5.9', '8.5.9-cli', '8.5.10RC1', '8.5.10RC1-cli', '8.4.24', '8.4.24-fpm-alpine3.24',
  '8.6.0beta1', '8', '8.5', '8.4', '8-cli', '8.5-rc', '8.6-rc', '8.6-rc-cli', 'latest', 'cli', 'fpm-alpine', 'fpm',
];

describe('resolveRolling by rule', () => {
  const got = new Map(resolveRolling(tags, php).map((r) => [r.tag, r]));
  it.each([
    ['8', '8.5.9'],
    ['8.5', '8.5.9'],
    ['8.4', '8.4.24'],
    ['8-cli', '8.5.9-cli'],
    ['8.5-rc', '8.5.10RC1'],
    ['8.6-rc', '8.6.0beta1'],
    ['latest', '8.5.9'],
    ['cli', '8.5.9-cli'],
    ['fpm-alpine', null],
    ['fpm', null],
    ['8.6-rc-cli', null],
  ] as const)('%s -> %s', (tag, target) => {
    expect(got.get(tag)).toEqual({ tag, target, via: target === null ? 'none' : 'rule' });
  });

  it('lists only rolling tags', () => {
    expect([...got.keys()].sort()).toEqual(['8', '8-cli', '8.4', '8.5', '8.5-rc', '8.6-rc', '8.6-rc-cli', 'cli', 'fpm', 'fpm-alpine', 'latest']);
  });
});

describe('resolveRolling by digest', () => {
  it('prefers the same-digest tag with the same variant, and falls back to the rule', () => {
    const digests = { latest: 'd1', '8.5.9': 'd1', '8.5.9-cli': 'd2', cli: 'd2', '8': 'd9', 'fpm-alpine': 'd3', '8.4.24-fpm-alpine3.24': 'd3' };
    const got = new Map(resolveRolling(tags, php, digests).map((r) => [r.tag, r]));
    expect(got.get('latest')).toEqual({ tag: 'latest', target: '8.5.9', via: 'digest' });
    expect(got.get('cli')).toEqual({ tag: 'cli', target: '8.5.9-cli', via: 'digest' });
    expect(got.get('fpm-alpine')).toEqual({ tag: 'fpm-alpine', target: '8.4.24-fpm-alpine3.24', via: 'digest' });
    expect(got.get('8')).toEqual({ tag: '8', target: '8.5.9', via: 'rule' });
  });
});

describe('sortTags', () => {
  it('orders releases newest first, then pre-releases, rolling, builds, unknown', () => {
    const scheme: TagScheme = { ...php, variants: ['apache'] };
    const input = ['foo', '1.9.0', 'main-1a2b3c4-1719830400', '1.10.0-rc1', 'v1.10.0', '1.10.0-apache', '1', 'latest', '1.10.0-rc2', 'main-abcdef0-1719916800'];
    expect(sortTags(input, scheme)).toEqual([
      'v1.10.0', '1.10.0-apache', '1.9.0', '1.10.0-rc2', '1.10.0-rc1', 'latest', '1', 'main-abcdef0-1719916800', 'main-1a2b3c4-1719830400', 'foo',
    ]);
  });
});
