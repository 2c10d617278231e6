import { hash, verify, type Options } from '@node-rs/argon2';

/** OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): slow enough for a stolen table, quick enough for a login. */
// Algorithm is a const enum, which isolated modules cannot read: 2 is Algorithm.Argon2id.
const OPTIONS: Options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
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
