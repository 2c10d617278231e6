import { describe, expect, it } from 'vitest';
import { compareVersions, onLine, splitVersion } from './version-order.js';

describe('compareVersions', () => {
  // each pair: a < b
  it.each([
    ['1.9.0', '1.10.0'],
    ['1.9', '1.10'],
    ['1.2.3', '1.2.4'],
    ['1.2.3', '2.0.0'],
    ['5.2.0-rc1', '5.2.0-rc2'],
    ['5.2.0-rc2', '5.2.0-rc10'],
    ['5.2.0-rc2', '5.2.0'],
    ['5.2.0-alpha', '5.2.0-beta'],
    ['5.2.0-beta', '5.2.0-beta.1'],
    ['5.2.0-beta.2', '5.2.0-beta.11'],
    ['5.2.0-1', '5.2.0-alpha'],
    ['8.6.0beta1', '8.6.0'],
    ['8.5.10RC1', '8.5.10'],
    ['8.5.9', '8.5.10RC1'],
    ['v1.2.3', 'v1.2.4'],
    ['v1.9.0', '1.10.0'],
    ['1.2.3', '1.2.3.1'],
    ['not-a-version', '0.0.1'],
    ['1.2.3-rc1', '1.2.3+build.5'],
  ])('%s < %s', (a, b) => {
    expect(compareVersions(a, b)).toBeLessThan(0);
    expect(compareVersions(b, a)).toBeGreaterThan(0);
  });

  it.each([
    ['1.2', '1.2.0'],
    ['v1.2.3', '1.2.3'],
    ['01.2.3', '1.2.3'],
    ['1.2.3-RC1', '1.2.3-rc1'],
    ['1.2.3+a', '1.2.3+b'],
  ])('%s = %s', (a, b) => {
    expect(compareVersions(a, b)).toBe(0);
  });

  it('sorts a shuffled list', () => {
    const sorted = ['1.10.0', '1.9.0', '1.10.0-rc2', '1.10.0-rc1', '2.0.0', 'v1.2.0'].sort(compareVersions);
    expect(sorted).toEqual(['v1.2.0', '1.9.0', '1.10.0-rc1', '1.10.0-rc2', '1.10.0', '2.0.0']);
  });
});

describe('splitVersion and onLine', () => {
  it.each([
    ['v5.2.1', { parts: ['5', '2', '1'], pre: null }],
    ['8.6.0beta1', { parts: ['8', '6', '0'], pre: ['beta1'] }],
    ['1.0.0-RC.2', { parts: ['1', '0', '0'], pre: ['rc', '2'] }],
    ['latest', null],
  ])('%s', (v, want) => {
    expect(splitVersion(v)).toEqual(want);
  });

  it.each([
    ['5', '5.2.1', true],
    ['5.2', '5.2.1', true],
    ['5.1', '5.2.1', false],
    ['5', '50.0.0', false],
  ] as const)('%s holds %s: %s', (line, v, want) => {
    expect(onLine(line, v)).toBe(want);
  });
});
