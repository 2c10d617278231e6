import { describe, expect, it } from 'vitest';
import type { SupportRule, TagScheme } from '../images/index.js';
import { parseAdvisory } from './parse-advisory.js';
import { resolveAdvisory, type InventoryTag, type ResolvedImage } from './resolve.js';
import type { Advisory } from './schema.js';

const IMAGE = 'docker.io/acme/app';
const d = (n: number): string => `sha256:${n.toString(16).padStart(64, '0')}`;
const scheme: TagScheme = { variants: ['apache', 'fpm'], prereleaseMarkers: ['rc', 'beta'], rollingAliases: ['latest'], buildPatterns: ['main-{sha}-{ts}'] };
const latestMinor: SupportRule = { supportedMajors: [5, 6], latestMinorOnly: true, prereleases: false, buildTags: 'none' };

function advisory(images: string): Advisory {
  const r = parseAdvisory(`id: ACME-2026-001\ntitle: t\nsummary: s\ndetails: d\nseverity:\n  cvss31: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N\nimages:\n${images}`, 'a.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.advisory;
}

const inv = (entries: Record<string, number>): InventoryTag[] => Object.entries(entries).map(([tag, n]) => ({ tag, digest: d(n) }));

function resolveOne(images: string, inventory: InventoryTag[], support: SupportRule = latestMinor, tags: TagScheme = scheme): ResolvedImage {
  const r = resolveAdvisory(advisory(images), new Map([[IMAGE, inventory]]), { tags, support });
  expect(r.problems).toEqual([]);
  const image = r.images[0];
  if (!image) throw new Error('no image');
  return image;
}

const tagsOf = (xs: Array<{ tag: string }>) => xs.map((x) => x.tag);

describe('resolving an advisory to tags and digests', () => {
  const inventory = inv({
    '5.1.4-apache': 1,
    '5.1.4': 1,
    '5.2.0-apache': 2,
    '5.2.0-fpm': 3,
    '5.2.1-apache': 4,
    '5.2.1': 4,
    '5.2.1-fpm': 5,
    '5.2.2-apache': 6,
    '5.2.2': 6,
    '5-apache': 6,
    latest: 6,
    '6.0.0-rc1-apache': 7,
  });
  const images = `  - name: ${IMAGE}
    affected:
      versions: [{ introduced: "5.0.0", fixed: "5.2.2" }]
      variants: [apache]
    fixed:
      - { tag: 5.2.2-apache, digest: "${d(6)}" }
    notAffected:
      - variants: [fpm]
        justification: component_not_present
        statement: no web server
`;

  it('selects by range and variant, follows digests to other names, and leaves out what the support rule does not cover', () => {
    const r = resolveOne(images, inventory);
    // 5.2.1 has no variant suffix but is the same image as 5.2.1-apache
    expect(tagsOf(r.affected)).toEqual(['5.2.1', '5.2.1-apache', '5.2.0-apache']);
    expect(tagsOf(r.fixed)).toEqual(['5.2.2', '5.2.2-apache', 'latest', '5-apache']);
    expect(tagsOf(r.notAffected)).toEqual(['5.2.1-fpm', '5.2.0-fpm']);
    expect(r.excluded).toEqual([
      { tag: '5.1.4', digest: d(1), reason: '5.1 is not the newest minor of major 5 (5.2 is).' },
      { tag: '5.1.4-apache', digest: d(1), reason: '5.1 is not the newest minor of major 5 (5.2 is).' },
    ]);
  });

  it('tells each affected tag where to move: the nearest fixed release of its own variant', () => {
    const r = resolveOne(images, inventory);
    expect(r.affected.map((p) => [p.tag, p.remedy])).toEqual([
      ['5.2.1', { kind: 'move', tag: '5.2.2', digest: d(6) }],
      ['5.2.1-apache', { kind: 'move', tag: '5.2.2-apache', digest: d(6) }],
      ['5.2.0-apache', { kind: 'move', tag: '5.2.2-apache', digest: d(6) }],
    ]);
  });

  it('judges support as it stood before the fix: a fix in a new minor does not drop the old minor from its own advisory', () => {
    const r = resolveOne(
      `  - name: ${IMAGE}
    affected: { versions: [{ introduced: "5.0.0", fixed: "5.3.0" }] }
    fixed: [{ tag: "5.3.0", digest: "${d(9)}" }]
`,
      inv({ '5.1.4': 1, '5.2.1': 4, '5.3.0': 9 }),
    );
    expect(tagsOf(r.affected)).toEqual(['5.2.1']);
    expect(r.affected[0]?.remedy).toEqual({ kind: 'move', tag: '5.3.0', digest: d(9) });
    expect(tagsOf(r.excluded)).toEqual(['5.1.4']);
  });

  it('a rebuild under the same tag: the replaced image is affected and the remedy is to pull the tag again', () => {
    const r = resolveOne(
      `  - name: ${IMAGE}
    affected: { versions: [{ introduced: "0" }] }
    fixed:
      - { tag: 5.2.1-apache, digest: "${d(40)}", replaces: ["${d(4)}"] }
`,
      inv({ '5.2.1-apache': 40, '5.2.0-apache': 2 }),
    );
    expect(r.affected.map((p) => [p.tag, p.digest, p.remedy.kind])).toEqual([
      ['5.2.1-apache', d(4), 'pull'],
      ['5.2.0-apache', d(2), 'move'],
    ]);
    expect(r.fixed.map((p) => [p.tag, p.digest])).toEqual([['5.2.1-apache', d(40)]]);
  });

  it('build tags: a window of build times, the newest-build rule, and rolling tags on the same image', () => {
    const builds: TagScheme = { ...scheme, variants: [], rollingAliases: ['latest', 'main'] };
    const rule: SupportRule = { supportedMajors: 'all', latestMinorOnly: false, prereleases: false, buildTags: 'newest' };
    const r = resolveOne(
      `  - name: ${IMAGE}
    affected: { builds: { before: 2024-09-09T08:00:00Z } }
    fixed:
      - { tag: main-9e8f7a6-1725868800, digest: "${d(3)}" }
      - { tag: latest, digest: "${d(3)}", replaces: ["${d(2)}"] }
`,
      inv({ 'main-4b1d2c7-1724659200': 1, 'main-9e8f7a6-1725264000': 2, 'main-9e8f7a6-1725868800': 3, latest: 3 }),
      rule,
      builds,
    );
    expect(r.affected.map((p) => [p.tag, p.digest, p.remedy])).toEqual([
      ['latest', d(2), { kind: 'pull', tag: 'latest', digest: d(3) }],
      ['main-9e8f7a6-1725264000', d(2), { kind: 'move', tag: 'main-9e8f7a6-1725868800', digest: d(3) }],
    ]);
    expect(r.excluded.map((e) => e.tag)).toEqual(['main-4b1d2c7-1724659200']);
  });

  it('named tags: by the inventory digest, or pinned to an earlier image', () => {
    const r = resolveOne(
      `  - name: ${IMAGE}
    affected:
      tags: [5.2.0-apache, "5.2.1-apache@${d(99)}"]
`,
      inventory,
    );
    expect(r.affected.map((p) => [p.tag, p.digest])).toEqual([
      ['5.2.1-apache', d(99)],
      ['5.2.0-apache', d(2)],
    ]);
  });

  it('pre-releases do not receive advisories unless the policy says so', () => {
    const sel = `  - name: ${IMAGE}\n    affected: { versions: [{ introduced: "6.0.0-rc1", lastAffected: "6.0.0-rc1" }] }\n`;
    const withRc = inventory.concat(inv({ '6.0.0-rc1': 7 }));
    expect(resolveAdvisory(advisory(sel), new Map([[IMAGE, withRc]]), { tags: scheme, support: latestMinor }).problems).toEqual([
      { path: ['images', 0], message: `the statements for ${IMAGE} select no image; 2 matching tags do not receive advisories under the support rule` },
    ]);
    expect(tagsOf(resolveOne(sel, withRc, { ...latestMinor, prereleases: true }).affected)).toEqual(['6.0.0-rc1', '6.0.0-rc1-apache']);
  });

  it('says what is wrong, at the statement that is wrong', () => {
    const a = advisory(`  - name: ${IMAGE}
    affected:
      tags: [9.9.9, 5.2.2-apache]
    fixed: [{ tag: 5.2.2-apache, digest: "${d(6)}" }]
    inventory: ["5.2.2-apache@${d(6)}", "5.2.0@${d(2)}", "5.2.0@${d(3)}"]
  - name: docker.io/acme/other
    affected: { versions: [{ introduced: "7.0.0" }] }
    inventory: ["5.2.2@${d(8)}"]
`);
    const r = resolveAdvisory(a, new Map(), { tags: scheme, support: latestMinor, images: [IMAGE] });
    expect(r.problems).toEqual([
      { path: ['images', 0, 'inventory', 2], message: '5.2.0 appears twice in the inventory with different digests' },
      { path: ['images', 0, 'affected', 'tags', 0], message: '9.9.9 is not in the inventory; pin its image: 9.9.9@sha256:…' },
      {
        path: ['images', 0, 'affected', 'tags', 1],
        message: `5.2.2-apache is listed as affected, but ${d(6)} is a fixed image; pin the affected image: 5.2.2-apache@<its earlier digest>`,
      },
      { path: ['images', 1, 'name'], message: `docker.io/acme/other is not one of the policy's images (${IMAGE})` },
      { path: ['images', 1], message: 'the statements for docker.io/acme/other select no image; give the inventory (tags with digests) or name the tags' },
    ]);
  });
});
