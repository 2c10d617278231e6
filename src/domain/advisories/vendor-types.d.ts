/**
 * Types for the parts of @secvisogram/csaf-validator-lib that cvdesk uses. The package ships
 * JavaScript with JSDoc only; these declarations follow its README ("API", "Interfaces").
 */
declare module '@secvisogram/csaf-validator-lib/cwe.js' {
  /** The CWE catalogue the validator checks names against (mandatory test 6.1.11). */
  export const weaknesses: ReadonlyArray<{ id: string; name: string }>;
}

declare module '@secvisogram/csaf-validator-lib/validateStrict.js' {
  import type { CsafDocumentTest, CsafValidationResult } from '@secvisogram/csaf-validator-lib/types';
  export default function validateStrict(tests: CsafDocumentTest[], doc: unknown): Promise<CsafValidationResult>;
}

declare module '@secvisogram/csaf-validator-lib/types' {
  export interface CsafFinding {
    message: string;
    instancePath: string;
  }
  export interface CsafTestResult {
    name: string;
    isValid: boolean;
    errors: CsafFinding[];
    warnings: CsafFinding[];
    infos: CsafFinding[];
  }
  export interface CsafValidationResult {
    isValid: boolean;
    tests: CsafTestResult[];
  }
  export type CsafDocumentTest = ((doc: unknown) => unknown) & { readonly name: string };
}

declare module '@secvisogram/csaf-validator-lib/schemaTests.js' {
  import type { CsafDocumentTest } from '@secvisogram/csaf-validator-lib/types';
  export const csaf_2_0_strict: CsafDocumentTest;
  export const csaf_2_0: CsafDocumentTest;
}

declare module '@secvisogram/csaf-validator-lib/mandatoryTests.js' {
  import type { CsafDocumentTest } from '@secvisogram/csaf-validator-lib/types';
  const tests: Record<string, CsafDocumentTest>;
  export = tests;
}

declare module '@secvisogram/csaf-validator-lib/optionalTests.js' {
  import type { CsafDocumentTest } from '@secvisogram/csaf-validator-lib/types';
  const tests: Record<string, CsafDocumentTest>;
  export = tests;
}

declare module '@secvisogram/csaf-validator-lib/informativeTests.js' {
  import type { CsafDocumentTest } from '@secvisogram/csaf-validator-lib/types';
  const tests: Record<string, CsafDocumentTest>;
  export = tests;
}
