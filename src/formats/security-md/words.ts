import type { PolicyDuration } from '../../domain/policy/duration.js';
import { formatDuration } from '../../domain/policy/duration.js';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const ORDINAL: Record<number, string> = { 1: '1st', 2: '2nd', 3: '3rd', 4: '4th', 5: '5th', [-1]: 'last' };

export const duration = (d: PolicyDuration): string => formatDuration(d);

/** "a, b and c" */
export function list(items: string[], conj = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conj} ${items[items.length - 1]}`;
}

export const ordinals = (nth: number[]): string => list(nth.map((n) => ORDINAL[n] ?? `${n}th`));

export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Says the common cron shapes in words ("every Monday at 00:00 UTC"); others are quoted as they are. */
export function cronInWords(cron: string, timeZone: string): string {
  const f = cron.trim().split(/\s+/);
  const tz = timeZone === 'UTC' || timeZone === 'Etc/UTC' ? 'UTC' : `(${timeZone} time)`;
  if (f.length === 5 && /^\d+$/.test(f[0] ?? '') && /^\d+$/.test(f[1] ?? '') && f[3] === '*') {
    const at = `${(f[1] ?? '').padStart(2, '0')}:${(f[0] ?? '').padStart(2, '0')} ${tz}`;
    const [dom, dow] = [f[2], f[4]];
    if (dom === '*' && dow === '*') return `every day at ${at}`;
    if (dom === '*' && /^[0-7](,[0-7])*$/.test(dow ?? '')) {
      return `every ${list((dow ?? '').split(',').map((d) => DAY_NAMES[Number(d)] ?? d))} at ${at}`;
    }
    if (/^\d+$/.test(dom ?? '') && dow === '*') return `on day ${dom} of each month at ${at}`;
  }
  return `on the schedule \`${cron}\` ${tz}`;
}
