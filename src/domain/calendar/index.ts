export type { BusinessCalendar, CronSchedule, Duration, DurationUnit, ReleaseWindowRule, Weekday } from './types.js';
export { addDuration, businessDaysBetween } from './business-days.js';
export { checkHolidayRegion, holidaysBetween, isBusinessDay } from './holidays.js';
export { checkTimeZone } from './zone.js';
export { pausedDeadline, remainingUntil, slaDeadlines, type Pause, type Remaining } from './sla.js';
export { checkReleaseWindowRule, nextReleaseWindows, windowFor, type ReleaseWindow } from './release-windows.js';
export { checkCron, checkCronSchedule, nextCronRuns, previousCronRun } from './cron.js';
