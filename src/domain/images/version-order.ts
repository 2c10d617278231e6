/**
 * Version precedence: semver rules (a pre-release sorts before its release, identifiers compare
 * field by field) with two relaxations real image tags need: any number of numeric parts (missing
 * parts count as 0, so 1.2 = 1.2.0) and digit runs inside identifiers compare numerically
 * (rc2 < rc10). Any string is accepted; strings that are not versions sort below all versions.
 */

export interface VersionParts {
  /** Numeric parts without leading zeros: '1.02.3' -> ['1', '2', '3']. */
  parts: string[];
  /** Pre-release identifiers, lower-cased, split on '.'; null for a release. */
  pre: string[] | null;
}

const versionRe = /^[vV]?(\d+(?:\.\d+)*)(?:-(.*)|([A-Za-z].*))?$/;

export function stripZeros(digits: string): string {
  const s = digits.replace(/^0+/, '');
  return s === '' ? '0' : s;
}

/** Versions already split: resolving an advisory compares the same few thousand versions again and again. */
const split = new Map<string, VersionParts | null>();
const SPLIT_REMEMBERED = 200_000;

/**
 * Split 'v1.2.3-rc.1', '8.6.0beta1', '5.2' into parts; null when the string is not a version. The
 * result is shared between callers (remembered) and frozen.
 */
export function splitVersion(v: string): VersionParts | null {
  if (typeof v !== 'string') return null;
  const hit = split.get(v);
  if (hit !== undefined) return hit;
  if (split.size >= SPLIT_REMEMBERED) split.clear();
  const parts = splitNew(v);
  split.set(v, parts && Object.freeze({ parts: Object.freeze(parts.parts) as string[], pre: parts.pre && (Object.freeze(parts.pre) as string[]) }));
  return split.get(v)!;
}

function splitNew(v: string): VersionParts | null {
  const plus = v.indexOf('+');
  const m = versionRe.exec(plus === -1 ? v : v.slice(0, plus));
  if (!m) return null;
  const parts = (m[1] ?? '').split('.').map(stripZeros);
  const preText = m[2] ?? m[3];
  return { parts, pre: preText === undefined ? null : preText.toLowerCase().split('.') };
}

/** Compare two strings of digits by numeric value, without converting (they may be long). */
function compareDigits(a: string, b: string): number {
  const x = stripZeros(a);
  const y = stripZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

const cmpText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One identifier as runs of digits and non-digits: 'rc10' -> ['rc', '10']. */
const runs = (id: string): string[] => id.match(/\d+|\D+/g) ?? [];
const isDigits = (s: string): boolean => /^\d/.test(s);

function compareIdentifier(a: string, b: string): number {
  const ra = runs(a);
  const rb = runs(b);
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i] ?? '';
    const y = rb[i] ?? '';
    const dx = isDigits(x);
    const dy = isDigits(y);
    // as in semver, numbers sort before words
    const c = dx && dy ? compareDigits(x, y) : dx !== dy ? (dx ? -1 : 1) : cmpText(x, y);
    if (c !== 0) return c;
  }
  return Math.sign(ra.length - rb.length);
}

function compareParts(a: VersionParts, b: VersionParts): number {
  const n = Math.max(a.parts.length, b.parts.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a.parts[i] ?? '0', b.parts[i] ?? '0');
    if (c !== 0) return c;
  }
  if (a.pre === null || b.pre === null) return a.pre === b.pre ? 0 : a.pre === null ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const c = compareIdentifier(a.pre[i] ?? '', b.pre[i] ?? '');
    if (c !== 0) return c;
  }
  return Math.sign(a.pre.length - b.pre.length);
}

/** Negative when a is older than b, positive when newer, 0 when they are the same version. */
export function compareVersions(a: string, b: string): number {
  const pa = splitVersion(a);
  const pb = splitVersion(b);
  if (pa && pb) return compareParts(pa, pb);
  if (pa || pb) return pa ? 1 : -1;
  return cmpText(String(a), String(b));
}

/** Major as a digit string ('5'), or null when the version has none. */
export function majorOf(version: string): string | null {
  return splitVersion(version)?.parts[0] ?? null;
}

/** 'major.minor' ('5.2'; '5.0' when only a major is given), or null. */
export function minorLineOf(version: string): string | null {
  const p = splitVersion(version);
  return p ? `${p.parts[0] ?? '0'}.${p.parts[1] ?? '0'}` : null;
}

/** Does the full version lie on the partial line ('5' holds 5.2.1, '5.2' holds 5.2.1, '5.1' does not)? */
export function onLine(partial: string, version: string): boolean {
  const p = splitVersion(partial);
  const v = splitVersion(version);
  if (!p || !v) return false;
  return p.parts.every((part, i) => v.parts[i] === part);
}
