/**
 * Base-image drift: an image records the base it was built on (org.opencontainers.image.base.name
 * and .base.digest); when the base's tag now points to another digest, the image needs a rebuild.
 * The registry is read elsewhere; this decides from what was recorded and what was found.
 */
import { validateDigest } from './reference-grammar.js';
import { parseNormalizedNamed } from './reference-normalize.js';

export type DriftStatus = 'up-to-date' | 'rebuild-needed' | 'unknown';

/** What an image says about its base, as recorded (either may be missing). */
export interface RecordedBase {
  /** org.opencontainers.image.base.name as written: "php:8.3-apache", "docker.io/library/debian:bookworm-slim". */
  baseName: string | null;
  /** org.opencontainers.image.base.digest: the base's index digest or one of its platform images' digests. */
  recordedBaseDigest: string | null;
}

/** What the base's tag points to now: its digest and, for an index, the digests of its images. */
export interface CurrentBase {
  digest: string;
  platformDigests?: readonly string[];
}

export interface DriftResult {
  status: DriftStatus;
  baseName: string | null;
  recordedBaseDigest: string | null;
  currentBaseDigest: string | null;
  /** One plain English sentence saying why. */
  reason: string;
}

/** Where the current digest of a recorded base is read: registry host, repository and tag. */
export interface BaseTarget {
  registry: string;
  repository: string;
  tag: string;
  /** The recorded digest, or the digest pinned in the base name when no digest was recorded apart. */
  recordedBaseDigest: string;
}

export type DriftTarget = { ok: true; target: BaseTarget } | { ok: false; result: DriftResult };

const unknown = (r: RecordedBase, reason: string, recordedBaseDigest = r.recordedBaseDigest): DriftResult => ({
  status: 'unknown',
  baseName: r.baseName,
  recordedBaseDigest,
  currentBaseDigest: null,
  reason,
});

const blank = (s: string | null | undefined): s is null | undefined => s === null || s === undefined || s.trim() === '';

/**
 * The tag whose current digest decides, or the 'unknown' answer when there is none: no base name,
 * no digest, a name that is no image reference, or a base pinned by digest alone (no tag can move).
 * A familiar name means Docker Hub: "php:8.3-apache" is docker.io/library/php:8.3-apache; a name
 * without tag or digest means :latest, as `FROM php` does.
 */
export function driftTarget(recorded: RecordedBase): DriftTarget {
  const { baseName } = recorded;
  if (blank(baseName)) {
    return {
      ok: false,
      result: blank(recorded.recordedBaseDigest)
        ? unknown(recorded, 'The image records no base image (no org.opencontainers.image.base.name or .base.digest).')
        : unknown(recorded, 'The image records a base digest but not the base image, so there is no tag to compare it with.'),
    };
  }
  const parsed = parseNormalizedNamed(baseName.trim());
  if (!parsed.ok || parsed.ref.path === '') {
    return { ok: false, result: unknown(recorded, `The recorded base image "${baseName.slice(0, 300)}" is not an image reference (${parsed.ok ? 'no repository' : parsed.message}).`) };
  }
  const ref = parsed.ref;
  const digest = blank(recorded.recordedBaseDigest) ? (ref.digest ?? null) : recorded.recordedBaseDigest.trim();
  if (digest === null) {
    return { ok: false, result: unknown(recorded, `The image names its base image ${baseName} but not the digest it was built on.`) };
  }
  if (validateDigest(digest) !== null) {
    return { ok: false, result: unknown(recorded, `The recorded base digest "${digest.slice(0, 200)}" is not a sha256 or sha512 digest.`, digest) };
  }
  if (!ref.tag && ref.digest) {
    return { ok: false, result: unknown(recorded, `The base image ${baseName} is pinned by digest, not a tag, so there is no newer base to follow.`, digest) };
  }
  return { ok: true, target: { registry: ref.domain, repository: ref.path, tag: ref.tag ?? 'latest', recordedBaseDigest: digest } };
}

const sameDigest = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Up to date when the recorded digest is the current digest of the base's tag, or the digest of
 * one of the images of the index the tag points to (build tools record either); a rebuild is
 * needed otherwise. Unknown when nothing usable was recorded or the current digest is not known.
 */
export function decideDrift(recorded: RecordedBase, current: CurrentBase | null): DriftResult {
  const t = driftTarget(recorded);
  if (!t.ok) return t.result;
  const { recordedBaseDigest } = t.target;
  const name = recorded.baseName ?? '';
  if (current === null) return unknown(recorded, `The current digest of the base image ${name} is not known.`, recordedBaseDigest);
  const base = { baseName: recorded.baseName, recordedBaseDigest, currentBaseDigest: current.digest };
  if (sameDigest(recordedBaseDigest, current.digest)) {
    return { status: 'up-to-date', ...base, reason: `The image was built on ${current.digest}, the current digest of ${name}.` };
  }
  if ((current.platformDigests ?? []).some((d) => sameDigest(d, recordedBaseDigest))) {
    return { status: 'up-to-date', ...base, reason: `The image was built on ${recordedBaseDigest}, one of the platform images of ${name} (${current.digest}).` };
  }
  return { status: 'rebuild-needed', ...base, reason: `The image was built on ${recordedBaseDigest}, but ${name} now points to ${current.digest}.` };
}
