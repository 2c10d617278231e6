import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { policySchema, type Policy } from './schema.js';
import { checkPolicySemantics } from './semantic-checks.js';
import { unknownFieldMessage } from './field-names.js';

export interface PolicyProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field, e.g. "sla.triage" or "contacts[1].address"; "" for the whole file. */
  field: string;
  message: string;
}

export type PolicyParseResult = { ok: true; policy: Policy } | { ok: false; problems: PolicyProblem[] };

export const formatField = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');

/** Finds the node a path names, as deep as it exists; returns the character offset of its key (or value). */
export function offsetOf(doc: Document, path: ReadonlyArray<PropertyKey>): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

/**
 * Parses and validates a policy file's text. Pure: the caller reads the file. Every problem names
 * the file, the line and the field, so that an editor or CI log points at the right place.
 */
export function parsePolicy(text: string, file: string): PolicyParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const { line, col } = at(e.pos[0]);
        return { file, line, column: col, field: '', message: `YAML: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  const js = documentToJs(doc);
  if (!js.ok) return { ok: false, problems: [{ file, line: 1, column: 1, field: '', message: js.message }] };
  const raw = js.value;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [{ file, line: 1, column: 1, field: '', message: 'a policy file is a YAML mapping (key: value lines) starting with "version: 1"' }] };
  }
  const toProblem = (path: ReadonlyArray<PropertyKey>, message: string): PolicyProblem => {
    const { line, col } = at(offsetOf(doc, path));
    return { file, line, column: col, field: formatField(path), message };
  };
  const result = policySchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.flatMap((i): PolicyProblem[] =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => toProblem([...i.path, k], unknownFieldMessage(k)))
        : [toProblem(i.path, describeIssue(i))],
    );
    return { ok: false, problems: problems.sort((a, b) => a.line - b.line || a.column - b.column) };
  }
  const semantic = checkPolicySemantics(result.data);
  if (semantic.length > 0) return { ok: false, problems: semantic.map((s) => toProblem(s.path, s.message)) };
  return { ok: true, policy: result.data };
}

/**
 * The document's value. An alias to an anchor that is not set before it, or too many aliases (a
 * "billion laughs" file), passes the parser and throws here (a ReferenceError): a problem of the file,
 * not a crash (found by test/fuzz/parsers.test.ts with `<<: *a`).
 */
export function documentToJs(doc: Document): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (e) {
    if (e instanceof ReferenceError) return { ok: false, message: `YAML: ${e.message.split('\n')[0]}` };
    throw e;
  }
}

/** zod's messages, said for a person editing YAML. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : issue.message.replace(/^Invalid input: /, '');
    case 'invalid_union': {
      // A branch's own explanation (e.g. how to write a duration) says more than "no branch matched".
      const custom = findCustom(issue.errors.flat());
      if (custom) return custom.message;
      return issue.message === 'Invalid input' ? 'is not any of the accepted forms (see the policy JSON Schema)' : issue.message;
    }
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

function findCustom(issues: z.core.$ZodIssue[]): z.core.$ZodIssue | undefined {
  for (const i of issues) {
    if (i.code === 'custom') return i;
    if (i.code === 'invalid_union') {
      const inner = findCustom(i.errors.flat());
      if (inner) return inner;
    }
  }
  return undefined;
}
