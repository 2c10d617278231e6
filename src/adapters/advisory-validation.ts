/**
 * The checks every advisory document passes before the desk serves it, in one place for the desk,
 * the CLI and the tests:
 * - CSAF 2.0: @secvisogram/csaf-validator-lib's strict schema, mandatory tests (errors) and optional
 *   tests (warnings), and on request the informative tests (infos). The informative tests 6.3.6 and
 *   6.3.7 send HEAD requests to every URL in the document; they run only when asked for
 *   (`urlChecks`), never by default. Test 6.3.8 runs `hunspell` and needs its `en` dictionary.
 * - OSV: the OSV JSON schema (schemas/osv-schema.json, draft 2020-12) with format checks.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as informative from '@secvisogram/csaf-validator-lib/informativeTests.js';
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import * as optional from '@secvisogram/csaf-validator-lib/optionalTests.js';
import { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js';
import type { CsafDocumentTest } from '@secvisogram/csaf-validator-lib/types';
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export type FindingLevel = 'error' | 'warning' | 'info';

export interface Finding {
  /** The validator's test: "csaf_2_0_strict", "mandatoryTest_6_1_11", "optionalTest_6_2_13", or "osv-schema". */
  test: string;
  level: FindingLevel;
  /** JSON pointer into the document. */
  path: string;
  message: string;
}

export interface ValidationReport {
  /** No errors and no warnings: what the desk requires of its own documents. */
  valid: boolean;
  findings: Finding[];
}

const tests = (m: Record<string, unknown>): CsafDocumentTest[] => Object.values(m).filter((t): t is CsafDocumentTest => typeof t === 'function');

export const CSAF_MANDATORY_TESTS = tests(mandatory);
export const CSAF_OPTIONAL_TESTS = tests(optional);
const URL_TESTS = new Set(['informativeTest_6_3_6', 'informativeTest_6_3_7']);

/** The test's short id: mandatoryTest_6_1_27_3 -> 6.1.27.3. */
export const csafTestId = (name: string): string => name.replace(/^[a-z]+Test_/, '').replace(/_/g, '.');

export interface CsafValidationOptions {
  /** Run the informative tests too (their findings are infos). */
  informative?: boolean;
  /** With `informative`: also 6.3.6/6.3.7, which request every URL of the document. */
  urlChecks?: boolean;
}

export async function validateCsaf(doc: unknown, opts: CsafValidationOptions = {}): Promise<ValidationReport> {
  const informativeTests = opts.informative ? tests(informative).filter((t) => opts.urlChecks || !URL_TESTS.has(t.name)) : [];
  const run = [csaf_2_0_strict, ...CSAF_MANDATORY_TESTS, ...CSAF_OPTIONAL_TESTS, ...informativeTests];
  const result = await validateStrict(run, doc);
  const findings: Finding[] = result.tests.flatMap((t) => [
    ...(t.name === 'mandatoryTest_6_1_26' && t.isValid ? prohibitedCategoryGap(doc) : []),
    ...t.errors.map((f) => ({ test: t.name, level: 'error' as const, path: f.instancePath, message: f.message })),
    ...t.warnings.map((f) => ({ test: t.name, level: 'warning' as const, path: f.instancePath, message: f.message })),
    ...t.infos.map((f) => ({ test: t.name, level: 'info' as const, path: f.instancePath, message: f.message })),
  ]);
  return { valid: !findings.some((f) => f.level !== 'info'), findings };
}

const PROFILES = ['csaf_base', 'csaf_security_incident_response', 'csaf_informational_advisory', 'csaf_security_advisory', 'csaf_vex'];
const PROFILE_NAMES = ['securityincidentresponse', 'informationaladvisory', 'securityadvisory', 'vex'];

/**
 * Test 6.1.26 (prohibited document category name) as the specification states it: "_", "-" and
 * white space are ignored, so "csafsecurityadvisory" (the OASIS failing example 6-1-26-04) is a
 * profile name too. The library (2.0.10) compares only the name without the "csaf" prefix and lets
 * it pass; this adds the finding it misses, under the same test.
 */
function prohibitedCategoryGap(doc: unknown): Finding[] {
  const category = (doc as { document?: { category?: unknown } } | null)?.document?.category;
  if (typeof category !== 'string' || PROFILES.includes(category)) return [];
  const squashed = category.replace(/[_\-\s]+/g, '').toLowerCase();
  return squashed.startsWith('csaf') && PROFILE_NAMES.includes(squashed.slice(4))
    ? [{ test: 'mandatoryTest_6_1_26', level: 'error', path: '/document/category', message: 'value prohibited' }]
    : [];
}

let osvValidator: ValidateFunction | undefined;

function osvSchemaValidator(): ValidateFunction {
  if (osvValidator) return osvValidator;
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'osv-schema.json');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: its default export arrives as the module object under some loaders
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
  addFormats(ajv);
  return (osvValidator = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object));
}

export function validateOsv(record: unknown): ValidationReport {
  const validate = osvSchemaValidator();
  const ok = validate(record);
  const findings: Finding[] = ok
    ? []
    : (validate.errors ?? []).map((e) => ({ test: 'osv-schema', level: 'error' as const, path: e.instancePath || '/', message: e.message ?? 'is invalid' }));
  return { valid: ok, findings };
}

/** "mandatoryTest_6_1_11 /vulnerabilities/0/cwe/name: the name does not match …" */
export const formatFinding = (f: Finding): string => `${f.level}: ${f.test === 'osv-schema' ? 'OSV schema' : `CSAF ${csafTestId(f.test)}`} ${f.path}: ${f.message}`;
