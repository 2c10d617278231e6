import { z } from 'zod';

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https:// URL' });
const email = z.email({ error: 'must be an e-mail address' });
/** OpenPGP v4 fingerprint: 40 hex digits, spaces allowed for readability. */
const fingerprint = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().regex(/^([0-9A-F]{40}|[0-9A-F]{64})$/, 'must be a 40 (v4) or 64 (v6) hex digit OpenPGP fingerprint'));

/** Where reports may come in. Each kind is a channel the desk runs or points to. */
export const contactSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('email'),
    address: email,
    /** Encrypted mail: the desk's key decrypts it. */
    encryption: z.strictObject({ keyUrl: httpsUrl, fingerprint }).optional(),
    label: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('web-form'),
    /** Left out: the desk's own form at <base URL>/report. */
    url: httpsUrl.optional(),
    label: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('github-advisory'),
    /** The repository's "report a vulnerability" page, e.g. https://github.com/mautic/docker/security */
    url: httpsUrl,
    label: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('gitlab-confidential-issue'),
    /** The project's new-issue URL; the desk adds confidential=on and the template. */
    url: httpsUrl,
    template: z.string().min(1).optional(),
    label: z.string().optional(),
  }),
]);
export type Contact = z.output<typeof contactSchema>;

export const openpgpSchema = z.strictObject({
  keyUrl: httpsUrl,
  fingerprint,
});

export const upstreamSchema = z.strictObject({
  name: z.string().min(1),
  /** Where the reporter should go instead: an https URL or mailto: address. */
  contact: z.union([httpsUrl, z.string().regex(/^mailto:[^@\s]+@[^@\s]+$/, 'must be an https URL or mailto: address')]),
});

export const scopeSchema = z.strictObject({
  inScope: z.array(z.string().min(1)).min(1, 'name at least one area that is in scope'),
  outOfScope: z
    .array(
      z.strictObject({
        area: z.string().min(1),
        /** Who handles it instead; reports in this area are redirected there. */
        upstream: upstreamSchema.optional(),
      }),
    )
    .default([]),
});

export { httpsUrl, email, fingerprint };
