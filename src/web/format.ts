import { DateTime } from 'luxon';

/** An instant as people read it, in the policy's time zone: "Mon 23 Nov 2026, 11:00 CET". */
export function formatInstant(d: Date, timeZone: string, lang = 'en'): string {
  return DateTime.fromJSDate(d, { zone: timeZone }).setLocale(lang === 'de' ? 'de-DE' : 'en-GB').toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
}

/** A span of time in words: "3 h", "2 days", "45 min". */
export function formatSpan(ms: number, lang = 'en'): string {
  const abs = Math.abs(ms);
  const de = lang === 'de';
  if (abs < 3_600_000) return `${Math.max(1, Math.round(abs / 60_000))} min`;
  if (abs < 48 * 3_600_000) return `${Math.round(abs / 3_600_000)} h`;
  const days = Math.round(abs / 86_400_000);
  return de ? `${days} Tage` : `${days} days`;
}

/** "in 3 h" or "3 h overdue", relative to now. */
export function relativeTo(deadline: Date, now: Date, lang = 'en'): string {
  const ms = deadline.getTime() - now.getTime();
  const span = formatSpan(ms, lang);
  if (lang === 'de') return ms >= 0 ? `in ${span}` : `${span} überfällig`;
  return ms >= 0 ? `in ${span}` : `${span} overdue`;
}
