import { z } from 'zod';
import { checkCron } from '../calendar/cron.js';
import { durationSchema, formatDuration, type PolicyDuration } from './duration.js';
import { STAGES, type Stage } from './schema-sla.js';

/**
 * When the team is reminded by mail. A stage's "due soon" mail goes out when its deadline is this
 * close: a share of the stage's own time ("25%": the last quarter of it) or a duration before the
 * deadline ("24 hours", "2 business days"). "Overdue" goes out when the deadline passes. The daily
 * digest goes out at a cron time in the policy's time zone.
 */
export type DueSoonThreshold = { share: number } | { before: PolicyDuration };

const SHARE = /^\s*(\d{1,3})\s*%\s*$/;

const thresholdSchema = z
  .union([z.string(), z.strictObject({ amount: z.number(), unit: z.string() })])
  .transform((v, ctx): DueSoonThreshold => {
    const share = typeof v === 'string' ? SHARE.exec(v) : null;
    if (share) {
      const n = Number(share[1]);
      if (n >= 1 && n <= 99) return { share: n / 100 };
      ctx.addIssue({ code: 'custom', message: `a share of the stage is between 1% and 99% (got "${v}")` });
      return z.NEVER;
    }
    const d = durationSchema.safeParse(v);
    if (d.success) return { before: d.data };
    ctx.addIssue({ code: 'custom', message: `"${typeof v === 'string' ? v : JSON.stringify(v)}" is neither a share ("25%") nor a duration ("24 hours", "2 business days")` });
    return z.NEVER;
  })
  .meta({ description: 'a share of the stage\'s time before its deadline ("25%") or a duration before it ("24 hours", "2 business days")' });

const cronOrOff = z
  .string()
  .transform((v, ctx): string | null => {
    if (v.trim().toLowerCase() === 'off') return null;
    const problem = checkCron(v);
    if (!problem) return v.trim();
    ctx.addIssue({ code: 'custom', message: `${problem} (or "off")` });
    return z.NEVER;
  })
  .meta({ description: 'a cron expression in the policy\'s time zone, e.g. "0 8 * * 1-5", or "off"' });

export const DEFAULT_DUE_SOON: DueSoonThreshold = { share: 0.25 };
export const DEFAULT_DIGEST_CRON = '0 8 * * *';

export const notificationsSchema = z
  .strictObject({
    /** For every stage: "25%" of the stage's time, or a duration before the deadline. */
    dueSoon: thresholdSchema.default(DEFAULT_DUE_SOON),
    /** Per stage, overriding dueSoon (e.g. acknowledge: 4 hours). */
    stages: z.partialRecord(z.enum(STAGES), thresholdSchema).default({}),
    /** The team's daily digest: when it goes out (cron, policy time zone), or "off". */
    digest: cronOrOff.default(DEFAULT_DIGEST_CRON),
  })
  .prefault({});
export type NotificationsPolicy = z.output<typeof notificationsSchema>;

/** The threshold that applies to a stage. */
export const dueSoonOf = (n: NotificationsPolicy, stage: Stage): DueSoonThreshold => n.stages[stage] ?? n.dueSoon;

/** "25% of the stage's time" or "24 hours", for pages and summaries. */
export const describeThreshold = (t: DueSoonThreshold): string => ('share' in t ? `${Math.round(t.share * 100)}% of the stage's time` : formatDuration(t.before));
