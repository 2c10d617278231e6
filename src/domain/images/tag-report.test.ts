import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveRolling } from './rolling.js';
import { applySupportRule, moveTo } from './support-rule.js';
import { RepositoryTags, rollingCandidates, tagReport, type TagAdvisory } from './tag-report.js';
import type { SupportRule, TagScheme } from './tag-types.js';

const scheme: TagScheme = { variants: ['apache', 'fpm'], prereleaseMarkers: ['rc', 'beta'], rollingAliases: ['latest'], buildPatterns: ['main-{sha}-{ts}'] };
const rule: SupportRule = { supportedMajors: [5, 6], latestMinorOnly: true, prereleases: false, buildTags: 'none' };
const tags = ['4.4.13-apache', '4-apache', '5.1.9-apache', '5.2.0-apache', '5.2.1-apache', '5-apache', '5.2-apache', '6.0.0-apache', '6.0.0', '6', 'latest', '6.1.0-rc1', 'main-1a2b3c4-1719830400', 'odd_tag'];
const advisory: TagAdvisory = { id: 'CVDESK-2026-0001', title: 'Session fixation in the login form', severity: 'high', url: null };

describe('tagReport', () => {
  it('a supported release that is not the newest patch moves to the newest', () => {
    const r = tagReport({ tags, scheme, rule, tag: '5.2.0-apache', advisories: [advisory], digestByTag: { '5.2.0-apache': 'sha256:aa' } });
    expect(r).toEqual({
      tag: '5.2.0-apache',
      kind: 'release',
      digest: 'sha256:aa',
      receivesAdvisories: true,
      advisories: [advisory],
      moveTo: '5.2.1-apache',
      reason: '5.2 is the newest minor of supported major 5.',
      version: '5.2.0',
      variant: 'apache',
    });
    // the JSON contract's keys come first, in order
    expect(Object.keys(r).slice(0, 6)).toEqual(['tag', 'kind', 'digest', 'receivesAdvisories', 'advisories', 'moveTo']);
  });

  it('an unsupported major moves within the newest supported major of its variant', () => {
    expect(tagReport({ tags, scheme, rule, tag: '4.4.13-apache', advisories: [] })).toMatchObject({ receivesAdvisories: false, moveTo: '6.0.0-apache', digest: null, reason: expect.stringContaining('Major 4 is not supported') });
  });

  it('an older minor of a supported major moves to the newest minor of that major', () => {
    expect(tagReport({ tags, scheme, rule, tag: '5.1.9-apache', advisories: [] })).toMatchObject({ receivesAdvisories: false, moveTo: '5.2.1-apache' });
  });

  it('a rolling tag follows the release it shares a digest with, over the naming rule', () => {
    const byRule = tagReport({ tags, scheme, rule, tag: '5-apache', advisories: [] });
    expect(byRule).toMatchObject({ kind: 'rolling', pointsTo: '5.2.1-apache', pointsToBy: 'rule', receivesAdvisories: true });
    // the registry says 5-apache is still the 5.1.9-apache image: not supported, whatever its name suggests
    const byDigest = tagReport({ tags, scheme, rule, tag: '5-apache', advisories: [], digestByTag: { '5-apache': 'sha256:old', '5.1.9-apache': 'sha256:old', '5.2.1-apache': 'sha256:new' } });
    expect(byDigest).toMatchObject({ kind: 'rolling', digest: 'sha256:old', pointsTo: '5.1.9-apache', pointsToBy: 'digest', receivesAdvisories: false, moveTo: '5.2.1-apache' });
    expect(byDigest.reason).toContain('5-apache points to 5.1.9-apache, which does not receive advisories');
  });

  it('a rolling tag with nothing to point to says so', () => {
    const r = tagReport({ tags, scheme, rule, tag: '7-fpm', advisories: [] });
    expect(r).toMatchObject({ kind: 'rolling', pointsTo: null, receivesAdvisories: false, moveTo: null });
    expect(r).not.toHaveProperty('pointsToBy');
  });

  it('pre-releases, builds and unknown tags receive nothing here', () => {
    expect(tagReport({ tags, scheme, rule, tag: '6.1.0-rc1', advisories: [] })).toMatchObject({ kind: 'prerelease', receivesAdvisories: false, moveTo: '6.0.0' });
    expect(tagReport({ tags, scheme, rule, tag: 'main-1a2b3c4-1719830400', advisories: [] })).toMatchObject({ kind: 'build', receivesAdvisories: false, moveTo: null });
    expect(tagReport({ tags, scheme, rule, tag: 'odd_tag', advisories: [] })).toMatchObject({ kind: 'unknown', receivesAdvisories: false, moveTo: null });
  });
});

describe('RepositoryTags', () => {
  const release = fc.tuple(fc.integer({ min: 3, max: 7 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).map((v) => v.join('.'));
  const rolling = fc.oneof(fc.integer({ min: 3, max: 7 }).map(String), fc.tuple(fc.integer({ min: 3, max: 7 }), fc.integer({ min: 0, max: 3 })).map((v) => v.join('.')), fc.constant('latest'));
  const tag = fc
    .tuple(fc.oneof(release, rolling, release.map((v) => `${v}-rc1`), fc.constantFrom('main-1a2b3c4-1719830400', 'main-9f9f9f9-1719900000', 'odd_tag')), fc.constantFrom('', '-apache', '-fpm'))
    .map(([t, variant]) => (t.startsWith('main-') || t === 'odd_tag' || (t === 'latest' && variant) ? t : `${t}${variant}`));
  const list = fc.uniqueArray(tag, { minLength: 1, maxLength: 40 });
  const digests = (tags: readonly string[], pick: readonly number[]) => Object.fromEntries(tags.map((t, i) => [t, `sha256:${pick[i % pick.length]}`]));

  it('answers every tag of the list as judging that tag alone against the list does', () => {
    fc.assert(
      fc.property(list, fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 10 }), (tags, pick) => {
        const digestByTag = digests(tags, pick);
        const repository = new RepositoryTags(tags, scheme, rule, digestByTag);
        const statuses = applySupportRule([...tags], scheme, rule, digestByTag);
        const targets = resolveRolling([...tags], scheme, digestByTag);
        expect(repository.size).toBe(tags.length);
        for (const t of tags) {
          const r = repository.report(t, [advisory]);
          const s = statuses.find((x) => x.tag === t)!;
          expect(r).toMatchObject({ tag: t, kind: s.kind, digest: digestByTag[t], receivesAdvisories: s.receivesAdvisories, reason: s.reason, moveTo: moveTo(t, [...tags], scheme, rule), advisories: [advisory] });
          if (s.kind === 'rolling') expect(r.pointsTo).toBe(targets.find((x) => x.tag === t)!.target);
          else expect(r).not.toHaveProperty('pointsTo');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a tag that is not in its list, and knows no digest without one', () => {
    const repository = new RepositoryTags(tags, scheme, rule);
    expect(repository.has('5.2.1-apache')).toBe(true);
    expect(repository.digestOf('5.2.1-apache')).toBeNull();
    expect(() => repository.report('9.9.9', [])).toThrow(RangeError);
  });
});

describe('rollingCandidates', () => {
  it('lists the releases on the line of the same variant newest first, then other variants', () => {
    const list = ['5.2.1-fpm', '5.1.9-apache', '5.2.1-apache', '5.2.0-apache', '4.4.13-apache', '5-apache', '5.3.0-rc1-apache', 'latest'];
    expect(rollingCandidates('5-apache', list, scheme)).toEqual(['5.2.1-apache', '5.2.0-apache', '5.1.9-apache', '5.2.1-fpm']);
    expect(rollingCandidates('latest', ['5.2.1', '6.0.0', '6.0.0-apache', '6.1.0-rc1'], scheme)).toEqual(['6.0.0', '5.2.1', '6.0.0-apache']);
  });

  it('is empty for a tag that is not rolling', () => {
    expect(rollingCandidates('5.2.1-apache', tags, scheme)).toEqual([]);
  });
});
