import { REPORT_LIMITS, textProblem } from './report-input.js';

/**
 * Which files a reporter may attach. An allow-list by declared type AND file extension, with a
 * look at the first bytes, so that a renamed executable or an HTML page cannot pass as a
 * screenshot. "application/octet-stream" (what browsers send when they do not know) is taken only
 * when the extension names an allowed type and the content fits it.
 */
export interface Upload {
  filename: string;
  contentType: string;
  data: Uint8Array;
}

export interface AcceptedUpload extends Upload {
  /** The allowed type the file was accepted as (parameters such as charset dropped). */
  contentType: AllowedType;
}

export type AttachmentProblem = { kind: 'too_large' | 'not_allowed' | 'invalid'; message: string };

type AllowedType = 'text/plain' | 'application/pdf' | 'image/png' | 'image/jpeg' | 'application/zip' | 'application/json';

const startsWith = (d: Uint8Array, bytes: number[]) => bytes.every((b, i) => d[i] === b);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const isUtf8 = (d: Uint8Array) => {
  try {
    utf8.decode(d);
    return true;
  } catch {
    return false;
  }
};

const RULES: Record<AllowedType, { extensions: readonly string[]; label: string; fits: (d: Uint8Array) => boolean }> = {
  'text/plain': { extensions: ['txt', 'log', 'md', 'patch', 'diff'], label: 'text', fits: (d) => !d.includes(0) },
  'application/json': { extensions: ['json'], label: 'JSON', fits: (d) => !d.includes(0) && isUtf8(d) },
  'application/pdf': { extensions: ['pdf'], label: 'PDF', fits: (d) => startsWith(d, [0x25, 0x50, 0x44, 0x46, 0x2d]) },
  'image/png': { extensions: ['png'], label: 'PNG', fits: (d) => startsWith(d, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  'image/jpeg': { extensions: ['jpg', 'jpeg'], label: 'JPEG', fits: (d) => startsWith(d, [0xff, 0xd8, 0xff]) },
  'application/zip': { extensions: ['zip'], label: 'ZIP', fits: (d) => startsWith(d, [0x50, 0x4b, 0x03, 0x04]) || startsWith(d, [0x50, 0x4b, 0x05, 0x06]) },
};

/** Names other clients use for an allowed type. */
const ALIASES: Record<string, AllowedType> = { 'application/x-zip-compressed': 'application/zip', 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg' };
const GENERIC = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

export const ALLOWED_ATTACHMENTS: ReadonlyArray<{ contentType: string; extensions: readonly string[] }> = Object.entries(RULES).map(([contentType, r]) => ({
  contentType,
  extensions: r.extensions,
}));

export const allowedAttachmentsText = () => Object.values(RULES).map((r) => `${r.label} (${r.extensions.map((e) => `.${e}`).join(', ')})`).join(', ');

/** The name a file is kept under: its last path segment, trimmed. */
export const cleanFilename = (name: string) => name.split(/[/\\]/).pop()!.trim();

export function checkUpload(u: Upload, maxBytes: number): { ok: true; upload: AcceptedUpload } | { ok: false; problem: AttachmentProblem } {
  const filename = cleanFilename(u.filename);
  const named = (m: string) => `${filename || 'an attachment'}: ${m}`;
  const nameProblem = filename === '' ? 'has no file name' : filename.length > REPORT_LIMITS.filename ? `the file name is longer than ${REPORT_LIMITS.filename} characters` : textProblem(filename, false);
  if (nameProblem) return { ok: false, problem: { kind: 'invalid', message: named(`the file name ${nameProblem.replace(/^has no file name$/, 'is missing')}`) } };
  if (u.data.byteLength > maxBytes) return { ok: false, problem: { kind: 'too_large', message: named(`larger than ${formatBytes(maxBytes)}, the most this desk accepts per file`) } };
  if (u.data.byteLength === 0) return { ok: false, problem: { kind: 'invalid', message: named('the file is empty') } };
  const declared = u.contentType.split(';')[0]!.trim().toLowerCase();
  const extension = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  const byExtension = (Object.keys(RULES) as AllowedType[]).find((t) => RULES[t].extensions.includes(extension));
  // Own properties only: a declared type "__proto__" or "constructor" found Object.prototype's and threw (a 500; found by test/fuzz/parsers.test.ts).
  const type: AllowedType | undefined = GENERIC.has(declared) ? byExtension : Object.hasOwn(RULES, declared) ? (declared as AllowedType) : Object.hasOwn(ALIASES, declared) ? ALIASES[declared] : undefined;
  const notAllowed = { ok: false as const, problem: { kind: 'not_allowed' as const, message: named(`this kind of file is not accepted; attach ${allowedAttachmentsText()}`) } };
  if (!type) return notAllowed;
  if (!RULES[type].extensions.includes(extension)) {
    return { ok: false, problem: { kind: 'not_allowed', message: named(`a ${RULES[type].label} file must be named ${RULES[type].extensions.map((e) => `.${e}`).join(' or ')}`) } };
  }
  if (!RULES[type].fits(u.data)) return { ok: false, problem: { kind: 'invalid', message: named(`the content is not ${RULES[type].label}`) } };
  return { ok: true, upload: { filename, contentType: type, data: u.data } };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
