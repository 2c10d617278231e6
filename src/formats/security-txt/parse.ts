import { KNOWN_FIELDS } from './fields.js';
import { finding, type Finding } from './findings.js';

/**
 * Line-level parser for RFC 9116 security.txt, including the OpenPGP cleartext signature
 * framework (RFC 4880 section 7). It never throws: anything malformed becomes a finding.
 * Field values are not judged here (see validate.ts), only the syntax of lines and framing.
 */

/** 'continuation': a folded line (leading whitespace) continuing an extension field's unstructured value (RFC 5322 FWS). */
export type LineKind = 'field' | 'continuation' | 'comment' | 'empty' | 'pgp' | 'invalid';

export interface ParsedLine {
  /** 1-based line number. */
  line: number;
  kind: LineKind;
  /** The line without its line ending and trailing whitespace, dash-unescaped in signed text. */
  value: string;
}

export interface ParsedField {
  line: number;
  /** The field name as written. */
  name: string;
  /** The field name in lower case, for lookups (field names are case-insensitive). */
  key: string;
  value: string;
}

export interface CleartextSignature {
  /** The algorithms named by `Hash:` armor headers (may be empty). */
  hashes: string[];
  /** The signed text, dash-unescaped, lines joined with LF, without the line ending before the signature. */
  signedText: string;
  /** The `-----BEGIN PGP SIGNATURE-----` block as written, lines joined with LF. */
  armoredSignature: string;
  /** Line of `-----BEGIN PGP SIGNED MESSAGE-----`. */
  headerLine: number;
  /** Line of `-----BEGIN PGP SIGNATURE-----`. */
  signatureLine: number;
}

export interface ParsedSecurityTxt {
  /** The decoded text (BOMs removed). */
  text: string;
  lines: ParsedLine[];
  fields: ParsedField[];
  /** Syntax findings, in the order they were made. */
  findings: Finding[];
  signed: boolean;
  /** The pieces needed to verify the signature; null when unsigned or the framework is incomplete. */
  signature: CleartextSignature | null;
  /** True when the cleartext framework had no pgp_data_error. */
  framingOk: boolean;
  /** Line number of a last line that lacks a line ending, or null (validate.ts reports it last). */
  missingEolLine: number | null;
}

const SIGNED_HEADER = '-----BEGIN PGP SIGNED MESSAGE-----';
const SIG_BEGIN = '-----BEGIN PGP SIGNATURE-----';
const SIG_END = '-----END PGP SIGNATURE-----';
/** RFC 5322 ftext: printable US-ASCII except the colon. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const ARMOR_HEADER = /^[A-Za-z][A-Za-z0-9-]*: ?.*$/;
const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}$/;
const CRC_LINE = /^=[A-Za-z0-9+/]{4}$/;

/** Decodes bytes as UTF-8; invalid sequences become U+FFFD and a `utf8` finding. */
export function decodeSecurityTxt(input: string | Uint8Array): { text: string; findings: Finding[] } {
  if (typeof input === 'string') return { text: input, findings: [] };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input), findings: [] };
  } catch {
    return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(input), findings: [finding('utf8', null)] };
  }
}

export function parseSecurityTxt(input: string | Uint8Array): ParsedSecurityTxt {
  const decoded = decodeSecurityTxt(input);
  const findings: Finding[] = [...decoded.findings];
  let text = decoded.text;
  if (text.startsWith('\uFEFF')) {
    findings.push(finding('bom_in_file', 1));
    text = text.replace(/^\uFEFF+/, '');
  }

  const raw = text === '' ? [] : text.split('\n');
  let missingEolLine: number | null = null;
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  else if (raw.length > 0) missingEolLine = raw.length;

  const lines: ParsedLine[] = [];
  const fields: ParsedField[] = [];
  const trimmed = raw.map((r) => r.trimEnd());
  const headerIdx = trimmed.indexOf(SIGNED_HEADER);
  const signed = headerIdx >= 0;
  if (headerIdx > 0) findings.push(finding('signed_format_issue', headerIdx + 1));

  let dataError = false;
  const dataErr = (line: number | null, detail: string) => {
    if (dataError) return;
    dataError = true;
    findings.push(finding('pgp_data_error', line, { detail }));
  };

  // Extension fields hold RFC 5322 "unstructured" values, which may be folded onto lines that start with whitespace.
  let foldable: ParsedField | null = null;
  const content = (lineNo: number, t: string): void => {
    if (foldable && /^[ \t]/.test(t) && t.trim() !== '') {
      foldable.value += ' ' + t.trim();
      lines.push({ line: lineNo, kind: 'continuation', value: t });
      return;
    }
    const before = fields.length;
    const kind = parseContentLine(lineNo, t, fields, findings);
    const added = fields.length > before ? fields[fields.length - 1] : undefined;
    foldable = added && !KNOWN_FIELDS.has(added.key) ? added : null;
    lines.push({ line: lineNo, kind, value: t });
  };

  type State = 'pre' | 'hash' | 'body' | 'sig' | 'after';
  let state: State = signed ? 'pre' : 'body';
  let sigPhase: 'headers' | 'data' | 'crc' = 'headers';
  let dataLines = 0;
  const hashes: string[] = [];
  const bodyLines: string[] = [];
  const sigLines: string[] = [];
  let signatureLine = 0;
  let endSeen = false;
  let afterReported = false;

  for (let i = 0; i < raw.length; i++) {
    const lineNo = i + 1;
    const r = (raw[i] ?? '').replace(/\r$/, '');
    const t = trimmed[i] ?? '';
    if (state === 'pre') {
      if (i === headerIdx) {
        state = 'hash';
        lines.push({ line: lineNo, kind: 'pgp', value: t });
      } else content(lineNo, t);
      continue;
    }
    if (state === 'hash') {
      const m = /^Hash: ?(.*)$/.exec(t);
      if (m) {
        hashes.push(...(m[1] ?? '').split(',').map((h) => h.trim()).filter(Boolean));
        lines.push({ line: lineNo, kind: 'pgp', value: t });
        continue;
      }
      state = 'body';
      if (t === '') {
        lines.push({ line: lineNo, kind: 'pgp', value: t });
        continue;
      }
      dataErr(lineNo, 'the signed-message header must be followed by Hash armor headers and an empty line');
    }
    if (state === 'body') {
      if (signed && t === SIG_BEGIN) {
        state = 'sig';
        signatureLine = lineNo;
        sigLines.push(t);
        lines.push({ line: lineNo, kind: 'pgp', value: t });
        continue;
      }
      const unescaped = signed && r.startsWith('- ') ? r.slice(2) : r;
      if (signed) bodyLines.push(unescaped);
      content(lineNo, unescaped.trimEnd());
      continue;
    }
    if (state === 'sig') {
      sigLines.push(t);
      lines.push({ line: lineNo, kind: 'pgp', value: t });
      if (t === SIG_END) {
        if (dataLines === 0) dataErr(lineNo, 'the signature block holds no signature data');
        state = 'after';
        endSeen = true;
      } else if (sigPhase === 'headers') {
        if (t === '') sigPhase = 'data';
        else if (!ARMOR_HEADER.test(t)) dataErr(lineNo, 'expected an armor header ("Key: value") or the empty line before the signature data');
      } else if (sigPhase === 'data') {
        if (BASE64_LINE.test(t)) dataLines++;
        else if (CRC_LINE.test(t)) sigPhase = 'crc';
        else dataErr(lineNo, 'the signature data holds a line that is not base64');
      } else {
        dataErr(lineNo, `expected "${SIG_END}" after the checksum line`);
      }
      continue;
    }
    // after the signature block
    lines.push({ line: lineNo, kind: t === '' ? 'empty' : 'invalid', value: t });
    if (!afterReported) {
      afterReported = true;
      findings.push(finding(t === '' ? 'too_many_line_separators' : 'data_after_sig', lineNo));
    }
  }

  if (signed && !endSeen) {
    if (state === 'sig') dataErr(signatureLine, `the signature block has no "${SIG_END}" line`);
    else dataErr(headerIdx + 1, `the signed message has no "${SIG_BEGIN}" block`);
  }

  const signature: CleartextSignature | null =
    signed && endSeen
      ? {
          hashes,
          signedText: bodyLines.join('\n'),
          armoredSignature: sigLines.join('\n') + '\n',
          headerLine: headerIdx + 1,
          signatureLine,
        }
      : null;

  return { text, lines, fields, findings, signed, signature, framingOk: !dataError, missingEolLine };
}

/** Classifies one (unescaped, right-trimmed) content line and records its field or its syntax findings. */
function parseContentLine(lineNo: number, t: string, fields: ParsedField[], findings: Finding[]): LineKind {
  if (t === '') return 'empty';
  if (t.startsWith('#')) return 'comment';
  const colon = t.indexOf(':');
  if (colon < 0) {
    findings.push(finding('invalid_line', lineNo, { detail: 'it has no colon' }));
    return 'invalid';
  }
  let name = t.slice(0, colon);
  let value = t.slice(colon + 1);
  if (name.trimEnd() !== name) {
    findings.push(finding('prec_ws', lineNo));
    name = name.trimEnd();
  }
  if (value !== '' && value[0] !== ' ') findings.push(finding('no_space', lineNo));
  value = value.trimStart();
  if (name === '') {
    findings.push(finding('empty_key', lineNo));
    return 'invalid';
  }
  if (!FIELD_NAME.test(name)) {
    findings.push(finding('invalid_line', lineNo, { detail: `"${name}" is not a valid field name (no spaces or control characters)` }));
    return 'invalid';
  }
  if (value === '') {
    findings.push(finding('empty_value', lineNo, { field: name }));
    return 'invalid';
  }
  fields.push({ line: lineNo, name, key: name.toLowerCase(), value });
  return 'field';
}
