/**
 * Base-image drift against the registries: read the current digest of the base image's tag (one
 * HEAD; the index itself only when the recorded digest may be one of its platform images) and
 * decide. `imageDrift` first reads what an image records about its base.
 */
import type { Registries } from '../../adapters/registry/registries.js';
import { INDEX_TYPES } from '../../adapters/registry/media-types.js';
import { formatPlatform, parsePlatform, selectPlatform, type ImageIndex, type ImageManifest, type PlatformWanted } from '../../adapters/registry/manifest.js';
import { decideDrift, driftTarget, type DriftResult, type RecordedBase } from '../../domain/images/drift.js';
import { formatReference } from '../../domain/images/reference.js';
import { parseDockerRef } from '../../domain/images/reference-normalize.js';
import { AppError, isAppError } from '../errors.js';

export type { DriftResult, DriftStatus, RecordedBase } from '../../domain/images/drift.js';

const OCI = { baseName: 'org.opencontainers.image.base.name', baseDigest: 'org.opencontainers.image.base.digest' } as const;

/** Registry faults say which base image they were reading; the code (and so the exit code or status) is kept. */
function about<T>(what: string, work: () => Promise<T>): Promise<T> {
  return work().catch((e: unknown) => {
    if (isAppError(e)) throw new AppError(e.code, `cannot read ${what}: ${e.message}`);
    throw e;
  });
}

/**
 * Compare a recorded base (name and digest) with the current digest of the base's tag. Nothing
 * recorded (or nothing usable) is 'unknown' without a request; an unreachable registry or a base
 * tag that no longer exists is an AppError naming the base image.
 */
export async function checkDrift(registries: Registries, recorded: RecordedBase): Promise<DriftResult> {
  const t = driftTarget(recorded);
  if (!t.ok) return t.result;
  const { registry, repository, tag, recordedBaseDigest } = t.target;
  const client = registries.client(registry);
  const what = `the base image ${recorded.baseName}`;
  const head = await about(what, () => client.headManifest(repository, tag));
  if (head.digest.toLowerCase() === recordedBaseDigest.toLowerCase() || !INDEX_TYPES.includes(head.mediaType)) {
    return decideDrift(recorded, { digest: head.digest });
  }
  // a multi-arch base: the image may have recorded the digest of its own platform's image
  const index = await about(what, () => client.getManifest(repository, head.digest));
  const platformDigests = index.kind === 'index' ? index.index.manifests.map((m) => m.digest) : [];
  return decideDrift(recorded, { digest: head.digest, platformDigests });
}

export interface ImageDriftOptions {
  /** Which image of a multi-arch index to read the base from when the index itself records none (default linux/amd64, else the first). */
  platform?: string;
}

/** Key by key, the first source that has it: what the build tool wrote nearest the image reference wins. */
function baseOf(...sources: (Record<string, string | null> | undefined)[]): RecordedBase {
  const pick = (key: string) => sources.map((s) => s?.[key]).find((v): v is string => typeof v === 'string' && v !== '') ?? null;
  return { baseName: pick(OCI.baseName), recordedBaseDigest: pick(OCI.baseDigest) };
}

const complete = (r: RecordedBase) => r.baseName !== null && r.recordedBaseDigest !== null;

function pickEntry(index: ImageIndex, wanted: PlatformWanted | null, ref: string) {
  if (wanted) {
    const entry = selectPlatform(index, wanted);
    if (!entry) throw new AppError('not_found', `${ref} has no image for platform ${formatPlatform(wanted)}`);
    return entry;
  }
  const real = index.manifests.filter((m) => m.platform && m.platform.os !== 'unknown');
  const entry = selectPlatform(index, { os: 'linux', architecture: 'amd64' }) ?? real[0] ?? index.manifests[0];
  if (!entry) throw new AppError('invalid_input', `${ref} is an empty index: it holds no image`);
  return entry;
}

/**
 * The drift of an image reference (familiar names allowed; no tag means :latest): its base name and
 * digest come from the index's annotations, else from the chosen image's manifest annotations, else
 * from its config labels; then checkDrift.
 */
export async function imageDrift(registries: Registries, ref: string, options: ImageDriftOptions = {}): Promise<DriftResult> {
  const parsed = parseDockerRef(ref);
  if (!parsed.ok) throw new AppError('invalid_input', `"${ref.slice(0, 300)}" is not an image reference: ${parsed.message}`);
  const wanted = options.platform === undefined ? null : parsePlatform(options.platform);
  if (options.platform !== undefined && !wanted) throw new AppError('invalid_input', `the platform must be os/arch[/variant], e.g. linux/arm64/v8 (got "${options.platform.slice(0, 100)}")`);
  const image = parsed.ref;
  const repository = image.path;
  const reference = image.digest ?? image.tag ?? 'latest';
  const client = registries.client(image.domain);
  const shown = formatReference(image);
  const first = await client.getManifest(repository, reference);
  const indexAnnotations = first.kind === 'index' ? first.index.annotations : undefined;
  if (complete(baseOf(indexAnnotations))) return checkDrift(registries, baseOf(indexAnnotations));
  let manifest: ImageManifest;
  if (first.kind === 'index') {
    const entry = pickEntry(first.index, wanted, shown);
    const chosen = await client.getManifest(repository, entry.digest);
    if (chosen.kind !== 'manifest') throw new AppError('invalid_input', `the ${entry.digest} entry of ${shown} is an index, not an image`);
    manifest = chosen.manifest;
  } else {
    manifest = first.manifest;
  }
  const annotated = baseOf(indexAnnotations, manifest.annotations);
  if (complete(annotated)) return checkDrift(registries, annotated);
  // labels last: they may be inherited from the base image itself
  const config = await client.getConfig(repository, manifest);
  const labels = { [OCI.baseName]: config.oci.baseName, [OCI.baseDigest]: config.oci.baseDigest };
  return checkDrift(registries, baseOf(indexAnnotations, manifest.annotations, labels));
}
