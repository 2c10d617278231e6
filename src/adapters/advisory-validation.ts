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
import type { CsafDocumentTest } from '@secvisogram/csaf-validator-lib/types';
import type validateStrictFn from '@secvisogram/csaf-validator-lib/validateStrict.js';
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

/**
 * The validator library takes seconds to load (it compiles its schemas and test suites), so it is
 * loaded on first use: every `cvdesk` command and the desk's start would otherwise pay for it.
 */
type ValidateStrict = typeof validateStrictFn;
let library: Promise<{ strict: CsafDocumentTest; mandatory: CsafDocumentTest[]; optional: CsafDocumentTest[]; informative: CsafDocumentTest[]; validateStrict: ValidateStrict }> | undefined;

function csafLibrary() {
  library ??= Promise.all([
    import('@secvisogram/csaf-validator-lib/schemaTests.js'),
    import('@secvisogram/csaf-validator-lib/mandatoryTests.js'),
    import('@secvisogram/csaf-validator-lib/optionalTests.js'),
    import('@secvisogram/csaf-validator-lib/informativeTests.js'),
    import('@secvisogram/csaf-validator-lib/validateStrict.js'),
  ]).then(([schema, mandatory, optional, informative, strict]) => ({
    strict: schema.csaf_2_0_strict,
    mandatory: tests(mandatory),
    optional: tests(optional),
    informative: tests(informative),
    validateStrict: strict.default,
  }));
  return library;
}

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
  const lib = await csafLibrary();
  const informativeTests = opts.informative ? lib.informative.filter((t) => opts.urlChecks || !URL_TESTS.has(t.name)) : [];
  const run = [lib.strict, ...lib.mandatory, ...lib.optional, ...informativeTests];
  const result = await lib.validateStrict(run, doc);
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
