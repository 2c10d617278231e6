import { checkCron, checkHolidayRegion, checkTimeZone } from '../calendar/index.js';
import type { Policy } from './schema.js';

export interface SemanticProblem {
  path: PropertyKey[];
  message: string;
}

/** Checks that need more than the schema: time zones, holiday regions, cron expressions, cross references. */
export function checkPolicySemantics(p: Policy): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const add = (path: PropertyKey[], message: string | null) => message && problems.push({ path, message });
  add(['calendar', 'timeZone'], checkTimeZone(p.calendar.timeZone));
  if (p.calendar.holidayRegion) add(['calendar', 'holidayRegion'], checkHolidayRegion(p.calendar.holidayRegion));
  if (p.releases.rebuild) {
    add(['releases', 'rebuild', 'cron'], checkCron(p.releases.rebuild.cron));
    add(['releases', 'rebuild', 'timeZone'], checkTimeZone(p.releases.rebuild.timeZone));
  }
  const usesWindows = (['acknowledge', 'triage', 'fix', 'patch'] as const).some((s) => p.sla[s]?.target === 'next-security-window');
  if ((usesWindows || p.disclosure.publish === 'next-security-window') && p.releases.securityWindows.length === 0) {
    add(['releases', 'securityWindows'], 'the policy ships fixes in the next security window, but names no windows (e.g. "2nd and 4th Wednesday of each month")');
  }
  const prefLanguages = new Set(p.languages.map((l) => l.toLowerCase()));
  if (prefLanguages.size !== p.languages.length) add(['languages'], 'lists a language twice');
  return problems;
}
