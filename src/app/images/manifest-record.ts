/**
 * What the inventory keeps of one manifest digest: media type, platforms, and the build facts
 * (created, revision, version, base image) from the OCI annotations and config labels. For an index
 * the facts come from one of its images (linux/amd64 when offered, else the first), with the
 * index's own annotations taking precedence: they describe the whole multi-platform build.
 */
import { AppError } from '../errors.js';
import { formatPlatform, platformsOf, selectPlatform, type ImageIndex, type ManifestResult, type RegistryClient } from '../../adapters/registry/index.js';
import { OCI_KEYS, type ImageMetadata } from '../../adapters/registry/index.js';

export interface ManifestRecord {
  digest: string;
  mediaType: string;
  platforms: string[];
  created: Date | null;
  revision: string | null;
  version: string | null;
  baseName: string | null;
  baseDigest: string | null;
}

const PREFERRED = { os: 'linux', architecture: 'amd64' };

/** The image of an index whose metadata stands for the whole index. */
export function representativeEntry(index: ImageIndex) {
  return selectPlatform(index, PREFERRED) ?? index.manifests.find((d) => d.platform && d.platform.os !== 'unknown') ?? index.manifests[0] ?? null;
}

/** An instant as written in a label or config ("2025-03-03T00:00:00Z"); anything unparsable is no instant. */
export function parseCreated(value: string | null): Date | null {
  if (!value) return null;
  const d = new Date(value.trim());
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * The record for a manifest already fetched (`first`): for an image one more request (its config
 * blob), for an index two (the representative image's manifest and its config).
 */
export async function manifestRecord(client: RegistryClient, repo: string, first: ManifestResult): Promise<ManifestRecord> {
  if (first.kind === 'manifest') {
    const meta = await client.getConfig(repo, first.manifest);
    const platform = meta.os && meta.architecture ? [formatPlatform({ os: meta.os, architecture: meta.architecture, ...(meta.variant ? { variant: meta.variant } : {}) })] : [];
    return record(first.digest, first.mediaType, platform, meta, {});
  }
  const entry = representativeEntry(first.index);
  const platforms = [...new Set(platformsOf(first.index).map((p) => formatPlatform(p)))];
  const indexAnnotations = first.index.annotations ?? {};
  if (!entry) return record(first.digest, first.mediaType, platforms, null, indexAnnotations);
  const inner = await client.getManifest(repo, entry.digest);
  const where = `registry ${client.registry}: repository ${repo}, index ${first.digest}`;
  if (inner.kind !== 'manifest') throw new AppError('invalid_input', `${where}: its entry ${entry.digest} is another index, not an image`);
  if (inner.size !== entry.size) throw new AppError('unreadable', `${where}: the entry ${entry.digest} is ${inner.size} bytes, the index says ${entry.size}`);
  const meta = await client.getConfig(repo, inner.manifest);
  return record(first.digest, first.mediaType, platforms, meta, indexAnnotations);
}

function record(digest: string, mediaType: string, platforms: string[], meta: ImageMetadata | null, indexAnnotations: Record<string, string>): ManifestRecord {
  const pick = (key: keyof typeof OCI_KEYS): string | null => indexAnnotations[OCI_KEYS[key]] ?? meta?.oci[key] ?? null;
  return {
    digest,
    mediaType,
    platforms,
    created: parseCreated(pick('created')) ?? parseCreated(meta?.created ?? null),
    revision: pick('revision'),
    version: pick('version'),
    baseName: pick('baseName'),
    baseDigest: pick('baseDigest'),
  };
}
