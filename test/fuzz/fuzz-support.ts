import fc from 'fast-check';

/**
 * Shared pieces of the fuzz tests (issue #7). One setting sets how many cases each property runs:
 * CVDESK_FUZZ_RUNS (default 10,000, the number for CI). fast-check prints the seed and the
 * shrunk counterexample of a failure; replay it with CVDESK_FUZZ_SEED=<seed> (and the path it prints).
 */
export const FUZZ_RUNS = positive(process.env.CVDESK_FUZZ_RUNS, 10_000);

/**
 * Cases per endpoint of the HTTP fuzz (test/fuzz/endpoints.test.ts): CVDESK_FUZZ_HTTP_RUNS, default
 * the 10,000 on the embedded database (every `npm test` and CI), and a tenth of that in the
 * PostgreSQL pass, which runs the same requests through the same code to another engine. Measured
 * on the shared 2-core machine under load, 1,000 cases per endpoint take about a minute for all
 * endpoints (10 to 15 ms a request in-process, most of it the page the desk renders).
 */
export const FUZZ_HTTP_RUNS = positive(process.env.CVDESK_FUZZ_HTTP_RUNS, process.env.CVDESK_TEST_DATABASE_URL ? 1_000 : 10_000);

/** fast-check's parameters: the number of cases, and the seed and path of a failure to replay. */
export const fuzzParameters = (numRuns = FUZZ_RUNS): fc.Parameters<unknown> => ({
  numRuns,
  ...(process.env.CVDESK_FUZZ_SEED ? { seed: Number(process.env.CVDESK_FUZZ_SEED), path: process.env.CVDESK_FUZZ_PATH } : {}),
});

function positive(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`CVDESK_FUZZ_RUNS and CVDESK_FUZZ_HTTP_RUNS must be positive integers, not ${JSON.stringify(raw)}`);
  return n;
}

/** Text of every kind: printable, full Unicode (lone surrogates included), raw bytes read as latin1, control characters. */
export const anyText = (maxLength = 200): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength }),
    fc.uint8Array({ maxLength }).map((b) => Buffer.from(b).toString('latin1')),
  );

/** Strings assembled from the pieces a parser cares about, with random text between: deeper than random strings reach. */
export const piecesOf = (pieces: readonly string[], maxPieces = 40): fc.Arbitrary<string> =>
  fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pieces) }, { weight: 1, arbitrary: anyText(8) }), { maxLength: maxPieces }).map((a) => a.join(''));

/**
 * Very long inputs made of one short piece repeated: what catastrophic backtracking and quadratic
 * loops trip on. Weighted to about one case in twenty inside a oneof (see `inputs`), since each is costly.
 */
export const repeated = (pieces: readonly string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...pieces), fc.integer({ min: 1_000, max: 20_000 }), fc.constantFrom('', '!', '\n', '\u0000', 'x')).map(([p, n, end]) => p.repeat(Math.ceil(n / Math.max(p.length, 1))) + end);

type Edit = { kind: 'delete' | 'insert' | 'duplicate' | 'replace' | 'swapLines' | 'truncate'; at: number; length: number; text: string };

const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'replace', 'swapLines', 'truncate'),
  at: fc.nat(),
  length: fc.nat({ max: 40 }),
  text: fc.oneof(anyText(12), fc.constantFrom('\n', ': ', '- ', '{', '}', '[', ']', '"', "'", '&a', '*a', '!!binary', '~', '\t', '#', '%', '\\', '\r\n', '0x', '-1', '1e999', 'null')),
});

function applyEdit(s: string, e: Edit): string {
  const at = s.length === 0 ? 0 : e.at % (s.length + 1);
  switch (e.kind) {
    case 'delete':
      return s.slice(0, at) + s.slice(at + e.length);
    case 'insert':
      return s.slice(0, at) + e.text + s.slice(at);
    case 'duplicate':
      return s.slice(0, at + e.length) + s.slice(at, at + e.length) + s.slice(at + e.length);
    case 'replace':
      return s.slice(0, at) + e.text + s.slice(at + e.text.length);
    case 'truncate':
      return s.slice(0, at);
    case 'swapLines': {
      const lines = s.split('\n');
      if (lines.length < 2) return s;
      const i = e.at % lines.length;
      const j = (e.at + e.length + 1) % lines.length;
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
  }
}

/** A real example with 1 to 8 random edits: near-valid input that reaches the checks behind the syntax. */
export const mutationOf = (examples: readonly string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...examples), fc.array(edit, { minLength: 1, maxLength: 8 })).map(([s, edits]) => edits.reduce(applyEdit, s));

/** A JSON value with some of its nodes replaced by other JSON values (type confusion, missing and extra keys). */
export const jsonMutationOf = (examples: readonly unknown[]): fc.Arbitrary<unknown> =>
  fc.tuple(fc.constantFrom(...examples), fc.array(fc.tuple(fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined))), { minLength: 1, maxLength: 6 })).map(([value, replacements]) => {
    let out = structuredClone(value);
    for (const [pick, replacement] of replacements) out = replaceNode(out, pick, replacement);
    return out;
  });

function replaceNode(root: unknown, pick: number, replacement: unknown): unknown {
  const slots: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        slots.push({ parent: v, key: i });
        walk(x);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        slots.push({ parent: v as Record<string, unknown>, key: k });
        walk(x);
      }
    }
  };
  walk(root);
  if (slots.length === 0) return replacement;
  const { parent, key } = slots[pick % slots.length]!;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else (parent as Record<string | number, unknown>)[key] = replacement;
  return root;
}

/** The usual mix of a parser's inputs, long repeated ones rare: `inputs(anyText(300), piecesOf(...), { long: repeated(...) })`. */
export const inputs = <T>(...arbs: Array<fc.Arbitrary<T> | { long: fc.Arbitrary<T> }>): fc.Arbitrary<T> =>
  fc.oneof(...arbs.map((a) => ('long' in a ? { weight: 1, arbitrary: a.long } : { weight: 6, arbitrary: a })));
