import type { FastifyRequest } from 'fastify';
import { AppError } from '../app/errors.js';
import type { Upload } from '../domain/reports/attachment-rules.js';

/**
 * Reading a multipart form without losing bytes. Busboy decodes UTF-8 leniently (a broken byte
 * becomes U+FFFD and would be stored as if the reporter had typed it), so routes using these
 * helpers ask it for latin1 (`STRICT_MULTIPART`): each field arrives byte for byte and is decoded
 * here with a fatal UTF-8 decoder. Broken UTF-8 is a 400, never a silently changed text.
 */
export const STRICT_MULTIPART = { multipartOptions: { defCharset: 'latin1' } } as const;

interface FieldPart {
  type: 'field';
  value: unknown;
  valueTruncated?: boolean;
}
interface FilePart {
  type: 'file';
  filename: string;
  mimetype: string;
  toBuffer: () => Promise<Buffer>;
}
type Part = FieldPart | FilePart;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const partsOf = (body: unknown, name: string): Part[] => {
  const v = (body as Record<string, unknown> | null | undefined)?.[name];
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).filter((p): p is Part => typeof p === 'object' && p !== null && 'type' in p);
};

/** Decodes a field that busboy read as latin1; a value with characters above U+00FF was decoded under a charset its part declared. */
export function decodeField(value: string, field: string): string {
  // eslint-disable-next-line no-control-regex -- below U+0100 means "read as latin1, one char per byte"
  if (/^[\u0000-\u00ff]*$/.test(value)) {
    try {
      return utf8.decode(Buffer.from(value, 'latin1'));
    } catch {
      throw new AppError('invalid_input', `The field ${field} is not valid UTF-8 text.`, [{ field, message: 'is not valid UTF-8 text' }]);
    }
  }
  if (value.includes('\uFFFD')) throw new AppError('invalid_input', `The field ${field} is not valid UTF-8 text.`, [{ field, message: 'is not valid UTF-8 text' }]);
  return value;
}

/** A text field of the form, or undefined when it was not sent. */
export function formText(body: unknown, name: string): string | undefined {
  const part = partsOf(body, name).find((p): p is FieldPart => p.type === 'field');
  if (!part || typeof part.value !== 'string') return undefined;
  if (part.valueTruncated) throw new AppError('too_large', `The field ${name} is longer than this desk accepts.`, [{ field: name, message: 'is too long' }]);
  return decodeField(part.value, name);
}

/** Every text field of the form except the CSRF token, decoded strictly (for the "unknown field" rule). */
export function formTextFields(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys((body as Record<string, unknown> | null) ?? {})) {
    if (name === '_csrf') continue;
    const v = formText(body, name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** The files sent under one field name; a file input left empty (no name, no bytes) is not a file. */
export async function formFiles(body: unknown, name: string): Promise<Upload[]> {
  const out: Upload[] = [];
  for (const p of partsOf(body, name)) {
    if (p.type !== 'file') continue;
    const data = await p.toBuffer();
    if (p.filename === '' && data.length === 0) continue;
    out.push({ filename: p.filename, contentType: p.mimetype, data });
  }
  return out;
}

/** The names of file fields in the body, to refuse files sent where none are expected. */
export const fileFieldNames = (body: unknown): string[] =>
  Object.keys((body as Record<string, unknown> | null) ?? {}).filter((n) => partsOf(body, n).some((p) => p.type === 'file'));

export const isMultipart = (req: FastifyRequest) => (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
