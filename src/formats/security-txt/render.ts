import { FIELD_ORDER, type SecurityTxtFields } from './fields.js';

export interface RenderOptions {
  /** Comment lines written at the top, each prefixed with "# " (embedded newlines start new comment lines). */
  comments?: readonly string[];
}

/**
 * Serialises fields to an RFC 9116 file: fields in the order of RFC 9116 section 2.5, LF line
 * endings, a final newline. Throws a RangeError for input that cannot make a valid file
 * (no Contact, an invalid date, a value with a line break or surrounding whitespace) rather than
 * writing a file that says something else than asked.
 */
export function renderSecurityTxt(fields: SecurityTxtFields, options: RenderOptions = {}): string {
  if (fields.contact.length === 0) throw new RangeError('security.txt needs at least one Contact');
  if (!(fields.expires instanceof Date) || Number.isNaN(fields.expires.getTime())) throw new RangeError('Expires must be a valid date');
  const out: string[] = [];
  for (const c of options.comments ?? []) for (const l of c.split(/\r?\n|\r/)) out.push(l === '' ? '#' : `# ${l}`);
  for (const { name, prop } of FIELD_ORDER) {
    if (prop === 'expires') {
      out.push(`${name}: ${formatExpires(fields.expires)}`);
      continue;
    }
    const values = fields[prop];
    if (!values || values.length === 0) continue;
    if (prop === 'preferredLanguages') {
      values.forEach((v) => checkValue(name, v, /[,]/));
      out.push(`${name}: ${values.join(', ')}`);
      continue;
    }
    for (const v of values) {
      checkValue(name, v);
      out.push(`${name}: ${v}`);
    }
  }
  return out.join('\n') + '\n';
}

/** RFC 3339 in UTC with "Z"; milliseconds only when there are any. */
export function formatExpires(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

function checkValue(name: string, v: string, extra?: RegExp): void {
  if (v === '' || v.trim() !== v || /[\r\n\u2028\u2029]/.test(v) || extra?.test(v)) {
    throw new RangeError(`${name} value ${JSON.stringify(v)} cannot be written as one field line`);
  }
}
