/**
 * When the team is reminded of a security window: from `releases.remindBeforeWindow` before it
 * (e.g. 2 business days: a reminder on Saturday or Monday for a Wednesday 00:00 window leaves
 * Monday and Tuesday to prepare) until the window's day is over, so a desk that was down during
 * the lead time still reminds on the day itself. Pure: "now" is an argument.
 */
import { addDuration, type ReleaseWindow } from '../calendar/index.js';
import type { Policy } from '../policy/schema.js';
import { calendarOf } from '../reports/sla-plan.js';
import { currentWindow } from './release-plan.js';

/** The window the team should be reminded of now, or null (no windows, or the next one is further off). */
export function windowToRemindOf(policy: Policy, now: Date): ReleaseWindow | null {
  const w = currentWindow(policy, now);
  if (!w) return null;
  const horizon = addDuration(now, policy.releases.remindBeforeWindow, calendarOf(policy));
  return horizon.getTime() >= w.start.getTime() ? w : null;
}
