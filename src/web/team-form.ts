import type { FastifyReply } from 'fastify';

/**
 * A posted form as plain strings: urlencoded fields are strings (or arrays when repeated: the first
 * counts), multipart fields are `{ value }`. Anything else (files, nested objects) is dropped.
 */
export function formFields(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    const v = Array.isArray(raw) ? raw[0] : raw;
    if (typeof v === 'string') out[key] = v;
    else if (v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'string') out[key] = (v as { value: string }).value;
  }
  return out;
}

/** Pages with secrets or personal data (sign-in, links, accounts) are never cached. */
export const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');
