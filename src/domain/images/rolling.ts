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

const isVersioned = (i: TagInfo): boolean => i.kind === 'release' || i.kind === 'prerelease';

/**
 * The releases and pre-releases of a tag list, found by image digest and by version line, so that
 * resolving every rolling tag is not a scan of the whole list per rolling tag (a repository may hold
 * tens of thousands of tags and thousands of rolling ones).
 */
class VersionedIndex {
  private readonly byDigest = new Map<string, TagInfo[]>();
  /** By each leading part of the version: '' (every release), '5', '5.2', '5.2.1'. */
  private readonly byLine = new Map<string, TagInfo[]>();

  constructor(infos: readonly TagInfo[], digestByTag?: Record<string, string>) {
    const add = (map: Map<string, TagInfo[]>, key: string, info: TagInfo) => {
      const list = map.get(key);
      if (list) list.push(info);
      else map.set(key, [info]);
    };
    for (const info of infos) {
      if (!isVersioned(info)) continue;
      if (digestByTag && Object.hasOwn(digestByTag, info.tag)) add(this.byDigest, digestByTag[info.tag]!, info);
      const parts = info.version === undefined ? null : splitVersion(info.version)?.parts;
      if (!parts) continue;
      add(this.byLine, '', info);
      let line = '';
      for (const part of parts) add(this.byLine, (line = line === '' ? part : `${line}.${part}`), info);
    }
  }

  withDigest(digest: string): TagInfo[] {
    return this.byDigest.get(digest) ?? [];
  }

  /** Candidates that may be on the rolling tag's line (tracks() decides). */
  onLineOf(rolling: TagInfo): TagInfo[] {
    if (rolling.version === undefined) return this.byLine.get('') ?? [];
    const line = splitVersion(rolling.version);
    return line ? (this.byLine.get(line.parts.join('.')) ?? []) : [];
  }
}

/** The target by the naming rule alone, among already classified tags. */
export function ruleTarget(rolling: TagInfo, infos: readonly TagInfo[]): TagInfo | undefined {
  return newestByVersion(infos.filter((i) => isVersioned(i) && sameVariant(i, rolling) && tracks(rolling, i)));
}

/** The release carrying the rolling tag's image: the name that matches its variant and line first. */
function digestTarget(rolling: TagInfo, same: readonly TagInfo[]): TagInfo | undefined {
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
  const rolling = infos.filter((i) => i.kind === 'rolling');
  if (rolling.length === 0) return [];
  const index = new VersionedIndex(infos, digestByTag);
  return rolling.map((r): RollingTarget => {
    const digest = digestByTag && Object.hasOwn(digestByTag, r.tag) ? digestByTag[r.tag] : undefined;
    if (digest !== undefined) {
      const hit = digestTarget(r, index.withDigest(digest));
      if (hit) return { tag: r.tag, target: hit.tag, via: 'digest' };
    }
    const byRule = ruleTarget(r, index.onLineOf(r));
    return byRule ? { tag: r.tag, target: byRule.tag, via: 'rule' } : { tag: r.tag, target: null, via: 'none' };
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
