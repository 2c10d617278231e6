import { z } from 'zod';

export const DURATION_UNITS = ['hours', 'calendar_days', 'business_days'] as const;
export type PolicyDurationUnit = (typeof DURATION_UNITS)[number];
export interface PolicyDuration {
  amount: number;
  unit: PolicyDurationUnit;
}

const UNIT_WORDS: Array<[RegExp, PolicyDurationUnit, number]> = [
  [/^(h|hrs?|hours?)$/, 'hours', 1],
  [/^(business|working|work)[ _-]?days?$|^bd$/, 'business_days', 1],
  [/^(calendar[ _-]?)?days?$|^d$/, 'calendar_days', 1],
  [/^weeks?$|^w$/, 'calendar_days', 7],
];

/** Reads "24 hours", "7 business days", "10 calendar days", "1 week"; null when it is none of those. */
export function parseDuration(text: string): PolicyDuration | null {
  const m = /^\s*(\d{1,4})\s*([a-z _-]+?)\s*$/i.exec(text);
  if (!m) return null;
  const amount = Number(m[1]);
  const word = (m[2] ?? '').toLowerCase();
  for (const [re, unit, factor] of UNIT_WORDS) {
    if (re.test(word)) return amount > 0 ? { amount: amount * factor, unit } : null;
  }
  return null;
}

export function formatDuration(d: PolicyDuration): string {
  const n = d.amount;
  switch (d.unit) {
    case 'hours':
      return `${n} hour${n === 1 ? '' : 's'}`;
    case 'calendar_days':
      return n % 7 === 0 && n > 0 ? `${n / 7} week${n === 7 ? '' : 's'}` : `${n} calendar day${n === 1 ? '' : 's'}`;
    case 'business_days':
      return `${n} business day${n === 1 ? '' : 's'}`;
  }
}

const durationObject = z.strictObject({
  amount: z.number().int().positive().max(10_000),
  unit: z.enum(DURATION_UNITS),
});

/** A duration as a phrase ("7 business days") or as { amount, unit }. */
export const durationSchema = z
  .union([z.string(), durationObject])
  .transform((v, ctx): PolicyDuration => {
    if (typeof v !== 'string') return v;
    const d = parseDuration(v);
    if (d) return d;
    ctx.addIssue({
      code: 'custom',
      message: `"${v}" is not a duration; write e.g. "24 hours", "7 business days", "10 calendar days" or "1 week"`,
    });
    return z.NEVER;
  })
  .meta({ description: 'e.g. "24 hours", "7 business days", "10 calendar days", "1 week", or {amount, unit}' });
