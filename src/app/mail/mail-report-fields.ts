import { z } from 'zod';
import type { Policy } from '../../domain/policy/schema.js';
import { cleanMailLine, cleanMailText, titleFromSubject } from '../../domain/mail/intake-decision.js';
import { messageBodySchema, REPORT_LIMITS, reportFieldsSchema, type ReportFields } from '../../domain/reports/report-input.js';

/**
 * A mail's parts as a report's fields or a message's body, through the same schema the form and
 * the API use, so a mail is held to the same rules.
 */

export interface MailText {
  text: string;
  /** The desk's notes on what it did not keep, appended to the text. */
  notes: string;
  /** Whether files (kept or encrypted originals) come with the text. */
  hasFiles: boolean;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; code: 550 | 552 | 554; reason: string };

/** The languages the desk's pages speak (src/web/i18n/languages.ts); a report's language is one of them. */
const DESK_LANGUAGES = ['en', 'de'];

function body(t: MailText): Checked<string> {
  const text = cleanMailText(t.text);
  const notes = t.notes ? `\n\n${t.notes}` : '';
  if (!text && !t.hasFiles && !t.notes) return { ok: false, code: 554, reason: 'the mail has no text and no files: there is nothing to file' };
  const joined = `${text || '(The mail had no text.)'}${notes}`;
  if (joined.length > REPORT_LIMITS.description) {
    return { ok: false, code: 552, reason: `the text is longer than ${REPORT_LIMITS.description.toLocaleString('en')} characters; please send the details as an attached .txt file` };
  }
  return { ok: true, value: joined };
}

export function replyBody(t: MailText): Checked<string> {
  const b = body(t);
  if (!b.ok) return b;
  const parsed = messageBodySchema.safeParse(b.value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, code: 554, reason: `the message ${parsed.error.issues[0]?.message ?? 'is not valid'}` };
}

export function reportFields(policy: Policy, head: { subject: string | null; from: { address: string; name: string } | null; contentLanguage: string | null }, t: MailText): Checked<ReportFields> {
  const description = body(t);
  if (!description.ok) return description;
  const offered = [...new Set(policy.languages.map((l) => l.toLowerCase().split('-')[0]!).filter((l) => DESK_LANGUAGES.includes(l)))];
  const languages: [string, ...string[]] = offered.length ? [offered[0]!, ...offered.slice(1)] : ['en'];
  const wanted = head.contentLanguage?.toLowerCase().split(/[-,\s]/)[0] ?? '';
  // An unusable From is no address (the report is then anonymous, where the policy allows it).
  const address = head.from?.address && head.from.address.length <= REPORT_LIMITS.email && z.email().safeParse(head.from.address).success ? head.from.address : undefined;
  const schema = reportFieldsSchema({ images: policy.project.images.map((i) => i.name), languages, allowAnonymous: policy.reporting.allowAnonymous, creditOffered: policy.credit.offered });
  const parsed = schema.safeParse({
    title: titleFromSubject(head.subject),
    description: description.value,
    reporterName: head.from?.name ? cleanMailLine(head.from.name, REPORT_LIMITS.name) : undefined,
    reporterEmail: address,
    language: languages.includes(wanted) ? wanted : languages[0],
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') === 'reporterEmail' ? 'the From address' : (issue?.path.join('.') ?? 'the mail');
  return { ok: false, code: 550, reason: `${field}: ${issue?.message ?? 'is not valid'}` };
}
