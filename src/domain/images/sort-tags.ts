import { classifyTag } from './classify-tag.js';
import type { TagInfo, TagKind, TagScheme } from './tag-types.js';
import { compareVersions } from './version-order.js';

const kindRank: Record<TagKind, number> = { release: 0, prerelease: 1, rolling: 2, build: 3, unknown: 4 };

const cmpText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Display order: releases newest first, then pre-releases newest first, then rolling tags (aliases
 * first, then by tracked version, newest first), then build tags newest first, then unknown tags.
 * Ties fall back to variant ('' first) and then to the tag text, so the order is total.
 */
export function compareTagInfos(a: TagInfo, b: TagInfo): number {
  const byKind = kindRank[a.kind] - kindRank[b.kind];
  if (byKind !== 0) return byKind;
  let c = 0;
  if (a.kind === 'build') c = cmpText(b.builtAt ?? '', a.builtAt ?? '');
  else if (a.kind !== 'unknown') {
    if (a.version === undefined || b.version === undefined) c = a.version === b.version ? 0 : a.version === undefined ? -1 : 1;
    else c = compareVersions(b.version, a.version);
  }
  if (c !== 0) return c;
  return cmpText(a.variant ?? '', b.variant ?? '') || cmpText(a.tag, b.tag);
}

/** The tags in display order (see compareTagInfos). */
export function sortTags(tags: string[], scheme: TagScheme): string[] {
  return tags
    .map((t) => classifyTag(t, scheme))
    .sort(compareTagInfos)
    .map((i) => i.tag);
}

/** The newest of these tag infos by the display order, or undefined for none. */
export function newestOf(infos: TagInfo[]): TagInfo | undefined {
  return [...infos].sort(compareTagInfos)[0];
}

/**
 * The newest by version alone, releases and pre-releases mixed (8.5.10RC1 is newer than 8.5.9);
 * ties fall back to the display order. Undefined for none.
 */
export function newestByVersion(infos: readonly TagInfo[]): TagInfo | undefined {
  const newerFirst = (a: TagInfo, b: TagInfo) => compareVersions(b.version ?? '', a.version ?? '') || compareTagInfos(a, b);
  // the first of the sort order, found in one pass (the first among equals, as a stable sort keeps it)
  let best: TagInfo | undefined;
  for (const i of infos) if (best === undefined || newerFirst(i, best) < 0) best = i;
  return best;
}
