import { z } from 'zod';
import { policySchema } from './schema.js';

/** Every field name a schema knows, at any depth (from its JSON Schema). */
function fieldNamesOf(schema: z.ZodType): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'properties' && v && typeof v === 'object') Object.keys(v).forEach((n) => found.add(n));
        walk(v);
      }
    }
  };
  walk(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
  return [...found];
}

/**
 * The message for a key a file's schema does not allow where it stands: a known name in the wrong
 * place ("check its indentation"), or a typo with the nearest known name. `fallback` follows when
 * nothing is near. Field names are computed on first use.
 */
export function unknownFieldMessages(schema: z.ZodType, fallback = ''): (key: string) => string {
  let names: string[] | undefined;
  return (key) => {
    names ??= fieldNamesOf(schema);
    if (names.includes(key)) return `"${key}" is not a field here (check its indentation)`;
    const lower = key.toLowerCase();
    const best = names
      .map((n) => [n, editDistance(lower, n.toLowerCase())] as const)
      .filter(([n, d]) => d <= Math.max(n.length >= 4 ? 2 : 1, Math.floor(n.length / 3)))
      .sort((a, b) => a[1] - b[1])[0];
    return `unknown field "${key}"${best ? ` (did you mean "${best[0]}"?)` : fallback}`;
  };
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

/** "unknown field "scoep" (did you mean "scope"?)" */
export const unknownFieldMessage = unknownFieldMessages(policySchema, ' (see `cvdesk policy schema` for the fields)');
