import type { Db } from '../adapters/db/open-database.js';
import type { User } from '../adapters/db/tables.js';
import { hashToken, newToken } from './tokens.js';

/**
 * The team's sessions, kept in the database so that every desk process sees the same ones and a
 * removal ends them at once. The browser holds a random token; the table holds only its hash.
 */
export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
/** A password-only session waiting for the TOTP code lives just long enough to type it. */
export const CODE_STEP_MS = 10 * 60_000;
/** Activity is written at most this often, so that reading a page is not a write every time. */
export const ACTIVITY_RESOLUTION_MS = 60_000;

export type Role = User['role'];

/**
 * full: signed in. code_needed: the password was right, the TOTP code is still due.
 * enrolment_needed: an admin without TOTP, who may only reach the account page to set it up.
 */
export type SessionStage = 'full' | 'code_needed' | 'enrolment_needed';

export interface ResolvedSession {
  sessionId: string;
  stage: SessionStage;
  expiresAt: Date;
  user: { id: string; name: string; email: string; role: Role };
}

export async function createSession(trx: Db, input: { userId: string; secondFactor: boolean; codePending?: boolean; now: Date }): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const { token, hash } = newToken();
  const expiresAt = new Date(input.now.getTime() + (input.codePending ? CODE_STEP_MS : SESSION_MAX_MS));
  await trx
    .insertInto('sessions')
    .values({
      id_hash: hash,
      user_id: input.userId,
      // The forms use the cookie-bound token of @fastify/csrf-protection; this per-session value is
      // random so that the column never holds something guessable.
      csrf_token: newToken().hash,
      second_factor: input.secondFactor,
      created_at: input.now,
      last_seen_at: input.now,
      expires_at: expiresAt,
    })
    .execute();
  return { token, sessionId: hash, expiresAt };
}

export const stageOf = (user: Pick<User, 'role' | 'totp_enabled_at'>, secondFactor: boolean): SessionStage =>
  user.totp_enabled_at && !secondFactor ? 'code_needed' : user.role === 'admin' && !user.totp_enabled_at ? 'enrolment_needed' : 'full';

/**
 * The session behind a cookie token, or null when there is none, it expired (absolute or idle),
 * or its user was removed. Expired sessions are deleted on sight.
 */
export async function resolveSession(db: Db, token: string, now: Date): Promise<ResolvedSession | null> {
  if (!token || token.length > 100) return null;
  const idHash = hashToken(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id_hash', 'sessions.second_factor', 'sessions.last_seen_at', 'sessions.expires_at', 'users.id', 'users.name', 'users.email', 'users.role', 'users.totp_enabled_at', 'users.removed_at'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return null;
  const idle = now.getTime() - row.last_seen_at.getTime() > SESSION_IDLE_MS;
  if (row.removed_at || idle || row.expires_at.getTime() <= now.getTime()) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  const stage = stageOf(row, row.second_factor);
  if (now.getTime() - row.last_seen_at.getTime() >= ACTIVITY_RESOLUTION_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
    // Only a signed-in member is "active"; a half-finished sign-in is not activity.
    if (stage === 'full') await db.updateTable('users').set({ last_active_at: now }).where('id', '=', row.id).execute();
  }
  return { sessionId: idHash, stage, expiresAt: row.expires_at, user: { id: row.id, name: row.name, email: row.email, role: row.role } };
}

export const deleteSession = (db: Db, sessionId: string) => db.deleteFrom('sessions').where('id_hash', '=', sessionId).execute();
