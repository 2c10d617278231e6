import { z } from 'zod';
import { policySchema } from './schema.js';

let names: string[] | undefined;

/** Every field name the policy schema knows, at any depth. */
function knownFieldNames(): string[] {
  if (names) return names;
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
  walk(z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' }));
  return (names = [...found]);
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
export function unknownFieldMessage(key: string): string {
  const lower = key.toLowerCase();
  const best = knownFieldNames()
    .map((n) => [n, editDistance(lower, n.toLowerCase())] as const)
    .filter(([n, d]) => d <= Math.max(n.length >= 4 ? 2 : 1, Math.floor(n.length / 3)))
    .sort((a, b) => a[1] - b[1])[0];
  return `unknown field "${key}"${best ? ` (did you mean "${best[0]}"?)` : ' (see `cvdesk policy schema` for the fields)'}`;
}
