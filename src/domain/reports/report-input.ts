import { z } from 'zod';
import { CVSS_MAX_LENGTH, parseCvss } from '../advisories/cvss.js';

/**
 * What a reporter sends: one schema for the web form, the API and (later) the mail intake, so the
 * same input is accepted or refused alike everywhere. Strict: an unknown field is an error, not
 * silently dropped. Pure: what the policy offers (images, languages, credit) is passed in.
 */
export const REPORT_LIMITS = {
  title: 200,
  image: 255,
  tag: 128,
  description: 50_000,
  steps: 50_000,
  impact: 20_000,
  name: 200,
  email: 254,
  message: 50_000,
  filename: 200,
} as const;

export interface ReportInputOptions {
  /** The policy's image repositories; when it names none, the image is free text. */
  images: readonly string[];
  /** The languages a report may be written in (the policy's languages the desk's UI offers). */
  languages: readonly [string, ...string[]];
  allowAnonymous: boolean;
  creditOffered: boolean;
}

// C0 controls other than tab, line feed and carriage return, and DEL: no text a person writes holds them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LINE_BREAK = /[\r\n\u2028\u2029]/;
// A lone UTF-16 surrogate: what "\ud800" in JSON turns into; it is not text and PostgreSQL refuses it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text may not be stored, or null when it may. */
export function textProblem(s: string, multiline: boolean): string | null {
  if (s.includes('\u0000')) return 'must not contain a NUL character';
  if (CONTROL.test(s)) return 'must not contain control characters';
  if (LONE_SURROGATE.test(s)) return 'is not valid Unicode text';
  if (!multiline && LINE_BREAK.test(s)) return 'must be a single line';
  return null;
}

const text = (max: number, multiline: boolean) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .superRefine((s, ctx) => {
      const problem = textProblem(s, multiline);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const required = (max: number, multiline: boolean, min = 1) =>
  text(max, multiline).refine((s) => s.length >= min, min > 1 ? `must be at least ${min} characters` : 'is required');

/** Optional fields: blank means "not given" (a form sends empty fields as ""). */
const optional = <T extends z.ZodType<string, string>>(schema: T) =>
  schema.transform((s: string) => (s === '' ? undefined : s)).optional();

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const cvssVector = z
  .string()
  .trim()
  .max(CVSS_MAX_LENGTH, `must be at most ${CVSS_MAX_LENGTH} characters`)
  .transform((s, ctx) => {
    if (s === '') return undefined;
    const r = parseCvss(s);
    if (r.ok) return r.vector;
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  })
  .optional()
  .meta({ description: 'A CVSS 3.1 or 4.0 vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });

export const creditSchema = (creditOffered: boolean) =>
  creditOffered
    ? z.discriminatedUnion('wish', [
        z.strictObject({ wish: z.literal('name'), name: required(REPORT_LIMITS.name, false) }),
        z.strictObject({ wish: z.literal('none') }),
      ])
    : z.strictObject({ wish: z.literal('none', { error: 'this project does not credit reporters' }) });

export type CreditWish = { wish: 'name'; name: string } | { wish: 'none' };

/** The report's own fields, as the form and the API send them. */
export function reportFieldsSchema(o: ReportInputOptions) {
  const oneOfImages = `must be one of: ${o.images.join(', ')}`;
  const image = o.images.length > 0 ? z.enum(o.images as [string, ...string[]], { error: oneOfImages }) : text(REPORT_LIMITS.image, false);
  const email = z.string().trim().max(REPORT_LIMITS.email, `must be at most ${REPORT_LIMITS.email} characters`).pipe(z.email('must be an e-mail address'));
  return z.strictObject({
    title: required(REPORT_LIMITS.title, false, 3).meta({ description: 'A short summary of the vulnerability' }),
    image: o.images.length > 0 ? z.union([z.literal('').transform(() => undefined), image], { error: oneOfImages }).optional() : optional(image as ReturnType<typeof text>),
    tag: optional(text(REPORT_LIMITS.tag, false).refine((s) => s === '' || TAG.test(s), 'must be an image tag such as 5.2.1-apache')),
    description: required(REPORT_LIMITS.description, true),
    steps: optional(text(REPORT_LIMITS.steps, true)),
    impact: optional(text(REPORT_LIMITS.impact, true)),
    cvss: cvssVector,
    reporterName: optional(text(REPORT_LIMITS.name, false)),
    reporterEmail: o.allowAnonymous ? z.union([z.literal('').transform(() => undefined), email]).optional() : email,
    credit: creditSchema(o.creditOffered).default({ wish: 'none' }),
    language: z.enum(o.languages as [string, ...string[]], { error: `must be one of: ${o.languages.join(', ')}` }).default(o.languages[0]),
  });
}

export type ReportFields = z.output<ReturnType<typeof reportFieldsSchema>>;

/** A reporter's message in the conversation. */
export const messageBodySchema = required(REPORT_LIMITS.message, true);
