import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyTag } from './classify-tag.js';
import { parseAnyReference, parseDockerRef, parseNormalizedNamed } from './reference-normalize.js';
import { parseReference } from './reference.js';
import type { TagScheme } from './tag-types.js';
import { compareVersions } from './version-order.js';

const scheme: TagScheme = {
  variants: ['apache', 'fpm', 'alpine', 'php'],
  prereleaseMarkers: ['alpha', 'beta', 'rc', 'dev', 'preview', 'pre', 'snapshot', 'nightly'],
  rollingAliases: ['latest', 'stable'],
  buildPatterns: ['main-{sha}-{ts}', '{branch}-{sha}-{ts}'],
};

// strings made of the characters tags and references are built from, so the parsers get past their first check
const tagish = fc.string({ unit: fc.constantFrom(...'0123456789abcdefv.-_:/@ABCRrc'.split('')), maxLength: 40 });
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), tagish);

const num = fc.integer({ min: 0, max: 30 }).map(String);
const version = fc
  .tuple(
    fc.constantFrom('', 'v'),
    fc.array(num, { minLength: 1, maxLength: 4 }),
    fc.option(fc.tuple(fc.constantFrom('alpha', 'beta', 'rc', 'RC', 'dev'), fc.constantFrom('', '1', '2', '10', '.2')), { nil: undefined }),
    fc.constantFrom('-', ''),
  )
  .map(([v, parts, pre, sep]) => `${v}${parts.join('.')}${pre ? `${sep}${pre[0]}${pre[1]}` : ''}`);

describe('never throws', () => {
  it('classifyTag', () => {
    fc.assert(fc.property(anyString, (s) => void classifyTag(s, scheme)), { numRuns: 2000 });
  });
  it('reference parsers', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        for (const parse of [parseReference, parseNormalizedNamed, parseAnyReference, parseDockerRef]) {
          const r = parse(s);
          expect(typeof r.ok).toBe('boolean');
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('compareVersions, on arbitrary strings too', () => {
    fc.assert(fc.property(anyString, anyString, (a, b) => Number.isFinite(compareVersions(a, b))), { numRuns: 2000 });
  });
});

describe('compareVersions is a total order', () => {
  const sign = (n: number): number => Math.sign(n) + 0;
  it('antisymmetric', () => {
    fc.assert(fc.property(fc.oneof(version, anyString), fc.oneof(version, anyString), (a, b) => sign(compareVersions(a, b)) === -sign(compareVersions(b, a))), {
      numRuns: 3000,
    });
  });
  it('transitive', () => {
    fc.assert(
      fc.property(fc.array(version, { minLength: 3, maxLength: 3 }), ([a = '', b = '', c = '']) => {
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) return compareVersions(a, c) <= 0;
        return true;
      }),
      { numRuns: 5000 },
    );
  });
  it('after sorting, every earlier version is <= every later one (transitivity over whole lists)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(version, tagish), { maxLength: 20 }), (list) => {
        const sorted = [...list].sort(compareVersions);
        for (let i = 0; i < sorted.length; i++) {
          for (let j = i + 1; j < sorted.length; j++) expect(compareVersions(sorted[i] ?? '', sorted[j] ?? '')).toBeLessThanOrEqual(0);
        }
      }),
    );
  });
});
