/**
 * Which release a rolling tag (latest, 5, 5.2-apache, php8.5-fpm, 8.6-rc) points to. With digests
 * the registry decides (same digest = same image); without, the naming rule does: the newest
 * release of the same partial version and the same variant.
 */
import { classifyTag } from './classify-tag.js';
import { newestByVersion } from './sort-tags.js';
import type { RollingTarget, TagInfo, TagScheme } from './tag-types.js';
import { onLine, splitVersion } from './version-order.js';

/** Does the rolling tag's line hold this release or pre-release (variant aside)? */
export function tracks(rolling: TagInfo, candidate: TagInfo): boolean {
  if (candidate.version === undefined) return false;
  if (rolling.version === undefined) return candidate.kind === 'release';
  const line = splitVersion(rolling.version);
  if (!line) return false;
  // a pre-release line ('8.6-rc') follows pre-releases and the releases that end them
  if (line.pre === null && candidate.kind !== 'release') return false;
  return onLine(line.parts.join('.'), candidate.version);
}

const sameVariant = (a: TagInfo, b: TagInfo): boolean => (a.variant ?? '') === (b.variant ?? '');

/** The target by the naming rule alone, among already classified tags. */
export function ruleTarget(rolling: TagInfo, infos: TagInfo[]): TagInfo | undefined {
  return newestByVersion(infos.filter((i) => (i.kind === 'release' || i.kind === 'prerelease') && sameVariant(i, rolling) && tracks(rolling, i)));
}

function digestTarget(rolling: TagInfo, infos: TagInfo[], digest: string, digestByTag: Record<string, string>): TagInfo | undefined {
  const same = infos.filter(
    (i) => (i.kind === 'release' || i.kind === 'prerelease') && Object.hasOwn(digestByTag, i.tag) && digestByTag[i.tag] === digest,
  );
  // one image carries many names (11.4.5, 11.4.5-apache, 11.4.5-php8.5-apache-trixie): prefer the
  // name that matches the rolling tag's variant and line
  const tiers = [
    same.filter((i) => sameVariant(i, rolling) && tracks(rolling, i)),
    same.filter((i) => tracks(rolling, i)),
    same.filter((i) => sameVariant(i, rolling)),
    same,
  ];
  for (const tier of tiers) {
    const hit = newestByVersion(tier);
    if (hit) return hit;
  }
  return undefined;
}

/** Resolve rolling tags among already classified tags (the tag-status code reuses the classification). */
export function resolveRollingInfos(infos: TagInfo[], digestByTag?: Record<string, string>): RollingTarget[] {
  return infos
    .filter((i) => i.kind === 'rolling')
    .map((rolling): RollingTarget => {
      const digest = digestByTag && Object.hasOwn(digestByTag, rolling.tag) ? digestByTag[rolling.tag] : undefined;
      if (digest !== undefined && digestByTag) {
        const hit = digestTarget(rolling, infos, digest, digestByTag);
        if (hit) return { tag: rolling.tag, target: hit.tag, via: 'digest' };
      }
      const byRule = ruleTarget(rolling, infos);
      return byRule ? { tag: rolling.tag, target: byRule.tag, via: 'rule' } : { tag: rolling.tag, target: null, via: 'none' };
    });
}

/**
 * For each rolling tag in `tags`, the release tag it points to: by identical digest when
 * `digestByTag` gives one for it (falling back to the rule when no release shares it), else by rule.
 */
export function resolveRolling(tags: string[], scheme: TagScheme, digestByTag?: Record<string, string>): RollingTarget[] {
  return resolveRollingInfos(
    tags.map((t) => classifyTag(t, scheme)),
    digestByTag,
  );
}
