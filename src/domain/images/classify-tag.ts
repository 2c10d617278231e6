/**
 * What a tag is, from its name and the project's tag scheme alone:
 *   5.2.1-apache      release, variant apache
 *   5.2.0-rc1-apache  prerelease (also 8.6.0beta1, 8.5.10RC1)
 *   5, 5.2-fpm        rolling partial versions (8.6-rc-cli tracks the 8.6 pre-release line)
 *   latest, apache    rolling aliases (a variant alone tracks the newest release of that variant)
 *   main-1a2b3c4-1719830400  build tag
 * A variant segment matches a listed variant exactly or followed by a version number, so 'alpine'
 * also covers 'alpine3.24' and 'php' covers 'php8.5'. With a non-empty variant list, variants may
 * also come before the version ('cli-2.12.0-php8.2', as the wordpress image does).
 */
import type { TagInfo, TagScheme } from './tag-types.js';
import { stripZeros } from './version-order.js';

const TAG_RE = /^[\w][\w.-]{0,127}$/;
const VERSION_SEGMENT_RE = /^[vV]?(\d+(?:\.\d+){0,3})([A-Za-z][A-Za-z0-9.]*)?$/;

interface Compiled {
  marker: RegExp | null;
  variants: string[][];
  builds: RegExp[];
  aliases: Set<string>;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function compileBuild(pattern: string): RegExp {
  const body = pattern
    .split(/(\{branch\}|\{sha\}|\{ts\})/)
    .map((part) => {
      if (part === '{branch}') return '(?<branch>[a-z0-9._]+)';
      if (part === '{sha}') return '(?<sha>[0-9a-f]{7,40})';
      if (part === '{ts}') return '(?<ts>[0-9]{9,11})';
      return escapeRe(part);
    })
    .join('');
  return new RegExp(`^${body}$`);
}

// memoised per scheme object: the same scheme is used for every tag of a list
const cache = new WeakMap<TagScheme, Compiled>();

function compile(scheme: TagScheme): Compiled {
  const hit = cache.get(scheme);
  if (hit) return hit;
  const markers = (scheme.prereleaseMarkers ?? []).filter((m) => m !== '');
  const compiled: Compiled = {
    marker: markers.length ? new RegExp(`^(${markers.map(escapeRe).join('|')})((?:\\.?\\d+)?)$`, 'i') : null,
    // longest first, so 'fpm-alpine' listed as one variant wins over 'fpm'
    variants: (scheme.variants ?? [])
      .filter((v) => v !== '')
      .map((v) => v.split('-'))
      .sort((a, b) => b.length - a.length),
    builds: (scheme.buildPatterns ?? []).map(compileBuild),
    aliases: new Set(scheme.rollingAliases ?? []),
  };
  cache.set(scheme, compiled);
  return compiled;
}

/** 'rc1' -> 'rc1', 'RC.2' -> 'rc.2'; null when the text is not a pre-release marker. */
function normaliseMarker(c: Compiled, text: string): string | null {
  const m = c.marker?.exec(text);
  return m ? `${(m[1] ?? '').toLowerCase()}${m[2] ?? ''}` : null;
}

function variantAt(c: Compiled, segs: string[], i: number): number {
  for (const parts of c.variants) {
    if (i + parts.length > segs.length) continue;
    const head = parts.slice(0, -1);
    const last = parts[parts.length - 1] ?? '';
    if (!head.every((p, k) => segs[i + k] === p)) continue;
    const seg = segs[i + parts.length - 1] ?? '';
    if (seg === last || (seg.startsWith(last) && /^\d+(?:\.\d+)*$/.test(seg.slice(last.length)))) return parts.length;
  }
  return 0;
}

/** Do all of segs form a chain of variants? (Empty list in the scheme: any non-marker segment is one.) */
function isVariantChain(c: Compiled, segs: string[], anyAllowed: boolean): boolean {
  if (c.variants.length === 0) return anyAllowed && segs.every((s) => normaliseMarker(c, s) === null);
  let i = 0;
  while (i < segs.length) {
    const n = variantAt(c, segs, i);
    if (n === 0) return false;
    i += n;
  }
  return true;
}

function withVariant(info: TagInfo, segs: string[]): TagInfo {
  if (segs.length) info.variant = segs.join('-');
  return info;
}

function classifyBuild(c: Compiled, tag: string): TagInfo | null {
  for (const re of c.builds) {
    const g = re.exec(tag)?.groups;
    if (!g) continue;
    const info: TagInfo = { tag, kind: 'build' };
    if (g.sha) info.commit = g.sha;
    if (g.branch) info.branch = g.branch;
    if (g.ts) info.builtAt = new Date(Number(g.ts) * 1000).toISOString().replace('.000Z', 'Z');
    return info;
  }
  return null;
}

function classifyVersioned(c: Compiled, tag: string, segs: string[], i: number): TagInfo | null {
  const m = VERSION_SEGMENT_RE.exec(segs[i] ?? '');
  if (!m) return null;
  const prefix = segs.slice(0, i);
  // a variant before the version only when the scheme lists its variants
  if (prefix.length && (c.variants.length === 0 || !isVariantChain(c, prefix, false))) return null;
  const parts = (m[1] ?? '').split('.').map(stripZeros);
  let rest = segs.slice(i + 1);
  let pre: string | null = null;
  if (m[2] !== undefined) {
    pre = normaliseMarker(c, m[2]);
    if (pre === null) return null;
  } else if (rest.length && normaliseMarker(c, rest[0] ?? '') !== null) {
    pre = normaliseMarker(c, rest[0] ?? '');
    rest = rest.slice(1);
  }
  if (!isVariantChain(c, rest, true)) return null;
  const version = parts.join('.') + (pre === null ? '' : `-${pre}`);
  const kind = parts.length >= 3 ? (pre === null ? 'release' : 'prerelease') : 'rolling';
  return withVariant({ tag, kind, version }, [...prefix, ...rest]);
}

/** Classifications already made, per scheme: a repository's tags are classified again on every resolution. */
const classified = new WeakMap<TagScheme, Map<string, TagInfo>>();
const CLASSIFIED_PER_SCHEME = 200_000;

/**
 * Classify one tag against the scheme. Never throws; anything unrecognised is 'unknown'. The result
 * is shared between callers (remembered per scheme) and frozen: copy it to change it.
 */
export function classifyTag(tag: string, scheme: TagScheme): TagInfo {
  if (typeof tag !== 'string') return classifyNew(tag, scheme);
  let known = classified.get(scheme);
  if (!known) classified.set(scheme, (known = new Map()));
  const hit = known.get(tag);
  if (hit) return hit;
  if (known.size >= CLASSIFIED_PER_SCHEME) known.clear();
  const info = Object.freeze(classifyNew(tag, scheme));
  known.set(tag, info);
  return info;
}

function classifyNew(tag: string, scheme: TagScheme): TagInfo {
  if (typeof tag !== 'string' || !TAG_RE.test(tag)) return { tag: String(tag), kind: 'unknown' };
  const c = compile(scheme);
  const build = classifyBuild(c, tag);
  if (build) return build;
  const segs = tag.split('-');
  if (segs.some((s) => s === '')) return { tag, kind: 'unknown' };
  if (c.aliases.has(segs[0] ?? '') && isVariantChain(c, segs.slice(1), true)) {
    return withVariant({ tag, kind: 'rolling' }, segs.slice(1));
  }
  for (let i = 0; i < segs.length; i++) {
    if (!/^[vV]?\d/.test(segs[i] ?? '')) continue;
    const info = classifyVersioned(c, tag, segs, i);
    if (info) return info;
  }
  // a variant alone ('apache', 'php8.5-fpm') tracks the newest release of that variant
  if (c.variants.length && isVariantChain(c, segs, false)) return withVariant({ tag, kind: 'rolling' }, segs);
  return { tag, kind: 'unknown' };
}
