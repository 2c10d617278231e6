/**
 * The image configuration blob (OCI image spec "config", Docker's container config) reduced to
 * what the desk needs: platform, created time, labels, and the OCI annotation keys that tell which
 * version, revision and base image a build is.
 */
import { z } from 'zod';

const labels = z.record(z.string(), z.string()).nullish();

export const imageConfigSchema = z.object({
  created: z.string().optional(),
  architecture: z.string().optional(),
  os: z.string().optional(),
  variant: z.string().optional(),
  config: z.object({ Labels: labels }).passthrough().nullish(),
});

export const OCI_KEYS = {
  baseName: 'org.opencontainers.image.base.name',
  baseDigest: 'org.opencontainers.image.base.digest',
  version: 'org.opencontainers.image.version',
  revision: 'org.opencontainers.image.revision',
  created: 'org.opencontainers.image.created',
} as const;

export interface ImageMetadata {
  /** The config blob's digest (verified). */
  digest: string;
  /** The config's `created` (when the image was built), as written; null when absent. */
  created: string | null;
  os: string | null;
  architecture: string | null;
  variant: string | null;
  labels: Record<string, string>;
  /** The manifest's annotations. */
  annotations: Record<string, string>;
  /** The OCI keys, from the manifest annotations first and the config labels second (null: neither has it). */
  oci: { baseName: string | null; baseDigest: string | null; version: string | null; revision: string | null; created: string | null };
}

export function imageMetadata(digest: string, config: z.infer<typeof imageConfigSchema>, annotations: Record<string, string>): ImageMetadata {
  const labelMap = config.config?.Labels ?? {};
  // annotations are written by the build tool for this very manifest; labels may be inherited
  // from the base image (a base's own version label), so an annotation wins
  const pick = (key: string) => annotations[key] ?? labelMap[key] ?? null;
  return {
    digest,
    created: config.created ?? null,
    os: config.os ?? null,
    architecture: config.architecture ?? null,
    variant: config.variant ?? null,
    labels: { ...labelMap },
    annotations: { ...annotations },
    oci: {
      baseName: pick(OCI_KEYS.baseName),
      baseDigest: pick(OCI_KEYS.baseDigest),
      version: pick(OCI_KEYS.version),
      revision: pick(OCI_KEYS.revision),
      created: pick(OCI_KEYS.created),
    },
  };
}
