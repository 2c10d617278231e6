/**
 * When a report may leave the window schedule: its severity is one the policy names for
 * out-of-cycle releases (Mautic: critical), or a team member marks it urgent. Either way the
 * decision needs a reason, so that whoever reads the plan later knows why.
 */
import type { Policy } from '../policy/schema.js';
import type { Severity } from '../policy/schema-sla.js';

export type OutOfCycleBasis = 'severity' | 'urgent';

export const REASON_MAX_LENGTH = 2000;

/** The severities the policy names for out-of-cycle releases; none when it has no out-of-cycle rule. */
export const outOfCycleSeverities = (p: Policy): readonly Severity[] => p.releases.outOfCycle?.severities ?? [];

export function decideOutOfCycle(policy: Policy, input: { severity: string | null; urgent: boolean; reason: string }): { ok: true; basis: OutOfCycleBasis; reason: string } | { ok: false; field: 'reason' | 'urgent'; reason: string } {
  const reason = input.reason.trim();
  if (reason === '') return { ok: false, field: 'reason', reason: 'say why: an out-of-cycle decision is recorded with its reason' };
  if (reason.length > REASON_MAX_LENGTH) return { ok: false, field: 'reason', reason: `the reason is at most ${REASON_MAX_LENGTH} characters` };
  const severities = outOfCycleSeverities(policy);
  if (input.severity && (severities as readonly string[]).includes(input.severity)) return { ok: true, basis: 'severity', reason };
  if (input.urgent) return { ok: true, basis: 'urgent', reason };
  const rated = input.severity ? `a ${input.severity} report` : 'an unrated report';
  const rule = severities.length > 0 ? `the policy releases ${severities.join(' and ')} reports out of cycle` : 'the policy names no severity for out-of-cycle releases';
  return { ok: false, field: 'urgent', reason: `${rated} stays in the windows unless it is marked urgent (${rule})` };
}

/** Moving a report back into the windows needs a reason too. */
export function decideBackInCycle(input: { reason: string }): { ok: true; reason: string } | { ok: false; field: 'reason'; reason: string } {
  const reason = input.reason.trim();
  if (reason === '') return { ok: false, field: 'reason', reason: 'say why: moving a report back into the windows is recorded with its reason' };
  if (reason.length > REASON_MAX_LENGTH) return { ok: false, field: 'reason', reason: `the reason is at most ${REASON_MAX_LENGTH} characters` };
  return { ok: true, reason };
}
