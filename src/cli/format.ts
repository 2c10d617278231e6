/** An instant as ISO 8601 UTC without milliseconds: 2026-11-30T00:00:00Z. */
export const isoInstant = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** An instant on a local wall clock: "Mon 2026-11-30 01:00 (Europe/Berlin)". */
export function localTime(d: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${timeZone})`;
}
