import type { ZodError } from 'zod';
import { isAppError } from '../app/errors.js';
import type { FieldProblem } from './views/report-form-page.js';

/** Schema issues as problems next to form fields ("credit.name" is the form's creditName input). */
export const zodProblems = (e: ZodError): FieldProblem[] =>
  e.issues.map((i) => {
    const path = i.path.join('.');
    const missing = i.code === 'invalid_type' && /received undefined$/.test(i.message);
    return { field: path === 'credit.name' ? 'creditName' : path || 'form', message: missing ? 'is required' : i.message };
  });

/** An AppError that names fields (attachments refused) becomes problems on the form; anything else is thrown on. */
export function appErrorProblems(e: unknown): { status: number; problems: FieldProblem[] } | null {
  if (!isAppError(e) || !Array.isArray(e.details) || (e.code !== 'invalid_input' && e.code !== 'too_large')) return null;
  return { status: e.code === 'too_large' ? 413 : 400, problems: e.details as FieldProblem[] };
}
