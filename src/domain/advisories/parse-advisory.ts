import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { unknownFieldMessages } from '../policy/field-names.js';
import { describeIssue, documentToJs, formatField, offsetOf, type PolicyProblem } from '../policy/parse-policy.js';
import { advisorySchema, type Advisory } from './schema.js';

/** Same shape as a policy problem: file:line:column: field: message. */
export type AdvisoryProblem = PolicyProblem;

/** A problem found after parsing (by the resolver), located by its path in the file. */
export interface PathProblem {
  path: PropertyKey[];
  message: string;
}

export type AdvisoryParseResult = { ok: true; advisory: Advisory } | { ok: false; problems: AdvisoryProblem[] };

const unknownFieldMessage = unknownFieldMessages(advisorySchema);

interface Located {
  doc: Document;
  at(path: ReadonlyArray<PropertyKey>): { line: number; column: number };
}

function load(text: string): { located: Located; errors: AdvisoryProblem[] | null; raw: unknown } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const located: Located = {
    doc,
    at: (path) => {
      const { line, col } = lineCounter.linePos(offsetOf(doc, path));
      return { line, column: col };
    },
  };
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return { file: '', line, column: col, field: '', message: `YAML: ${e.message.split('\n')[0]}` };
    });
    return { located, errors, raw: undefined };
  }
  const js = documentToJs(doc);
  if (!js.ok) return { located, errors: [{ file: '', line: 1, column: 1, field: '', message: js.message }], raw: undefined };
  return { located, errors: null, raw: js.value };
}

/**
 * Parses and validates an advisory file's text. Pure: the caller reads the file. Every problem
 * names the file, the line and the field, as `cvdesk policy check` does for policies.
 */
export function parseAdvisory(text: string, file: string): AdvisoryParseResult {
  const { located, errors, raw } = load(text);
  if (errors) return { ok: false, problems: errors.map((e) => ({ ...e, file })) };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [{ file, line: 1, column: 1, field: '', message: 'an advisory file is a YAML mapping (key: value lines) starting with "id:"' }] };
  }
  const toProblem = (path: ReadonlyArray<PropertyKey>, message: string): AdvisoryProblem => ({ file, ...located.at(path), field: formatField(path), message });
  const result = advisorySchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.flatMap((i): AdvisoryProblem[] =>
      i.code === 'unrecognized_keys' ? i.keys.map((k) => toProblem([...i.path, k], unknownFieldMessage(k))) : [toProblem(i.path, describe(i))],
    );
    return { ok: false, problems: sortProblems(problems) };
  }
  return { ok: true, advisory: result.data };
}

/** Places problems found after parsing (by path) at their line in the file's text. */
export function locateProblems(text: string, file: string, problems: readonly PathProblem[]): AdvisoryProblem[] {
  const { located } = load(text);
  return sortProblems(problems.map((p) => ({ file, ...located.at(p.path), field: formatField(p.path), message: p.message })));
}

/** zod's issue, said for a person editing YAML; a value of the wrong type is not a missing one. */
function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return /received undefined$/.test(issue.message) ? 'is required' : issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_union' && issue.message === 'Invalid input') return 'is not in a form this field takes';
  return describeIssue(issue);
}

const sortProblems = (ps: AdvisoryProblem[]): AdvisoryProblem[] => ps.sort((a, b) => a.line - b.line || a.column - b.column);

