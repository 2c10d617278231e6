import { z } from 'zod';
import type { Db } from '../adapters/db/open-database.js';
import type { User } from '../adapters/db/tables.js';
import { hashPassword } from '../adapters/crypto/passwords.js';
import { hashToken } from './tokens.js';
import { checkPassword, PASSWORD_MESSAGES } from '../domain/accounts/password-rules.js';

/** A problem with one field of a form, shown next to that field. */
export interface FieldProblem {
  field: string;
  message: string;
}

// Names are shown on every team page and in the audit log: no control characters, no line breaks.
const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Required.')
    .max(max, `At most ${max} characters.`)
    .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), 'Control characters are not allowed.');

export const nameSchema = plainText(100);
export const emailSchema = z.string().trim().max(254, 'At most 254 characters.').pipe(z.email('Enter an e-mail address.')).transform((e) => e.toLowerCase());

export const problemsOf = (error: z.ZodError): FieldProblem[] => error.issues.map((i) => ({ field: String(i.path[0] ?? 'form'), message: i.message }));

/** Checks name, e-mail and password of a new account; hashes the password when all is well. */
export async function prepareAccount(input: { name: unknown; email: unknown; password: unknown }): Promise<{ ok: true; name: string; email: string; passwordHash: string } | { ok: false; problems: FieldProblem[] }> {
  const parsed = z.object({ name: nameSchema, email: emailSchema, password: z.string() }).safeParse(input);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
  const { name, email, password } = parsed.data;
  const problem = checkPassword(password, { email, name });
  if (problem) return { ok: false, problems: [{ field: 'password', message: PASSWORD_MESSAGES[problem] }] };
  return { ok: true, name, email, passwordHash: await hashPassword(password) };
}

/**
 * Makes the account row. A removed member's row is brought back rather than duplicated (the
 * e-mail is unique and their past report events keep pointing at them), with a fresh password and
 * no second factor. Returns null when an active account already has this e-mail.
 */
export async function insertAccount(
  trx: Db,
  input: { id: string; email: string; name: string; role: User['role']; passwordHash: string },
  now: Date,
): Promise<{ id: string; reactivated: boolean } | null> {
  const existing = await trx.selectFrom('users').select(['id', 'removed_at']).where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase())).forUpdate().executeTakeFirst();
  if (existing && !existing.removed_at) return null;
  if (existing) {
    await trx
      .updateTable('users')
      .set({ name: input.name, role: input.role, password_hash: input.passwordHash, totp_secret: null, totp_enabled_at: null, totp_last_step: null, removed_at: null, last_active_at: now })
      .where('id', '=', existing.id)
      .execute();
    return { id: existing.id, reactivated: true };
  }
  await trx
    .insertInto('users')
    .values({ id: input.id, email: input.email, name: input.name, role: input.role, password_hash: input.passwordHash, totp_secret: null, totp_enabled_at: null, created_at: now, last_active_at: now })
    .execute();
  return { id: input.id, reactivated: false };
}

/**
 * Uses up a one-time link (an invitation or the first-admin setup link): a conditional update, so
 * that of two acceptances, even simultaneous ones, only one finds the row. Undefined when the link
 * is unknown, used or expired.
 */
export async function claimInvitation(trx: Db, token: string, now: Date) {
  return trx
    .updateTable('invitations')
    .set({ accepted_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['role', 'report_id', 'invited_by'])
    .executeTakeFirst();
}
