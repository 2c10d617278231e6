import { hash, verify, type Options } from '@node-rs/argon2';
import { createLimit } from '../registry/limit.js';

/** OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): slow enough for a stolen table, quick enough for a login. */
// Algorithm is a const enum, which isolated modules cannot read: 2 is Algorithm.Argon2id.
const OPTIONS: Options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/**
 * One password hash at a time in this process: a burst of sign-ins (a flood the rate limits let
 * through up to their overall limit) queues here and takes at most one core, instead of all of
 * them, so the rest of the desk keeps answering. A hash takes tens of milliseconds.
 */
const oneAtATime = createLimit(1);

export const hashPassword = (password: string): Promise<string> => oneAtATime(() => hash(password, OPTIONS));

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await oneAtATime(() => verify(passwordHash, password));
  } catch {
    return false; // a malformed stored hash refuses, it does not crash the login
  }
}

let dummy: Promise<string> | null = null;
/**
 * Spends the same time as a real check when the e-mail is unknown, so the answer time does not
 * tell whether an account exists.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword('cvdesk dummy password for timing');
  await verifyPassword(await dummy, password);
  return false;
}
