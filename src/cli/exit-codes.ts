import type { AppErrorCode } from '../app/errors.js';

/** 0: success; 1: the thing checked has problems; 2: the input could not be used at all. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;

export function exitCodeFor(code: AppErrorCode): number {
  switch (code) {
    case 'internal':
      return 70; // EX_SOFTWARE
    default:
      return EXIT_BAD_INPUT;
  }
}
