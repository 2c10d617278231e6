/**
 * OCI image manifests and indexes (and their Docker schema 2 twins), parsed strictly enough that
 * later code can trust digests, sizes and platforms, and loosely enough that unknown fields from
 * newer specs pass through.
 */
import { z } from 'zod';
import { validateDigest } from '../../domain/images/reference-grammar.js';
import { INDEX_TYPES, MANIFEST_TYPES, bareMediaType } from './media-types.js';

const digest = z.string().refine((s) => validateDigest(s) === null, { message: 'not a valid sha256/sha512 digest' });
const annotations = z.record(z.string(), z.string());

export const platformSchema = z.object({
  architecture: z.string().min(1),
  os: z.string().min(1),
  variant: z.string().optional(),
  'os.version': z.string().optional(),
  'os.features': z.array(z.string()).optional(),
});
export type Platform = z.infer<typeof platformSchema>;

export const descriptorSchema = z.object({
  mediaType: z.string().min(1),
  digest,
  size: z.number().int().nonnegative(),
  annotations: annotations.optional(),
  platform: platformSchema.optional(),
  artifactType: z.string().optional(),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

export const imageManifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: annotations.optional(),
});
export type ImageManifest = z.infer<typeof imageManifestSchema>;

export const imageIndexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  manifests: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: annotations.optional(),
});
export type ImageIndex = z.infer<typeof imageIndexSchema>;

export type ParsedManifest =
  | { kind: 'manifest'; mediaType: string; manifest: ImageManifest }
  | { kind: 'index'; mediaType: string; index: ImageIndex };

export type ParseResult = { ok: true; value: ParsedManifest } | { ok: false; reason: string };

/**
 * Decide what the bytes are from the body's own mediaType, else the Content-Type, else the shape
 * (`manifests` means an index). A body that contradicts its Content-Type is refused: a client that
 * trusted either one would be misled about the other.
 */
export function parseManifest(bytes: Uint8Array, contentType: string | null): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, reason: 'the body is not UTF-8 JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, reason: 'the body is not a JSON object' };
  const body = json as Record<string, unknown>;
  const header = bareMediaType(contentType);
  const declared = typeof body.mediaType === 'string' ? body.mediaType : undefined;
  if (body.schemaVersion === 1) return { ok: false, reason: 'Docker schema 1 manifests are not supported' };
  const known = (t: string) => MANIFEST_TYPES.includes(t) || INDEX_TYPES.includes(t);
  if (declared && known(header) && declared !== header) {
    return { ok: false, reason: `the body says ${declared} but the registry sent Content-Type ${header}` };
  }
  const mediaType = declared ?? (known(header) ? header : Array.isArray(body.manifests) ? INDEX_TYPES[0]! : MANIFEST_TYPES[0]!);
  if (INDEX_TYPES.includes(mediaType)) {
    const r = imageIndexSchema.safeParse(body);
    return r.success ? { ok: true, value: { kind: 'index', mediaType, index: r.data } } : { ok: false, reason: zodReason(r.error) };
  }
  if (MANIFEST_TYPES.includes(mediaType)) {
    const r = imageManifestSchema.safeParse(body);
    return r.success ? { ok: true, value: { kind: 'manifest', mediaType, manifest: r.data } } : { ok: false, reason: zodReason(r.error) };
  }
  return { ok: false, reason: `unsupported manifest media type ${mediaType.slice(0, 200)}` };
}

function zodReason(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the manifest does not match the schema';
  const at = issue.path.length ? issue.path.join('.') : 'the document';
  return `${at}: ${issue.message}`;
}

export interface PlatformWanted {
  os: string;
  architecture: string;
  variant?: string;
}

/** "linux/arm64/v8" → { os, architecture, variant }. */
export function parsePlatform(s: string): PlatformWanted | null {
  const [os, architecture, variant, extra] = s.split('/');
  if (!os || !architecture || extra !== undefined || variant === '') return null;
  return variant ? { os, architecture, variant } : { os, architecture };
}

export const formatPlatform = (p: PlatformWanted) => [p.os, p.architecture, p.variant].filter(Boolean).join('/');

/**
 * The index entry for a platform. Without a wanted variant the first entry of that os/arch wins
 * (as `docker pull` does); arm64 without a variant also matches arm64/v8, its only variant.
 * Attestation entries (unknown/unknown) never match.
 */
export function selectPlatform(index: ImageIndex, wanted: PlatformWanted): Descriptor | null {
  const candidates = index.manifests.filter((d) => d.platform && d.platform.os === wanted.os && d.platform.architecture === wanted.architecture);
  if (!wanted.variant) return candidates[0] ?? null;
  const normal = (v: string | undefined) => (wanted.architecture === 'arm64' && (v === undefined || v === '') ? 'v8' : v);
  return candidates.find((d) => normal(d.platform!.variant) === normal(wanted.variant)) ?? null;
}

/** The platforms an index offers (attestations and entries without a platform left out). */
export function platformsOf(index: ImageIndex): Platform[] {
  return index.manifests.flatMap((d) => (d.platform && d.platform.os !== 'unknown' ? [d.platform] : []));
}
