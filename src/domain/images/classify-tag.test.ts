import { describe, expect, it } from 'vitest';
import { classifyTag } from './classify-tag.js';
import type { TagInfo, TagScheme } from './tag-types.js';

const defaults = {
  prereleaseMarkers: ['alpha', 'beta', 'rc', 'dev', 'preview', 'pre', 'snapshot', 'nightly'],
  rollingAliases: ['latest'],
  buildPatterns: ['main-{sha}-{ts}'],
};
const mautic: TagScheme = { ...defaults, variants: ['apache', 'fpm'] };
const php: TagScheme = { ...defaults, variants: ['cli', 'apache', 'fpm', 'zts', 'alpine', 'trixie', 'bookworm'] };
const open: TagScheme = { ...defaults, variants: [], rollingAliases: ['latest', 'stable'] };
const ozg: TagScheme = { ...defaults, variants: [], buildPatterns: ['main-{sha}-{ts}', '{branch}-{sha}-{ts}'] };

const cases: [string, TagScheme, Omit<TagInfo, 'tag'>][] = [
  // Mautic style
  ['5.2.1-apache', mautic, { kind: 'release', version: '5.2.1', variant: 'apache' }],
  ['5.2.1', mautic, { kind: 'release', version: '5.2.1' }],
  ['v5.2.1', mautic, { kind: 'release', version: '5.2.1' }],
  ['5-fpm', mautic, { kind: 'rolling', version: '5', variant: 'fpm' }],
  ['5.2-apache', mautic, { kind: 'rolling', version: '5.2', variant: 'apache' }],
  ['5', mautic, { kind: 'rolling', version: '5' }],
  ['latest', mautic, { kind: 'rolling' }],
  ['latest-fpm', mautic, { kind: 'rolling', variant: 'fpm' }],
  ['apache', mautic, { kind: 'rolling', variant: 'apache' }],
  ['5.2.0-rc1-apache', mautic, { kind: 'prerelease', version: '5.2.0-rc1', variant: 'apache' }],
  ['5.2.0-beta', mautic, { kind: 'prerelease', version: '5.2.0-beta' }],
  ['5.2.0-RC.2', mautic, { kind: 'prerelease', version: '5.2.0-rc.2' }],
  ['5.2.1-nginx', mautic, { kind: 'unknown' }],
  ['1.2.3.4', mautic, { kind: 'release', version: '1.2.3.4' }],
  ['1.2.3.4.5', mautic, { kind: 'unknown' }],
  // PHP official image style
  ['8.6.0beta1-cli-trixie', php, { kind: 'prerelease', version: '8.6.0-beta1', variant: 'cli-trixie' }],
  ['8.5.10RC1', php, { kind: 'prerelease', version: '8.5.10-rc1' }],
  ['8.6-rc-cli', php, { kind: 'rolling', version: '8.6-rc', variant: 'cli' }],
  ['8.3-fpm-alpine3.24', php, { kind: 'rolling', version: '8.3', variant: 'fpm-alpine3.24' }],
  ['fpm-alpine', php, { kind: 'rolling', variant: 'fpm-alpine' }],
  ['11.4-php8.5-apache-trixie', { ...php, variants: ['php', ...php.variants] }, { kind: 'rolling', version: '11.4', variant: 'php8.5-apache-trixie' }],
  ['cli-2.12.0-php8.2', { ...php, variants: ['php', 'cli'] }, { kind: 'release', version: '2.12.0', variant: 'cli-php8.2' }],
  // empty variant list: any non-prerelease suffix is a variant, but nothing before the version
  ['1.4.0-slim', open, { kind: 'release', version: '1.4.0', variant: 'slim' }],
  ['1.4.0-rc1-slim', open, { kind: 'prerelease', version: '1.4.0-rc1', variant: 'slim' }],
  ['stable', open, { kind: 'rolling' }],
  ['slim-1.4.0', open, { kind: 'unknown' }],
  // build tags
  ['main-1a2b3c4-1719830400', ozg, { kind: 'build', commit: '1a2b3c4', builtAt: '2024-07-01T10:40:00Z' }],
  ['release_1.x-0123456789abcdef0123456789abcdef01234567-1719830400', ozg, {
    kind: 'build', commit: '0123456789abcdef0123456789abcdef01234567', branch: 'release_1.x', builtAt: '2024-07-01T10:40:00Z',
  }],
  ['main-1A2B3C4-1719830400', ozg, { kind: 'unknown' }],
  ['main-1a2b3c-1719830400', ozg, { kind: 'unknown' }],
  // unknown
  ['sha-abc', mautic, { kind: 'unknown' }],
  ['foo', mautic, { kind: 'unknown' }],
  ['foo', open, { kind: 'unknown' }],
  ['5--apache', mautic, { kind: 'unknown' }],
  ['', mautic, { kind: 'unknown' }],
  ['-5', mautic, { kind: 'unknown' }],
];

describe('classifyTag', () => {
  it.each(cases)('%s', (tag, scheme, want) => {
    expect(classifyTag(tag, scheme)).toEqual({ tag, ...want });
  });
});
