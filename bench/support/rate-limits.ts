import type { LoadResult } from './load.js';

/** High enough that no benchmark run reaches it. */
const UNLIMITED = String(1_000_000_000);

/**
 * The environment that lifts the desk's limits on report submission for an intake benchmark: every
 * request comes from 127.0.0.1, so the per-address limit would answer 429 after a handful. Both the
 * per-address and the overall limit are lifted (CVDESK_LIMIT_SUBMIT_*, src/config.ts).
 */
export const INTAKE_LIMITS_ENV: Record<string, string> = { CVDESK_LIMIT_SUBMIT_PER_ADDRESS: UNLIMITED, CVDESK_LIMIT_SUBMIT_OVERALL: UNLIMITED };

/** What the results say about the limits: lifted, or (429 answers) a desk that did not take the setting. */
export function limitsNote(r: LoadResult): string {
  return r.statuses['429']
    ? `the desk answered 429 (rate limited) although CVDESK_LIMIT_SUBMIT_PER_ADDRESS/_OVERALL were set: this build does not lift its submit limit, so ops/s is not its intake rate`
    : 'submit rate limits lifted (CVDESK_LIMIT_SUBMIT_PER_ADDRESS/_OVERALL)';
}
