import { z } from 'zod';
import { durationSchema } from './duration.js';
import { SEVERITIES } from './schema-sla.js';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const ORDINALS: Record<string, number> = { '1st': 1, first: 1, '2nd': 2, second: 2, '3rd': 3, third: 3, '4th': 4, fourth: 4, '5th': 5, fifth: 5, last: -1 };

export interface WindowRule {
  weekday: (typeof WEEKDAYS)[number];
  nth: number[];
  time?: string;
}

const MAX_WINDOW_PHRASE = 200;

/** Reads "2nd and 4th Wednesday of each month" (also "last Friday", "1st, 3rd Monday at 10:00"). */
export function parseWindowPhrase(text: string): WindowRule | null {
  // Bounded and trimmed first: on a long run of spaces the pattern's three whitespace groups took cubic time (100 s for 4,000 spaces; found by the fuzz tests).
  if (text.length > MAX_WINDOW_PHRASE) return null;
  const m = /^(\S.*?)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?(?:\s+(?:of|in)\s+(?:each|every|the)\s+month)?(?:\s+at\s+(\d{2}:\d{2}))?$/i.exec(text.trim());
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

/** An API endpoint: https, or plain http only on a loopback address (a CI server on the same host). */
const apiUrl = z.url({ protocol: /^https?$/ }).refine((u) => {
  const url = new URL(u);
  return url.protocol === 'https:' || /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname);
}, 'must be an https:// URL (plain http only on a loopback address)');

const stringMap = z.record(z.string(), z.string());

/**
 * How the rebuild job starts the project's CI. The secret (GitHub token, GitLab trigger token,
 * webhook HMAC key) is not in the policy: it comes from CVDESK_REBUILD_TOKEN.
 */
export const rebuildTriggerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    /** GitHub Actions workflow_dispatch: POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches */
    type: z.literal('github-workflow'),
    repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/repository'),
    /** The workflow file name (rebuild.yml) or its numeric id. */
    workflow: z.string().min(1),
    ref: z.string().min(1).default('main'),
    inputs: stringMap.default({}),
    apiUrl: apiUrl.default('https://api.github.com'),
  }),
  z.strictObject({
    /** GitHub repository_dispatch: POST /repos/{owner}/{repo}/dispatches */
    type: z.literal('github-dispatch'),
    repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/repository'),
    eventType: z.string().min(1).max(100).default('cvdesk-rebuild'),
    apiUrl: apiUrl.default('https://api.github.com'),
  }),
  z.strictObject({
    /** GitLab pipeline trigger: POST /api/v4/projects/{id}/trigger/pipeline */
    type: z.literal('gitlab-pipeline'),
    /** Numeric id or full path (group/project). */
    project: z.string().min(1),
    ref: z.string().min(1).default('main'),
    variables: stringMap.default({}),
    apiUrl: apiUrl.default('https://gitlab.com'),
  }),
  z.strictObject({
    /** A generic webhook: JSON POST signed with HMAC-SHA256 of the body (X-Cvdesk-Signature-256: sha256=<hex>). */
    type: z.literal('webhook'),
    url: apiUrl,
  }),
]);
export type RebuildTrigger = z.output<typeof rebuildTriggerSchema>;

export const releasesSchema = z.strictObject({
  /** Scheduled rebuilds that pick up base-image and OS package updates (Mautic: Monday 00:00 UTC). */
  rebuild: z
    .strictObject({
      cron: z.string().min(1),
      timeZone: z.string().default('UTC'),
      description: z.string().optional(),
      /** "always": trigger CI on every scheduled run (Mautic rebuilds every Monday); "drift": only when a supported tag's base image moved. */
      when: z.enum(['always', 'drift']).default('always'),
      trigger: rebuildTriggerSchema.optional(),
    })
    .optional(),
  /** The team is reminded this long before a security window of the reports planned for it. */
  remindBeforeWindow: durationSchema.default({ amount: 2, unit: 'business_days' }),
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
