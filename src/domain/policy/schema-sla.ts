import { z } from 'zod';
import { durationSchema, type PolicyDuration } from './duration.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STAGES = ['acknowledge', 'triage', 'fix', 'patch'] as const;
export type Stage = (typeof STAGES)[number];

/** What a stage's clock counts from. The calendar assumes each earlier stage ends at its own deadline. */
export const ANCHORS = ['received', 'acknowledged', 'triaged', 'fixed'] as const;
export type Anchor = (typeof ANCHORS)[number];

/** A stage that ends in the next security release window rather than after a fixed time. */
export const NEXT_WINDOW = 'next-security-window' as const;
export type StageTarget = PolicyDuration | typeof NEXT_WINDOW;

export interface SlaStage {
  target: StageTarget;
  bySeverity: Partial<Record<Severity, PolicyDuration>>;
  from: Anchor;
  /** acknowledge only: the automatic receipt e-mail counts as the acknowledgement. */
  automatic: boolean;
}

const DEFAULT_ANCHOR: Record<Stage, Anchor> = { acknowledge: 'received', triage: 'received', fix: 'received', patch: 'fixed' };

const targetSchema = z.union([z.literal(NEXT_WINDOW), durationSchema]);

const stageObject = z.strictObject({
  target: targetSchema,
  bySeverity: z.partialRecord(z.enum(SEVERITIES), durationSchema).optional(),
  from: z.enum(ANCHORS).optional(),
  automatic: z.boolean().optional(),
});

const stageSchema = (stage: Stage) =>
  z.union([targetSchema, stageObject]).transform((v): SlaStage => {
    const o = typeof v === 'object' && 'target' in v ? v : { target: v };
    return {
      target: o.target,
      bySeverity: ('bySeverity' in o && o.bySeverity) || {},
      from: ('from' in o && o.from) || DEFAULT_ANCHOR[stage],
      automatic: ('automatic' in o && o.automatic) || false,
    };
  });

export const slaSchema = z
  .strictObject({
    acknowledge: stageSchema('acknowledge').optional(),
    triage: stageSchema('triage').optional(),
    fix: stageSchema('fix').optional(),
    patch: stageSchema('patch').optional(),
    /** "promise": a missed deadline is a breach. "best-effort": the policy says it will endeavour to. */
    commitment: z.enum(['promise', 'best-effort']).default('promise'),
    /** Waiting on the reporter stops the triage clock until they answer. */
    pauseTriageWhileWaitingOnReporter: z.boolean().default(true),
    /** When "due soon" reminders go out, before each deadline. */
    dueSoonBefore: durationSchema.default({ amount: 24, unit: 'hours' }),
  })
  .superRefine((sla, ctx) => {
    const has = (s: Stage) => sla[s] !== undefined;
    const anchorStage: Partial<Record<Anchor, Stage>> = { acknowledged: 'acknowledge', triaged: 'triage', fixed: 'fix' };
    for (const stage of STAGES) {
      const s = sla[stage];
      if (!s) continue;
      const needed = anchorStage[s.from];
      if (needed && (!has(needed) || STAGES.indexOf(needed) >= STAGES.indexOf(stage))) {
        ctx.addIssue({ code: 'custom', path: [stage, 'from'], message: `counts from "${s.from}", which needs an earlier "${needed}" stage in the policy` });
      }
      if (s.target === NEXT_WINDOW && Object.keys(s.bySeverity).length > 0) {
        ctx.addIssue({ code: 'custom', path: [stage, 'bySeverity'], message: 'a stage that ends in the next security window has no per-severity times' });
      }
    }
  });
export type SlaPolicy = z.output<typeof slaSchema>;
