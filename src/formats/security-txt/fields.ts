import type { ParsedSecurityTxt } from './parse.js';

/** The fields RFC 9116 defines (plus CSAF, registered by CSAF 2.0), as a typed object. */
export interface SecurityTxtFields {
  contact: string[];
  expires: Date;
  encryption?: string[];
  acknowledgments?: string[];
  preferredLanguages?: string[];
  canonical?: string[];
  policy?: string[];
  hiring?: string[];
  csaf?: string[];
}

type ListKey = Exclude<keyof SecurityTxtFields, 'expires'>;

/** Field names in the order of RFC 9116 section 2.5, CSAF (registered later) last. */
export const FIELD_ORDER = [
  { name: 'Acknowledgments', prop: 'acknowledgments' },
  { name: 'Canonical', prop: 'canonical' },
  { name: 'Contact', prop: 'contact' },
  { name: 'Encryption', prop: 'encryption' },
  { name: 'Expires', prop: 'expires' },
  { name: 'Hiring', prop: 'hiring' },
  { name: 'Policy', prop: 'policy' },
  { name: 'Preferred-Languages', prop: 'preferredLanguages' },
  { name: 'CSAF', prop: 'csaf' },
] as const satisfies readonly { name: string; prop: keyof SecurityTxtFields }[];

export const KNOWN_FIELDS: ReadonlySet<string> = new Set(FIELD_ORDER.map((f) => f.name.toLowerCase()));

/** Fields whose value must be a URI (RFC 9116 section 2.5). */
export const URI_FIELDS: ReadonlySet<string> = new Set(['acknowledgments', 'canonical', 'contact', 'encryption', 'hiring', 'policy', 'csaf']);

const STRICT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const LOOSE_ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*([Zz]|[+-]\d{2}:?\d{2}|UTC|GMT)?/;
const RFC2822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|GMT|UTC?|Z)?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export interface ParsedExpires {
  /** The instant, when the value could be understood at all (also for non-RFC 3339 forms). */
  date: Date | null;
  /** True when the value is an RFC 3339 date-time as RFC 9116 requires. */
  valid: boolean;
}

function offsetMinutes(tz: string | undefined): number | null {
  if (!tz || /^(z|utc?|gmt)$/i.test(tz)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (!m) return null;
  const h = Number(m[2]);
  const min = Number(m[3]);
  if (h > 23 || min > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + min);
}

function instant(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offset: number): Date | null {
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 60) return null;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > daysInMonth) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms) - offset * 60_000;
  return Number.isFinite(t) ? new Date(t) : null;
}

const frac = (f: string | undefined) => (f ? Math.floor(Number('0' + f) * 1000) : 0);

/** Reads an Expires value: strictly as RFC 3339, and leniently (ISO-like, RFC 2822) to still judge expiry. */
export function parseExpires(value: string): ParsedExpires {
  const v = value.trim();
  let m = STRICT.exec(v);
  if (m) {
    const off = offsetMinutes(m[8]);
    const date = off === null ? null : instant(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, frac(m[7]), off);
    if (date) return { date, valid: true };
  }
  m = LOOSE_ISO.exec(v);
  if (m) {
    const off = offsetMinutes(m[8]) ?? 0;
    return { date: instant(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), frac(m[7]), off), valid: false };
  }
  m = RFC2822.exec(v);
  if (m) {
    const mo = MONTHS.indexOf((m[2] ?? '').toLowerCase()) + 1;
    const off = offsetMinutes(m[7]) ?? 0;
    return { date: mo ? instant(+m[3]!, mo, +m[1]!, +m[4]!, +m[5]!, +(m[6] ?? 0), 0, off) : null, valid: false };
  }
  return { date: null, valid: false };
}

/** All fields by lower-case name, values in file order (unknown fields included). */
export function fieldValues(parsed: ParsedSecurityTxt): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of parsed.fields) (out[f.key] ??= []).push(f.value);
  return out;
}

/**
 * The typed fields of a parsed file, or null when it lacks what a valid file must have
 * (a Contact and one understandable Expires). Unknown fields are dropped.
 */
export function readFields(parsed: ParsedSecurityTxt): SecurityTxtFields | null {
  const values = fieldValues(parsed);
  const expires = values['expires']?.length === 1 ? parseExpires(values['expires'][0]!).date : null;
  const contact = values['contact'];
  if (!expires || !contact) return null;
  const out: SecurityTxtFields = { contact, expires };
  for (const { name, prop } of FIELD_ORDER) {
    if (prop === 'expires' || prop === 'contact') continue;
    const v = values[name.toLowerCase()];
    if (!v) continue;
    const key: ListKey = prop;
    out[key] = prop === 'preferredLanguages' ? (v[0] ?? '').split(',').map((s) => s.trim()) : v;
  }
  return out;
}

/** The e-mail addresses among Contact values (mailto: URIs with an @; query parts dropped, not decoded). */
export function contactEmails(contacts: readonly string[]): string[] {
  return contacts
    .filter((c) => /^mailto:/i.test(c))
    .map((c) => c.slice('mailto:'.length).split('?')[0] ?? '')
    .filter((a) => /^[^@\s]+@[^@\s]+$/.test(a));
}
