import { simpleParser, type AddressObject, type Attachment, type HeaderValue } from 'mailparser';
import { parseContentType, type ContentType } from '../../domain/mail/mime-structure.js';

/**
 * One MIME message (or an entity that was encrypted inside one) read with mailparser: headers,
 * text in UTF-8 whatever the charset (ISO-8859-1, windows-1252, ISO-2022-JP, ...), and its parts.
 * OpenPGP parts (signatures, keys, the PGP/MIME control and ciphertext parts) are handed out
 * separately: they are not the reporter's attachments.
 */

export interface MailFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface MimeMessage {
  messageId: string | null;
  subject: string | null;
  from: { address: string; name: string } | null;
  /** To and Cc addresses, in header order. */
  recipients: string[];
  autoSubmitted: string | null;
  precedence: string | null;
  contentLanguage: string | null;
  contentType: ContentType;
  /** The text/plain body, or null when the message has none. */
  text: string | null;
  /** The text/html body (never rendered: reduced to text by the caller), or null. */
  html: string | null;
  attachments: MailFile[];
  /** application/pgp-keys parts. */
  keys: Buffer[];
  /** The ciphertext of a PGP/MIME encrypted message (its application/octet-stream part). */
  encrypted: Buffer | null;
  /** The detached signature of a PGP/MIME signed message. */
  signature: string | null;
}

const single = (v: HeaderValue | undefined): string | null => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null);

function addresses(v: AddressObject | AddressObject[] | undefined): string[] {
  const flat = (list: AddressObject['value']): string[] => list.flatMap((a) => [...(a.address ? [a.address] : []), ...(a.group ? flat(a.group) : [])]);
  return (Array.isArray(v) ? v : v ? [v] : []).flatMap((o) => flat(o.value));
}

/** mailparser gives Content-Type as {value, params}; back to one header value for the pure parser. */
function contentTypeValue(v: HeaderValue | undefined): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && 'value' in v && typeof v.value === 'string' && 'params' in v) {
    const params = Object.entries(v.params as Record<string, string>).map(([k, p]) => `; ${k}="${p.replace(/(["\\])/g, '\\$1')}"`);
    return `${v.value}${params.join('')}`;
  }
  return null;
}

/** Parses raw mail. mailparser copes with broken input rather than failing; limits bound hostile structure. */
export async function parseMime(raw: Buffer): Promise<MimeMessage> {
  const m = await simpleParser(raw, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    keepCidLinks: true,
    maxChildNodes: 200,
    checksumAlgo: false,
  });
  const contentType = parseContentType(contentTypeValue(m.headers.get('content-type')));
  const pgpMime = contentType.type === 'multipart/encrypted';
  const signed = contentType.type === 'multipart/signed';
  const attachments: MailFile[] = [];
  const keys: Buffer[] = [];
  let encrypted: Buffer | null = null;
  let signature: string | null = null;
  for (const a of m.attachments) {
    const type = a.contentType.toLowerCase();
    if (type === 'application/pgp-keys') keys.push(a.content);
    else if (signed && type === 'application/pgp-signature') signature ??= a.content.toString('latin1');
    else if (pgpMime && type === 'application/pgp-encrypted') continue;
    else if (pgpMime && encrypted === null) encrypted = a.content;
    else attachments.push(file(a));
  }
  const from = m.from?.value.find((a) => a.address);
  return {
    messageId: m.messageId?.trim() || null,
    subject: m.subject ?? null,
    from: from?.address ? { address: from.address, name: from.name ?? '' } : null,
    recipients: [...addresses(m.to), ...addresses(m.cc)],
    autoSubmitted: single(m.headers.get('auto-submitted')),
    precedence: single(m.headers.get('precedence')),
    contentLanguage: single(m.headers.get('content-language')),
    contentType,
    text: m.text ?? null,
    html: typeof m.html === 'string' ? m.html : null,
    attachments,
    keys,
    encrypted,
    signature,
  };
}

function file(a: Attachment): MailFile {
  const fallback = a.contentType === 'message/rfc822' ? 'attached-message.eml' : 'attachment';
  return { filename: a.filename ?? fallback, contentType: a.contentType, data: a.content };
}
