/**
 * Docker-style names: `redis` means docker.io/library/redis, `me/app` means docker.io/me/app, and
 * the familiar form strips those defaults again for display.
 */
import { identifierRegexp, validateDigest } from './reference-grammar.js';
import type { ImageReference, ReferenceResult } from './reference.js';
import { fail, formatReference, isNameOnly, parseReference, referenceName, withDigest, withName, withTag } from './reference.js';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';

/** Split a familiar name into registry and remainder, applying Docker Hub's defaults. */
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = i === -1 ? '' : name.slice(0, i);
  // the first component is a registry only if it looks like a host: has a dot or port, is
  // "localhost", or has uppercase letters (which a repository path never has)
  if (i === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

/** Parse a familiar or full name and return it fully qualified (docker.io/library/redis:tag). */
export function parseNormalizedNamed(s: string): ReferenceResult {
  if (typeof s !== 'string') return fail('invalid_format');
  if (identifierRegexp.test(s)) {
    return fail('invalid_format', `${s} is a 64-hex image id, not a repository name`);
  }
  const { domain, remainder } = splitDockerDomain(s);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remote.toLowerCase() !== remote) return fail('name_contains_uppercase', remote);
  const parsed = parseReference(`${domain}/${remainder}`);
  if (parsed.ok && parsed.ref.path === '') return fail('invalid_format', s);
  return parsed;
}

/** Accept only names that are already canonical (parseNormalizedNamed would not change them). */
export function parseNamed(s: string): ReferenceResult {
  const parsed = parseNormalizedNamed(s);
  if (!parsed.ok) return parsed;
  if (formatReference(parsed.ref) !== s) return fail('name_not_canonical', s);
  return parsed;
}

/**
 * Anything a user might type: a bare 64-hex image id (taken as sha256), a digest, or a name.
 * A shorter hex string is a name.
 */
export function parseAnyReference(s: string): ReferenceResult {
  if (typeof s !== 'string') return fail('invalid_format');
  if (identifierRegexp.test(s)) return { ok: true, ref: { domain: '', path: '', digest: `sha256:${s}` } };
  if (validateDigest(s) === null) return { ok: true, ref: { domain: '', path: '', digest: s } };
  return parseNormalizedNamed(s);
}

/**
 * What `docker pull` would fetch: normalised, ":latest" when no tag or digest is given; when both
 * are given the tag is dropped, because the digest alone decides the content.
 */
export function parseDockerRef(s: string): ReferenceResult {
  const parsed = parseNormalizedNamed(s);
  if (!parsed.ok) return parsed;
  const ref = parsed.ref;
  if (ref.digest) {
    const named = withName(referenceName(ref));
    return named.ok ? withDigest(named.ref, ref.digest) : named;
  }
  return isNameOnly(ref) ? withTag(ref, 'latest') : parsed;
}

function familiarize(ref: ImageReference): ImageReference {
  const out: ImageReference = { ...ref };
  if (ref.domain === DEFAULT_DOMAIN) {
    out.domain = '';
    if (ref.path.startsWith(OFFICIAL_REPO_PREFIX)) {
      const rest = ref.path.slice(OFFICIAL_REPO_PREFIX.length);
      if (!rest.includes('/')) out.path = rest;
    }
  }
  return out;
}

/** The short name people type: `redis`, `me/app`, `ghcr.io/me/app`. */
export function familiarName(ref: ImageReference): string {
  return referenceName(familiarize(ref));
}

/** The familiar name with tag and digest: `redis:7`, `me/app@sha256:...`. */
export function familiarString(ref: ImageReference): string {
  return formatReference(familiarize(ref));
}

/**
 * Go's path.Match as a RegExp: '*' and '?' never cross '/', '[...]' classes with ranges and '^',
 * '\\' escapes. Null for a malformed pattern.
 */
export function globToRegExp(pattern: string): RegExp | null {
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= pattern.length) return null;
      out += escapeRe(pattern.charAt(++i));
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) return null;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      if (body === '') return null;
      const cls = body.replace(/[\]\\^]/g, (m) => `\\${m}`);
      out += negate ? `[^/${cls}]` : `[${cls}]`;
      i = end;
    } else out += escapeRe(c);
  }
  try {
    return new RegExp(`${out}$`);
  } catch {
    return null;
  }
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, (m) => `\\${m}`);
}

/** Does the glob match the reference's familiar string (with tag/digest), or else its familiar name? */
export function familiarMatch(pattern: string, ref: ImageReference): boolean {
  const re = globToRegExp(pattern);
  if (!re) return false;
  if (re.test(familiarString(ref))) return true;
  return ref.path !== '' && re.test(familiarName(ref));
}
