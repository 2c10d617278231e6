export type DurationUnit = 'hours' | 'calendar_days' | 'business_days';
/** amount: positive integer */
export interface Duration {
  amount: number;
  unit: DurationUnit;
}
export interface BusinessCalendar {
  /** IANA, e.g. 'Europe/Berlin', 'UTC' */
  timeZone: string;
  /** date-holidays country[-state[-region]]: 'DE', 'DE-BE', 'US-CA', 'GB-ENG'; only type 'public' holidays count */
  holidayRegion?: string;
  /** ISO weekdays 1=Mon..7=Sun, default [1,2,3,4,5] */
  workdays?: number[];
  /** 'YYYY-MM-DD' local dates the team does not work (e.g. company days) */
  extraHolidays?: string[];
}
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
export interface ReleaseWindowRule {
  weekday: Weekday;
  /** 1..5, -1 = last */
  nth: number[];
  /** 'HH:MM' local; default '00:00' (the window opens when its day begins) */
  time?: string;
}
/** 5-field cron, e.g. '0 0 * * 1' in UTC = Monday 00:00 UTC */
export interface CronSchedule {
  cron: string;
  timeZone: string;
}
