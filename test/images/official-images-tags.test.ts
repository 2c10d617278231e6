import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus, haveCorpora } from '../support/corpora.js';
import { classifyTag } from '../../src/domain/images/classify-tag.js';
import { resolveRolling } from '../../src/domain/images/rolling.js';
import type { TagScheme } from '../../src/domain/images/tag-types.js';

interface Row { manifest: string; tag: string; entry: string }

function rows(): Row[] {
  if (!haveCorpora) return [];
  return readFileSync(corpusPath('docker-ref', 'official-images-tags.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('manifest\t'))
    .map((l) => {
      const [manifest = '', tag = '', , directory = '', commit = ''] = l.split('\t');
      // one manifest entry (same directory and commit) is one image: its tags share a digest
      return { manifest, tag, entry: `${directory}@${commit}` };
    });
}

const base = {
  prereleaseMarkers: ['alpha', 'beta', 'rc', 'dev', 'preview', 'pre', 'snapshot', 'nightly'],
  rollingAliases: ['latest'],
  buildPatterns: [],
};
// 'alpine' also covers 'alpine3.24', 'php' covers 'php8.5' (a variant may carry a version number)
const schemes: Record<string, TagScheme> = {
  php: { ...base, variants: ['cli', 'apache', 'fpm', 'zts', 'alpine', 'trixie', 'bookworm'] },
  drupal: { ...base, variants: ['php', 'apache', 'fpm', 'alpine', 'trixie', 'bookworm'] },
  joomla: { ...base, variants: ['php', 'apache', 'fpm', 'alpine'] },
  // the wordpress image also ships wp-cli as 'cli-2.12.0-php8.2': a variant before the version
  wordpress: { ...base, variants: ['php', 'apache', 'fpm', 'alpine', 'cli'] },
  'wordpress-2019-05': { ...base, variants: ['php', 'apache', 'fpm', 'alpine', 'cli'] },
};

const all = rows();
const manifests = [...new Set(all.map((r) => r.manifest))];

describeCorpus('official-images tags', () => {
  it('has a scheme for every manifest', () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const m of manifests) expect(schemes[m], m).toBeDefined();
  });

  it.each(manifests)('%s: every tag is a version or an alias', (m) => {
    const scheme = schemes[m] as TagScheme;
    const tags = all.filter((r) => r.manifest === m);
    const unknown = tags.map((r) => classifyTag(r.tag, scheme)).filter((i) => i.kind === 'unknown').map((i) => i.tag);
    expect(unknown).toEqual([]);
  });

  it.each(manifests)('%s: a tag with a full version is a release or pre-release, a shorter one is rolling', (m) => {
    const scheme = schemes[m] as TagScheme;
    for (const r of all.filter((x) => x.manifest === m)) {
      const info = classifyTag(r.tag, scheme);
      const full = /(^|-)v?\d+\.\d+\.\d+/.test(r.tag);
      expect(info.kind === 'release' || info.kind === 'prerelease', r.tag).toBe(full);
    }
  });

  it.each(manifests)('%s: each manifest entry holds exactly one full version', (m) => {
    const scheme = schemes[m] as TagScheme;
    const versions = new Map<string, Set<string>>();
    for (const r of all.filter((x) => x.manifest === m)) {
      const info = classifyTag(r.tag, scheme);
      if (info.kind !== 'release' && info.kind !== 'prerelease') continue;
      versions.set(r.entry, (versions.get(r.entry) ?? new Set()).add(info.version ?? ''));
    }
    for (const [entry, set] of versions) expect([...set], entry).toHaveLength(1);
  });

  it.each(manifests.flatMap((m) => [[m, 'digest'] as const, [m, 'rule'] as const]))(
    '%s: every rolling tag resolves (by %s) to a full-version tag of its own manifest entry',
    (m, via) => {
      const scheme = schemes[m] as TagScheme;
      const tags = all.filter((r) => r.manifest === m);
      const entryOf = new Map(tags.map((r) => [r.tag, r.entry]));
      const digests = via === 'digest' ? Object.fromEntries(entryOf) : undefined;
      const resolved = resolveRolling(
        tags.map((r) => r.tag),
        scheme,
        digests,
      );
      expect(resolved.length).toBeGreaterThan(0);
      const wrong = resolved
        .filter(
          (r) =>
            r.via !== via ||
            r.target === null ||
            entryOf.get(r.target) !== entryOf.get(r.tag) ||
            // and the name with the same variant: '11-apache' -> '11.4.5-apache', not '11.4.5'
            classifyTag(r.target, scheme).variant !== classifyTag(r.tag, scheme).variant,
        )
        .map((r) => `${r.tag} -> ${r.target} (${r.via})`);
      expect(wrong).toEqual([]);
    },
  );
});
