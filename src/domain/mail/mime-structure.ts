/**
 * Just enough raw MIME (RFC 2045/2046) to do what a parser that decodes cannot: find the exact
 * bytes a PGP/MIME signature covers (RFC 3156 section 5), and tell PGP/MIME messages from others.
 * Works on "binary strings" (one character per byte, latin1) so offsets are byte offsets.
 */

export interface RawEntity {
  /** The header block, without the blank line that ends it. */
  header: string;
  body: string;
}

export interface ContentType {
  /** Lower case, e.g. "multipart/signed"; "text/plain" when absent (RFC 2045 default). */
  type: string;
  /** Parameter names in lower case, values unquoted. */
  params: Record<string, string>;
}

/** Splits an entity at the first blank line; an entity with no blank line is all header. */
export function splitEntity(raw: string): RawEntity {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { header: raw, body: '' };
  return { header: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) };
}

/** The first header field of this name, unfolded, or null. */
export function headerField(header: string, name: string): string | null {
  const unfolded = header.replace(/\r?\n(?=[ \t])/g, '');
  const wanted = name.toLowerCase();
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) return line.slice(colon + 1).trim();
  }
  return null;
}

export function parseContentType(value: string | null): ContentType {
  if (!value) return { type: 'text/plain', params: {} };
  const semi = value.indexOf(';');
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  const params: Record<string, string> = {};
  const re = /;\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;\s]*)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const name = m[1]!.toLowerCase();
    if (!(name in params)) params[name] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2]!;
  }
  return { type: /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : 'text/plain', params };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The raw body parts of a multipart body: each part's bytes between its delimiter line and the line
 * break before the next delimiter (that line break belongs to the delimiter, RFC 2046 5.1.1).
 * Null when the boundary never occurs or the parts are not closed.
 */
export function multipartBodies(body: string, boundary: string): string[] | null {
  if (!boundary || boundary.length > 200) return null;
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?:\\r?\\n|$)`, 'g');
  const marks: { start: number; end: number; close: boolean }[] = [];
  for (let m = delimiter.exec(body); m; m = delimiter.exec(body)) {
    marks.push({ start: m.index, end: m.index + m[0].length, close: m[1] === '--' });
    if (m[1] === '--') break;
  }
  if (marks.length < 2 || !marks.at(-1)!.close) return null;
  const parts: string[] = [];
  for (let i = 0; i + 1 < marks.length; i++) parts.push(body.slice(marks[i]!.end, marks[i + 1]!.start));
  return parts;
}

export type PgpMimeKind = 'encrypted' | 'signed' | null;

/** RFC 3156: multipart/encrypted with protocol application/pgp-encrypted, multipart/signed with application/pgp-signature. */
export function pgpMimeKind(ct: ContentType): PgpMimeKind {
  const protocol = (ct.params.protocol ?? '').toLowerCase();
  if (ct.type === 'multipart/encrypted' && protocol === 'application/pgp-encrypted') return 'encrypted';
  if (ct.type === 'multipart/signed' && protocol === 'application/pgp-signature') return 'signed';
  return null;
}

/** Line endings as OpenPGP signs MIME entities: CRLF (RFC 3156 section 5). */
export const canonicalLineEndings = (s: string) => s.replace(/\r?\n/g, '\r\n');

export interface SignedParts {
  /** The signed entity exactly as sent, with CRLF line endings: what the signature covers. */
  signedContent: string;
  /** The second part's body: the armored detached signature. */
  signature: string;
}

/** The two parts of a PGP/MIME signed entity (raw headers and body), or null when it is not one. */
export function signedParts(raw: string): SignedParts | null {
  const { header, body } = splitEntity(raw);
  const ct = parseContentType(headerField(header, 'content-type'));
  if (pgpMimeKind(ct) !== 'signed') return null;
  const parts = multipartBodies(body, ct.params.boundary ?? '');
  if (!parts || parts.length !== 2) return null;
  const sig = splitEntity(parts[1]!);
  if (parseContentType(headerField(sig.header, 'content-type')).type !== 'application/pgp-signature') return null;
  return { signedContent: canonicalLineEndings(parts[0]!), signature: sig.body };
}
