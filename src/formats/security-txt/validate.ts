import { finding, groupFindings, type Finding, type GroupedFindings } from './findings.js';
import { KNOWN_FIELDS, URI_FIELDS, fieldValues, parseExpires } from './fields.js';
import { parseSecurityTxt, type ParsedField, type ParsedSecurityTxt } from './parse.js';

export interface ValidateOptions {
  /** The instant expiry is judged against (pure code takes "now" as an argument). */
  now: Date;
  /** The URLs the file was read from (first and last of a redirect chain); enables no_canonical_match. */
  canonicalUrls?: readonly string[];
}

export interface Validation {
  /** All findings (syntax and content), ungrouped, in the order they were made. */
  findings: Finding[];
  /** Field values by lower-case field name, in file order. */
  fields: Record<string, string[]>;
  signed: boolean;
  /** The Expires instant when there is exactly one understandable Expires. */
  expires: Date | null;
}

export interface CheckedText extends GroupedFindings {
  fields: Record<string, string[]>;
  signed: boolean;
}

/** RFC 5646 language tag with a 2-3 letter primary subtag (what real files mean), or private use. */
const LANG_TAG =
  /^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z0-9]{5,8}|\d[a-z0-9]{3}))*(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*(?:-x(?:-[a-z0-9]{1,8})+)?|x(?:-[a-z0-9]{1,8})+)$/i;
/** Country codes often written where a language is meant; none of them is an ISO 639-1 code. */
const COUNTRY_NOT_LANGUAGE: Readonly<Record<string, string>> = { cz: 'cs', jp: 'ja', dk: 'da', gr: 'el', cn: 'zh', ua: 'uk', vn: 'vi' };
const TYPOS: Readonly<Record<string, string>> = { acknowledgements: 'Acknowledgments', 'preferred-language': 'Preferred-Languages', contacts: 'Contact', expiry: 'Expires', expire: 'Expires' };
const KNOWN_NAMES = ['Acknowledgments', 'Canonical', 'Contact', 'Encryption', 'Expires', 'Hiring', 'Policy', 'Preferred-Languages', 'CSAF'];

export function validateSecurityTxt(parsed: ParsedSecurityTxt, options: ValidateOptions): Validation {
  const { now } = options;
  const out: Finding[] = [...parsed.findings];
  const byKey = (k: string): ParsedField[] => parsed.fields.filter((f) => f.key === k);
  let langSeen = false;
  let expiresSeen = 0;
  let csafSeen = 0;

  for (const f of parsed.fields) {
    if (URI_FIELDS.has(f.key)) checkUri(f, out);
    if (f.key === 'expires') {
      expiresSeen++;
      checkExpires(f, now, out);
      if (expiresSeen === 2) out.push(finding('multi_expire', f.line));
    } else if (f.key === 'preferred-languages') {
      if (langSeen) {
        out.push(finding('multi_lang', f.line));
        langSeen = true;
      } else {
        langSeen = true;
        checkLanguages(f, out);
      }
    } else if (f.key === 'csaf') {
      if (++csafSeen === 2) out.push(finding('multiple_csaf_fields', f.line));
    } else if (!KNOWN_FIELDS.has(f.key)) {
      out.push(finding('unknown_field', f.line, { field: f.name, hint: typoHint(f.key) ?? '' }));
    }
  }

  const expiresFields = byKey('expires');
  if (expiresFields.length === 0) out.push(finding('no_expire', null));
  const canonical = byKey('canonical').map((f) => f.value);
  const urls = options.canonicalUrls ?? [];
  if (urls.length > 0 && canonical.length > 0) {
    const wanted = new Set(canonical.map(normalUrl));
    if (!urls.some((u) => wanted.has(normalUrl(u)))) out.push(finding('no_canonical_match', null, { urls: urls.join(', ') }));
  }
  const contacts = byKey('contact');
  if (contacts.length === 0) out.push(finding('no_contact', null));
  else if (contacts.some((c) => /^mailto:/i.test(c.value)) && byKey('encryption').length === 0) {
    out.push(finding('no_encryption', null));
  }
  if (parsed.missingEolLine !== null) out.push(finding('no_line_separators', parsed.missingEolLine));
  if (!parsed.signed) out.push(finding('not_signed', null));
  else if (canonical.length === 0) out.push(finding('no_canonical', null));

  const single = expiresFields.length === 1 ? parseExpires(expiresFields[0]!.value).date : null;
  return { findings: out, fields: fieldValues(parsed), signed: parsed.signed, expires: single };
}

/** Parse and validate in one step, findings grouped (what a caller without transport or keys needs). */
export function checkSecurityTxtText(input: string | Uint8Array, options: ValidateOptions): CheckedText {
  const v = validateSecurityTxt(parseSecurityTxt(input), options);
  return { ...groupFindings(v.findings), fields: v.fields, signed: v.signed };
}

function checkUri(f: ParsedField, out: Finding[]): void {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(f.value);
  if (!m) {
    out.push(finding('no_uri', f.line, { field: f.name, value: f.value }));
    return;
  }
  const scheme = (m[1] ?? '').toLowerCase();
  if (scheme === 'http') out.push(finding('no_https', f.line, { field: f.name, value: f.value }));
  else if (f.key === 'csaf' && !/\/provider-metadata\.json$/i.test(f.value.replace(/[?#].*$/, ''))) {
    out.push(finding('no_csaf_file', f.line));
  }
}

function checkExpires(f: ParsedField, now: Date, out: Finding[]): void {
  const { date, valid } = parseExpires(f.value);
  if (!valid) out.push(finding('invalid_expiry', f.line, { value: f.value }));
  if (!date) return;
  const max = new Date(
    Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()),
  );
  if (date.getTime() > max.getTime()) out.push(finding('long_expiry', f.line));
  else if (date.getTime() < now.getTime()) out.push(finding('expired', f.line, { date: date.toISOString() }));
}

function checkLanguages(f: ParsedField, out: Finding[]): void {
  for (const tag of f.value.split(',').map((s) => s.trim())) {
    const primary = (tag.split('-')[0] ?? '').toLowerCase();
    const better = COUNTRY_NOT_LANGUAGE[primary];
    if (better) out.push(finding('invalid_lang', f.line, { value: tag, hint: `"${primary}" is a country code; the language is "${better}"` }));
    else if (!LANG_TAG.test(tag)) out.push(finding('invalid_lang', f.line, { value: tag }));
  }
}

function normalUrl(u: string): string {
  try {
    return new URL(u).href;
  } catch {
    return u;
  }
}

function typoHint(key: string): string | undefined {
  const known = TYPOS[key];
  if (known) return known;
  return KNOWN_NAMES.find((n) => n.length >= 5 && distance(n.toLowerCase(), key) <= 2);
}

/** Levenshtein distance, for "did you mean" hints on field names. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
