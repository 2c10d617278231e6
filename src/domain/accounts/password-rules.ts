/**
 * What a team password must be: long rather than clever (NIST SP 800-63B): at least 12
 * characters, not one of the passwords every guessing list starts with, not the account's own
 * e-mail or name. An upper bound keeps a hash request from becoming a denial of service.
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** Common passwords of 12+ characters (from public breach top lists), compared case-insensitively. */
const DENY = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'qwertyuiop12',
  'qwertyuiopas',
  'qwerty123456',
  'qwertyuiop123',
  'asdfghjkl123',
  'password1234',
  'password12345',
  'password123!',
  'passwordpassword',
  'passw0rd1234',
  'iloveyou1234',
  'letmein12345',
  'welcome12345',
  'welcome123456',
  'changeme1234',
  'administrator',
  'admin1234567',
  'abc123456789',
  'abcdefghijkl',
  'trustno1trustno1',
  'football1234',
  'baseball1234',
  'monkey123456',
  'dragon123456',
  'sunshine1234',
  'princess1234',
  'superman1234',
  'security1234',
  'correcthorsebatterystaple',
]);

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'personal';

export const PASSWORD_MESSAGES: Record<PasswordProblem, string> = {
  too_short: `Use at least ${PASSWORD_MIN} characters; a few unrelated words make a good one.`,
  too_long: `Use at most ${PASSWORD_MAX} characters.`,
  common: 'This password is on every list attackers try first; choose another.',
  personal: 'The password must not be your e-mail address or your name.',
};

export function checkPassword(password: string, about: { email?: string | null; name?: string | null } = {}): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'too_short';
  if (length > PASSWORD_MAX) return 'too_long';
  const lower = password.toLowerCase();
  if (DENY.has(lower) || /^(.)\1+$/u.test(password)) return 'common';
  const personal = [about.email, about.email?.split('@')[0], about.name].filter((p): p is string => !!p && p.length >= 4).map((p) => p.toLowerCase());
  if (personal.some((p) => lower === p || lower.replace(/[\d\W_]+$/u, '') === p)) return 'personal';
  return null;
}
