import { describe, expect, it } from 'vitest';
import { applySupportRule, moveTo } from './support-rule.js';
import type { SupportRule, TagScheme } from './tag-types.js';

const mautic: TagScheme = {
  variants: ['apache', 'fpm'],
  prereleaseMarkers: ['alpha', 'beta', 'rc', 'dev', 'preview', 'pre', 'snapshot', 'nightly'],
  rollingAliases: ['latest'],
  buildPatterns: ['main-{sha}-{ts}'],
};
const rule: SupportRule = { supportedMajors: [5, 6], latestMinorOnly: true, prereleases: false, buildTags: 'newest' };

const tags = [
  '4.4.13-apache', '4.4-apache', '4-apache',
  '5.1.3-apache', '5.1-apache',
  '5.2.0-apache', '5.2.1-apache', '5.2-apache', '5-apache', '5.2.1-fpm', '5-fpm',
  '5.3.0-rc1-apache', '5.3.0-beta',
  '6.0.0-apache', '6.0.0', '6', 'latest', 'apache', '6.0-fpm',
  'main-1a2b3c4-1719830400', 'main-abcdef0-1719916800',
  'sha-abc',
];

describe('applySupportRule (supported majors 5 and 6, newest minor only, no pre-releases)', () => {
  const byTag = new Map(applySupportRule(tags, mautic, rule).map((s) => [s.tag, s]));
  it.each([
    ['4.4.13-apache', false, 'Major 4 is not supported (supported majors: 5, 6).'],
    ['4-apache', false, '4-apache points to 4.4.13-apache, which does not receive advisories: Major 4 is not supported (supported majors: 5, 6).'],
    ['5.1.3-apache', false, '5.1 is not the newest minor of major 5 (5.2 is).'],
    ['5.1-apache', false, '5.1-apache points to 5.1.3-apache, which does not receive advisories: 5.1 is not the newest minor of major 5 (5.2 is).'],
    ['5.2.0-apache', true, '5.2 is the newest minor of supported major 5.'],
    ['5.2.1-apache', true, '5.2 is the newest minor of supported major 5.'],
    ['5.2-apache', true, '5.2-apache points to 5.2.1-apache, which receives advisories.'],
    ['5-apache', true, '5-apache points to 5.2.1-apache, which receives advisories.'],
    ['5-fpm', true, '5-fpm points to 5.2.1-fpm, which receives advisories.'],
    ['5.3.0-rc1-apache', false, '5.3.0-rc1 is a pre-release, and pre-releases do not receive advisories.'],
    ['5.3.0-beta', false, '5.3.0-beta is a pre-release, and pre-releases do not receive advisories.'],
    ['6.0.0', true, '6.0 is the newest minor of supported major 6.'],
    ['latest', true, 'latest points to 6.0.0, which receives advisories.'],
    ['apache', true, 'apache points to 6.0.0-apache, which receives advisories.'],
    ['6.0-fpm', false, 'No release of 6.0 with variant fpm is in the tag list, so 6.0-fpm points to nothing that is supported.'],
    ['main-abcdef0-1719916800', true, 'main-abcdef0-1719916800 is the newest build (built 2024-07-02T10:40:00Z).'],
    ['main-1a2b3c4-1719830400', false, 'main-1a2b3c4-1719830400 is not the newest build (the newest was built 2024-07-02T10:40:00Z).'],
    ['sha-abc', false, "sha-abc does not follow the project's tag scheme, so no support promise covers it."],
  ] as const)('%s', (tag, receives, reason) => {
    expect(byTag.get(tag)).toMatchObject({ receivesAdvisories: receives, reason });
  });

  it('keeps the input order and length', () => {
    expect(applySupportRule(tags, mautic, rule).map((s) => s.tag)).toEqual(tags);
  });

  it('without latestMinorOnly every release of a supported major receives advisories', () => {
    const s = applySupportRule(tags, mautic, { ...rule, latestMinorOnly: false }).find((x) => x.tag === '5.1.3-apache');
    expect(s).toMatchObject({ receivesAdvisories: true, reason: 'Major 5 is supported.' });
  });

  it("'all' majors and pre-releases included", () => {
    const all = new Map(applySupportRule(tags, mautic, { ...rule, supportedMajors: 'all', prereleases: true }).map((s) => [s.tag, s]));
    expect(all.get('4.4.13-apache')?.receivesAdvisories).toBe(true);
    expect(all.get('5.3.0-beta')).toMatchObject({
      receivesAdvisories: true,
      reason: '5.3.0-beta is a pre-release of supported major 5, and the policy includes pre-releases.',
    });
  });

  it.each([
    ['all', [true, true]],
    ['none', [false, false]],
  ] as const)('build tags: %s', (buildTags, want) => {
    const s = applySupportRule(['main-1a2b3c4-1719830400', 'main-abcdef0-1719916800'], mautic, { ...rule, buildTags });
    expect(s.map((x) => x.receivesAdvisories)).toEqual(want);
  });

  it('newest minor ignores pre-releases: 5.3.0-rc1 does not displace 5.2', () => {
    const s = applySupportRule(['5.2.1', '5.3.0-rc1'], mautic, rule);
    expect(s[0]?.receivesAdvisories).toBe(true);
  });

  it('a rolling tag follows the digest when one is given', () => {
    const digests = { '5-apache': 'sha256:a', '5.1.3-apache': 'sha256:a', '5.2.1-apache': 'sha256:b' };
    const s = applySupportRule(['5.1.3-apache', '5.2.1-apache', '5-apache'], mautic, rule, digests);
    expect(s[2]).toMatchObject({ receivesAdvisories: false });
    expect(s[2]?.reason).toMatch(/^5-apache points to 5\.1\.3-apache/);
  });
});

describe('moveTo', () => {
  it.each([
    ['4.4.13-apache', '6.0.0-apache'],
    ['5.1.3-apache', '5.2.1-apache'],
    ['5.1-apache', '5.2.1-apache'],
    ['5.2.0-apache', '5.2.1-apache'],
    ['5.3.0-rc1-apache', '5.2.1-apache'],
    ['5-fpm', '5.2.1-fpm'],
    ['6.0-fpm', '5.2.1-fpm'], // no supported 6.x fpm image: the newest supported fpm release
    ['latest', '6.0.0'],
    ['main-1a2b3c4-1719830400', 'main-abcdef0-1719916800'],
    ['sha-abc', null],
    ['7.0.0-apache', '6.0.0-apache'],
  ] as const)('%s -> %s', (tag, want) => {
    expect(moveTo(tag, tags, mautic, rule)).toBe(want);
  });

  it('null when no supported release of the variant exists', () => {
    expect(moveTo('4-fpm', ['4.4.13-fpm', '5.2.1-apache'], mautic, rule)).toBeNull();
  });

  it('build tags get nowhere when they receive no fixes', () => {
    expect(moveTo('main-1a2b3c4-1719830400', tags, mautic, { ...rule, buildTags: 'none' })).toBeNull();
  });
});
