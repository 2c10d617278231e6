/**
 * The one fault type. Expected outcomes are return values; an AppError is a fault the caller
 * cannot continue past. Each entry point maps `code` to its own answer in exactly one place
 * (CLI: src/cli/exit-codes.ts, HTTP: src/web/errors.ts).
 */
export type AppErrorCode =
  | 'invalid_input' // the user gave something unusable: a bad flag, a malformed file
  | 'invalid_policy' // a policy file failed validation
  | 'not_found' // a file, URL or record that was asked for does not exist
  | 'unreadable' // input could not be read (I/O, network, TLS, size, timeout)
  | 'unauthenticated' // no valid session or token
  | 'forbidden' // authenticated, but this role may not
  | 'conflict' // the record changed state in between, or already exists
  | 'too_large' // a body or attachment over its limit
  | 'rate_limited' // too many attempts; try later
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
