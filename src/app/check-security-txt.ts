import { readFile } from 'node:fs/promises';
import { fetchSecurityTxt, SecurityTxtFetchError, type FetchSecurityTxtOptions, type FetchedSecurityTxt } from '../adapters/http/fetch-security-txt.js';
import { inspectSignature, verifyCleartext, type SignatureInspection, type VerifyResult } from '../adapters/pgp/clearsign.js';
import { finding, groupFindings, type Finding } from '../formats/security-txt/findings.js';
import { parseSecurityTxt } from '../formats/security-txt/parse.js';
import { validateSecurityTxt } from '../formats/security-txt/validate.js';
import { AppError } from './errors.js';

export type SecurityTxtSource =
  | { kind: 'file'; path: string }
  | { kind: 'bytes'; bytes: Uint8Array; name?: string }
  | { kind: 'url'; url: string };

export interface CheckSecurityTxtInput {
  source: SecurityTxtSource;
  now: Date;
  /** Armored public key block(s); when given, a signature is verified. */
  publicKeys?: readonly string[];
  /** URLs the Canonical field should match, in addition to the ones a fetch went through. */
  canonicalUrls?: readonly string[];
  fetch?: FetchSecurityTxtOptions;
}

export interface CheckSecurityTxtResult {
  errors: Finding[];
  recommendations: Finding[];
  notifications: Finding[];
  fields: Record<string, string[]>;
  signed: boolean;
  /** null when no key was given or the file is not signed. */
  signatureValid: boolean | null;
}

export interface CheckSecurityTxtDeps {
  readFile: (path: string) => Promise<Uint8Array>;
  fetchSecurityTxt: (target: string, options?: FetchSecurityTxtOptions) => Promise<FetchedSecurityTxt>;
  inspectSignature: (armored: string) => Promise<SignatureInspection>;
  verifyCleartext: (signed: { signedText: string; armoredSignature: string }, keys: readonly string[], options?: { date?: Date }) => Promise<VerifyResult>;
}

export const defaultCheckSecurityTxtDeps: CheckSecurityTxtDeps = { readFile, fetchSecurityTxt, inspectSignature, verifyCleartext };

/** Reads a security.txt (file, bytes or https URL), validates it as of `now` and verifies its signature when keys are given. */
export async function checkSecurityTxt(input: CheckSecurityTxtInput, deps: CheckSecurityTxtDeps = defaultCheckSecurityTxtDeps): Promise<CheckSecurityTxtResult> {
  const { bytes, transport, fetchedFrom } = await load(input, deps);
  const parsed = parseSecurityTxt(bytes);
  const canonicalUrls = [...fetchedFrom, ...(input.canonicalUrls ?? [])];
  const v = validateSecurityTxt(parsed, { now: input.now, ...(canonicalUrls.length ? { canonicalUrls } : {}) });
  const pgp: Finding[] = [];
  let signatureValid: boolean | null = null;
  const keys = input.publicKeys ?? [];
  const sig = parsed.signature;
  if (parsed.signed) {
    let decodable = false;
    if (sig && parsed.framingOk) {
      const inspected = await deps.inspectSignature(sig.armoredSignature);
      if (inspected.ok) decodable = true;
      else pgp.push(finding('pgp_error', sig.signatureLine, { detail: inspected.error }));
    }
    if (keys.length > 0) {
      signatureValid = false;
      if (sig && decodable) {
        // Key validity is judged at `now` too, so that --now gives reproducible answers.
        const r = await deps.verifyCleartext(sig, keys, { date: input.now });
        signatureValid = r.valid;
        if (!r.valid) pgp.push(finding('pgp_signature_error', sig.signatureLine, { detail: r.error ?? 'unknown reason' }));
      }
    }
  }
  const grouped = groupFindings([...transport, ...v.findings, ...pgp]);
  return { ...grouped, fields: v.fields, signed: parsed.signed, signatureValid };
}

async function load(input: CheckSecurityTxtInput, deps: CheckSecurityTxtDeps): Promise<{ bytes: Uint8Array; transport: Finding[]; fetchedFrom: string[] }> {
  const { source } = input;
  if (source.kind === 'bytes') return { bytes: source.bytes, transport: [], fetchedFrom: [] };
  if (source.kind === 'file') {
    try {
      return { bytes: await deps.readFile(source.path), transport: [], fetchedFrom: [] };
    } catch (e) {
      throw new AppError('unreadable', `cannot read ${source.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  try {
    const f = await deps.fetchSecurityTxt(source.url, input.fetch);
    return { bytes: f.bytes, transport: f.findings, fetchedFrom: f.canonicalUrls };
  } catch (e) {
    if (e instanceof SecurityTxtFetchError) throw new AppError('unreadable', e.message, { code: e.code });
    throw new AppError('unreadable', `cannot fetch ${source.url}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
