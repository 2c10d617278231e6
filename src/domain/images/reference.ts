/**
 * Image references: registry/repo:tag@digest, parsed without normalisation (as written).
 * The Docker-style normalisation (docker.io/library defaults, familiar names) lives in
 * reference-normalize.ts. Nothing here throws: every outcome is a ReferenceResult.
 */
import {
  NAME_TOTAL_LENGTH_MAX,
  digestRegexp,
  nameRegexp,
  referenceRegexp,
  tagRegexp,
  validateDigest,
} from './reference-grammar.js';

/**
 * A parsed reference. `domain` is '' when the name has none; `path` is '' only for a digest-only
 * reference (a bare image id or sha256:...).
 */
export interface ImageReference {
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
}

export type ReferenceErrorCode =
  | 'name_empty'
  | 'invalid_format'
  | 'name_contains_uppercase'
  | 'name_too_long'
  | 'name_not_canonical'
  | 'tag_invalid_format'
  | 'digest_invalid_format'
  | 'digest_invalid_length'
  | 'digest_unsupported';

export type ReferenceResult =
  | { ok: true; ref: ImageReference }
  | { ok: false; error: ReferenceErrorCode; message: string };

const messages: Record<ReferenceErrorCode, string> = {
  name_empty: 'repository name must have at least one component',
  invalid_format: 'invalid reference format',
  name_contains_uppercase: 'repository name must be lowercase',
  name_too_long: `repository path must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
  name_not_canonical: 'repository name must be canonical',
  tag_invalid_format: 'invalid tag format',
  digest_invalid_format: 'invalid checksum digest format',
  digest_invalid_length: 'invalid checksum digest length',
  digest_unsupported: 'unsupported digest algorithm',
};

export function fail(error: ReferenceErrorCode, detail?: string): ReferenceResult {
  return { ok: false, error, message: detail ? `${messages[error]}: ${detail}` : messages[error] };
}

const ok = (ref: ImageReference): ReferenceResult => ({ ok: true, ref });

function build(domain: string, path: string, tag?: string, digest?: string): ImageReference {
  const ref: ImageReference = { domain, path };
  if (tag) ref.tag = tag;
  if (digest) ref.digest = digest;
  return ref;
}

/** domain/path, or path alone when there is no domain; '' for a digest-only reference. */
export function referenceName(ref: ImageReference): string {
  return ref.domain ? `${ref.domain}/${ref.path}` : ref.path;
}

/** The canonical string: name[:tag][@digest] (a digest-only reference is just the digest). */
export function formatReference(ref: ImageReference): string {
  let s = referenceName(ref);
  if (ref.tag) s += `:${ref.tag}`;
  if (ref.digest) s += s ? `@${ref.digest}` : ref.digest;
  return s;
}

/** Parse a reference exactly as written: no default registry, no library/ prefix, no :latest. */
export function parseReference(s: string): ReferenceResult {
  if (typeof s !== 'string') return fail('invalid_format');
  const m = referenceRegexp.exec(s);
  if (!m) {
    if (s === '') return fail('name_empty');
    if (referenceRegexp.test(s.toLowerCase())) return fail('name_contains_uppercase', s);
    return fail('invalid_format', s);
  }
  const name = m[1] ?? '';
  const nm = nameRegexp.exec(name);
  const domain = nm?.[1] ?? '';
  const path = nm?.[2] ?? name;
  // the limit applies to the repository path; the registry host is not counted
  if (path.length > NAME_TOTAL_LENGTH_MAX) return fail('name_too_long', path);
  const digest = m[3];
  if (digest) {
    const bad = validateDigest(digest);
    if (bad) return fail(bad, digest);
  }
  return ok(build(domain, path, m[2], digest));
}

/** A bare repository name (no tag, no digest), as written. */
export function withName(name: string): ReferenceResult {
  const m = nameRegexp.exec(name);
  if (!m) return fail('invalid_format', name);
  const path = m[2] ?? '';
  if (path.length > NAME_TOTAL_LENGTH_MAX) return fail('name_too_long', path);
  return ok(build(m[1] ?? '', path));
}

/** The same reference with this tag (a digest it carries is kept). */
export function withTag(ref: ImageReference, tag: string): ReferenceResult {
  if (!tagRegexp.test(tag)) return fail('tag_invalid_format', tag);
  return ok(build(ref.domain, ref.path, tag, ref.digest));
}

/**
 * The same reference with this digest (a tag it carries is kept). Only the digest syntax is checked,
 * not the algorithm or length, as the reference library does.
 */
export function withDigest(ref: ImageReference, digest: string): ReferenceResult {
  if (!digestRegexp.test(digest)) return fail('digest_invalid_format', digest);
  return ok(build(ref.domain, ref.path, ref.tag, digest));
}

/** True when the reference names a repository and carries neither tag nor digest. */
export function isNameOnly(ref: ImageReference): boolean {
  return ref.path !== '' && !ref.tag && !ref.digest;
}
