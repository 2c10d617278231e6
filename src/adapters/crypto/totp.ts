import { generate, generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 defaults that every authenticator app understands: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD = 30;

export const newTotpSecret = (): string => generateSecret({ length: 20 });

export const totpUri = (secret: string, issuer: string, account: string): string => generateURI({ issuer, label: account, secret, period: TOTP_PERIOD });

export const totpCode = (secret: string, at: Date): Promise<string> => generate({ secret, epoch: Math.floor(at.getTime() / 1000), period: TOTP_PERIOD });

/**
 * Checks a code at `at`, allowing one step of clock drift either way. `afterStep` is the last step
 * already used: that step and older ones are refused (no replay). Returns the step that matched.
 */
export async function checkTotp(secret: string, code: string, at: Date, afterStep: number | null): Promise<{ valid: true; step: number } | { valid: false }> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return { valid: false };
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(at.getTime() / 1000),
    period: TOTP_PERIOD,
    epochTolerance: TOTP_PERIOD,
    ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
  });
  // The union type also covers HOTP results, which have no time step.
  return result.valid && 'timeStep' in result ? { valid: true, step: result.timeStep } : { valid: false };
}
