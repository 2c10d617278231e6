/**
 * The finding catalogue of the security.txt checker. Codes follow the DigitalTrustCenter `sectxt`
 * validator so that results can be compared with internet.nl; a few codes are cvdesk's own
 * (pgp_signature_error, data_after_sig) where DTC has no name for what we check.
 */
export type FindingKind = 'error' | 'recommendation' | 'notification';

export interface Finding {
  code: FindingCode;
  /** 1-based line in the file; null for findings about the file or the transport as a whole. */
  line: number | null;
  message: string;
}

export interface GroupedFindings {
  errors: Finding[];
  recommendations: Finding[];
  notifications: Finding[];
}

type Params = Record<string, string | number>;
type Template = (p: Params) => string;

const s = (text: string): Template => () => text;

const catalogue = {
  // transport (set by the fetcher)
  no_security_txt: ['error', s('No security.txt was found at /.well-known/security.txt or /security.txt.')],
  location: ['error', s('security.txt was found only at /security.txt; it must be served at /.well-known/security.txt.')],
  invalid_uri_scheme: ['error', s('security.txt must be fetched over https, not http.')],
  invalid_cert: ['error', s('The TLS certificate of the server is not valid.')],
  no_content_type: ['error', s('The HTTP response has no Content-Type header; it must be text/plain.')],
  invalid_media: ['error', (p) => `The media type is "${p.value}"; it must be text/plain.`],
  invalid_charset: ['error', (p) => `The charset parameter is "${p.value}"; when present it must be utf-8.`],
  // encoding and line structure
  utf8: ['error', s('The content is not valid UTF-8.')],
  bom_in_file: ['error', s('The file starts with a byte order mark (U+FEFF); security.txt must be plain UTF-8 without one.')],
  no_line_separators: ['error', s('This line does not end with a line separator (LF or CRLF); every line must.')],
  too_many_line_separators: ['error', s('There are empty lines after the end of the signature; nothing may follow the signature block.')],
  data_after_sig: ['error', s('There is content after the end of the signature block; it is not covered by the signature.')],
  invalid_line: ['error', (p) => `This line is neither a field, a comment nor an empty line${p.detail ? `: ${p.detail}` : ''}.`],
  prec_ws: ['error', s('There must be no whitespace before the colon that ends the field name.')],
  no_space: ['error', s('The colon after the field name must be followed by a space.')],
  empty_key: ['error', s('The field name is empty.')],
  empty_value: ['error', (p) => `The ${p.field} field has an empty value.`],
  // field values
  no_uri: ['error', (p) => `The ${p.field} field must hold a URI (such as mailto:, tel: or https:), not "${p.value}".`],
  no_https: ['error', (p) => `The ${p.field} field holds a web URI that is not https: "${p.value}".`],
  no_csaf_file: ['error', s('The CSAF field must point to a provider-metadata.json file.')],
  no_expire: ['error', s('The Expires field is missing; it is required.')],
  multi_expire: ['error', s('The Expires field appears more than once; it must appear exactly once.')],
  invalid_expiry: ['error', (p) => `The Expires value "${p.value}" is not an RFC 3339 date-time (such as 2027-01-31T23:59:59Z).`],
  expired: ['error', (p) => `The file expired on ${p.date}.`],
  no_contact: ['error', s('The Contact field is missing; at least one is required.')],
  no_canonical_match: ['error', (p) => `None of the Canonical URIs matches the URL the file was read from (${p.urls}).`],
  multi_lang: ['error', s('The Preferred-Languages field appears more than once; it may appear only once.')],
  invalid_lang: ['error', (p) => `"${p.value}" in Preferred-Languages is not an RFC 5646 language tag${p.hint ? ` (${p.hint})` : ''}; use a comma-separated list such as "en, nl".`],
  // OpenPGP
  signed_format_issue: ['error', s('The file is signed but does not start with "-----BEGIN PGP SIGNED MESSAGE-----".')],
  pgp_data_error: ['error', (p) => `The OpenPGP cleartext signature framework is malformed: ${p.detail}.`],
  pgp_error: ['error', (p) => `The OpenPGP signature cannot be decoded: ${p.detail}.`],
  pgp_signature_error: ['error', (p) => `The OpenPGP signature does not verify: ${p.detail}.`],
  // recommendations
  long_expiry: ['recommendation', s('Expires is more than a year in the future; a date less than a year ahead is recommended.')],
  no_encryption: ['recommendation', s('A Contact is an e-mail address but there is no Encryption field for an encryption key.')],
  not_signed: ['recommendation', s('The file is not OpenPGP clear-signed; signing it lets readers check its authenticity.')],
  no_canonical: ['recommendation', s('The file is signed but has no Canonical field; add one so the signature is bound to its location.')],
  multiple_csaf_fields: ['recommendation', s('The CSAF field appears more than once; one provider-metadata.json is expected.')],
  // notifications
  unknown_field: ['notification', (p) => `"${p.field}" is not a field defined by RFC 9116${p.hint ? `; did you mean "${p.hint}"?` : ' (it may be a typo or an extension).'}`],
} as const satisfies Record<string, readonly [FindingKind, Template]>;

export type FindingCode = keyof typeof catalogue;

export const findingCodes = Object.keys(catalogue) as FindingCode[];

export function kindOf(code: FindingCode): FindingKind {
  return catalogue[code][0];
}

export function finding(code: FindingCode, line: number | null, params: Params = {}): Finding {
  return { code, line, message: catalogue[code][1](params) };
}

/**
 * Groups findings by kind. Findings with a line come first in line order (stable, so several
 * findings on one line keep the order they were made in); file-level findings follow in the order
 * they were made, as DTC reports them.
 */
export function groupFindings(findings: readonly Finding[]): GroupedFindings {
  const sorted = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.line ?? Infinity) - (b.f.line ?? Infinity) || a.i - b.i)
    .map(({ f }) => f);
  return {
    errors: sorted.filter((f) => kindOf(f.code) === 'error'),
    recommendations: sorted.filter((f) => kindOf(f.code) === 'recommendation'),
    notifications: sorted.filter((f) => kindOf(f.code) === 'notification'),
  };
}
