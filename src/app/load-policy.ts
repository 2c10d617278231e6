import { readFile } from 'node:fs/promises';
import { parsePolicy, type PolicyProblem } from '../domain/policy/parse-policy.js';
import type { Policy } from '../domain/policy/schema.js';
import { AppError } from './errors.js';

export const formatProblem = (p: PolicyProblem): string => `${p.file}:${p.line}:${p.column}: ${p.field ? `${p.field}: ` : ''}${p.message}`;

/** Reads and validates a policy file. An unreadable or invalid file is an AppError whose details list the problems. */
export async function loadPolicy(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError(code === 'ENOENT' ? 'not_found' : 'unreadable', `cannot read policy file ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const result = parsePolicy(text, path);
  if (!result.ok) {
    const n = result.problems.length;
    throw new AppError('invalid_policy', `${path} is not a valid policy (${n} problem${n === 1 ? '' : 's'}):\n${result.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`, result.problems);
  }
  return result.policy;
}
