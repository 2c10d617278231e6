import { z } from 'zod';
import { SEVERITIES } from './schema-sla.js';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const ORDINALS: Record<string, number> = { '1st': 1, first: 1, '2nd': 2, second: 2, '3rd': 3, third: 3, '4th': 4, fourth: 4, '5th': 5, fifth: 5, last: -1 };

export interface WindowRule {
  weekday: (typeof WEEKDAYS)[number];
  nth: number[];
  time?: string;
}

/** Reads "2nd and 4th Wednesday of each month" (also "last Friday", "1st, 3rd Monday at 10:00"). */
export function parseWindowPhrase(text: string): WindowRule | null {
  const m = /^\s*(.+?)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?(?:\s+(?:of|in)\s+(?:each|every|the)\s+month)?(?:\s+at\s+(\d{2}:\d{2}))?\s*$/i.exec(text);
  if (!m) return null;
  const words = (m[1] ?? '').toLowerCase().split(/\s*(?:,|\band\b|&)\s*/).filter(Boolean);
  const nth = words.map((w) => ORDINALS[w]);
  if (nth.length === 0 || nth.some((n) => n === undefined)) return null;
  const rule: WindowRule = { weekday: (m[2] ?? '').toLowerCase() as WindowRule['weekday'], nth: [...new Set(nth as number[])].sort((a, b) => a - b) };
  if (m[3]) rule.time = m[3];
  return rule;
}

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM');

const windowObject = z.strictObject({
  weekday: z.enum(WEEKDAYS),
  nth: z.array(z.union([z.number().int().min(1).max(5), z.literal(-1)])).min(1),
  time: time.optional(),
});

const windowSchema = z
  .union([z.string(), windowObject])
  .transform((v, ctx): WindowRule => {
    if (typeof v !== 'string') return v;
    const r = parseWindowPhrase(v);
    if (r) return r;
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a window; write e.g. "2nd and 4th Wednesday of each month" or {weekday, nth: [2, 4]}` });
    return z.NEVER;
  });

export const releasesSchema = z.strictObject({
  /** Scheduled rebuilds that pick up base-image and OS package updates (Mautic: Monday 00:00 UTC). */
  rebuild: z
    .strictObject({
      cron: z.string().min(1),
      timeZone: z.string().default('UTC'),
      description: z.string().optional(),
    })
    .optional(),
  /** Security fixes ship in these windows (Mautic: 2nd and 4th Wednesday). Empty: with the next release. */
  securityWindows: z.array(windowSchema).default([]),
  outOfCycle: z
    .strictObject({
      /** Severities that justify a release outside the windows. */
      severities: z.array(z.enum(SEVERITIES)).default(['critical']),
      /** Who the team coordinates an out-of-cycle release with. */
      coordinateWith: z.string().optional(),
      description: z.string().optional(),
    })
    .optional(),
  announcements: z
    .strictObject({
      /** "with-release": fixes are announced alongside the new image builds. */
      timing: z.enum(['with-release', 'on-publish']).default('with-release'),
      includes: z.array(z.enum(['severity', 'affected-builds', 'remediation', 'credits', 'workarounds'])).default(['severity', 'affected-builds', 'remediation']),
      /** Tell users to move to the newest secure image. */
      encourageUpdate: z.boolean().default(true),
    })
    .prefault({}),
});
export type ReleasesPolicy = z.output<typeof releasesSchema>;
