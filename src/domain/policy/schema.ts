import { z } from 'zod';
import { contactSchema, httpsUrl, openpgpSchema, scopeSchema } from './schema-contacts.js';
import { notificationsSchema } from './schema-notifications.js';
import { releasesSchema } from './schema-releases.js';
import { slaSchema } from './schema-sla.js';
import { durationSchema } from './duration.js';
import { mailIntakeSchema } from './schema-mail-intake.js';

/** RFC 5646 language tag, in the simple form security.txt and the desk's UI use ("en", "de", "pt-BR"). */
const language = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a language tag such as "en", "de" or "pt-BR"');

const DEFAULT_PRERELEASE_MARKERS = ['alpha', 'beta', 'rc', 'dev', 'preview', 'pre', 'snapshot', 'nightly'];

const projectSchema = z.strictObject({
  name: z.string().min(1),
  url: httpsUrl,
  description: z.string().optional(),
  goals: z.array(z.string().min(1)).default([]),
  /** The image repositories the desk watches, e.g. docker.io/mautic/mautic. */
  images: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+$/, 'must be a full repository name such as docker.io/mautic/mautic'),
        source: httpsUrl.optional(),
        description: z.string().optional(),
      }),
    )
    .default([]),
});

const teamSchema = z
  .strictObject({
    name: z.string().min(1).default('Security Team'),
    membership: z
      .strictObject({
        requirements: z.array(z.string().min(1)).default([]),
        /** A member with no activity for this many days is flagged for the admins to review. */
        inactivityDays: z.number().int().positive().optional(),
        joinUrl: httpsUrl.optional(),
      })
      .prefault({}),
  })
  .prefault({});

const tagsSchema = z
  .strictObject({
    variants: z.array(z.string().regex(/^[a-z0-9][a-z0-9._]*$/i)).default([]),
    prereleaseMarkers: z.array(z.string().min(1)).default(DEFAULT_PRERELEASE_MARKERS),
    rollingAliases: z.array(z.string().min(1)).default(['latest']),
    buildPatterns: z
      .array(z.string().refine((p) => p.includes('{ts}') || p.includes('{sha}'), 'a build pattern needs {sha} or {ts}, e.g. "main-{sha}-{ts}"'))
      .default(['main-{sha}-{ts}']),
  })
  .prefault({});

const supportSchema = z
  .strictObject({
    supportedMajors: z.union([z.literal('all'), z.array(z.number().int().nonnegative()).min(1)]).default('all'),
    latestMinorOnly: z.boolean().default(false),
    prereleases: z.boolean().default(false),
    buildTags: z.enum(['newest', 'all', 'none']).default('none'),
    /** Whether fixed images are pushed under existing version tags: OZG rebuilds old tags only for severe issues. */
    rebuildExistingTags: z.enum(['always', 'severe-only', 'never']).default('always'),
  })
  .prefault({});

const disclosureSchema = z
  .strictObject({
    /** Nothing is public until a fixed release exists. */
    privateUntilFixed: z.boolean().default(true),
    /** The longest the team keeps an issue private; a warning goes out before it runs out. */
    maxEmbargoDays: z.number().int().positive().max(365).default(90),
    warnBeforeDays: z.number().int().positive().default(14),
    /** When a finished advisory goes public. */
    publish: z.enum(['next-security-window', 'with-release', 'immediately']).default('with-release'),
    /** The upstream process this policy follows, if any (Mautic: the core team's process). */
    followsProcessOf: z.strictObject({ name: z.string().min(1), url: httpsUrl }).optional(),
    statements: z.array(z.string().min(1)).default([]),
  })
  .prefault({});

const creditSchema = z
  .strictObject({
    offered: z.boolean().default(true),
    /** What the desk does when the reporter has not said: ask them, or credit nobody. */
    default: z.enum(['ask', 'anonymous']).default('ask'),
  })
  .prefault({});

const securityTxtSchema = z.strictObject({
  /** Where the file is served; each becomes a Canonical line. */
  canonical: z.array(httpsUrl).min(1),
  /** Expires is set this far after rendering. RFC 9116 advises less than a year. */
  expiresAfter: durationSchema.default({ amount: 180, unit: 'calendar_days' }),
  /** The desk warns (and re-signs, with a key) this long before Expires. */
  renewBefore: durationSchema.default({ amount: 30, unit: 'calendar_days' }),
  policy: httpsUrl.optional(),
  acknowledgments: httpsUrl.optional(),
  hiring: httpsUrl.optional(),
  csaf: httpsUrl.optional(),
});

export const policySchema = z
  .strictObject({
    version: z.literal(1, { error: 'version must be 1' }),
    project: projectSchema,
    team: teamSchema,
    languages: z.array(language).min(1).default(['en']),
    contacts: z.array(contactSchema).min(1, 'name at least one way to report'),
    openpgp: openpgpSchema.optional(),
    mailIntake: mailIntakeSchema,
    reporting: z
      .strictObject({
        /** Steps the reporter should follow, shown on the form and in SECURITY.md. */
        guidelines: z.array(z.string().min(1)).default([]),
        allowAnonymous: z.boolean().default(true),
      })
      .prefault({}),
    scope: scopeSchema,
    sla: slaSchema,
    calendar: z
      .strictObject({
        timeZone: z.string().default('UTC'),
        /** date-holidays region: "DE", "DE-BE", "US-CA". */
        holidayRegion: z.string().optional(),
        workdays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
        extraHolidays: z.array(z.iso.date()).default([]),
      })
      .prefault({}),
    releases: releasesSchema.prefault({}),
    tags: tagsSchema,
    support: supportSchema,
    disclosure: disclosureSchema,
    credit: creditSchema,
    securityTxt: securityTxtSchema,
    notifications: notificationsSchema,
  })
  .superRefine((p, ctx) => {
    const mailboxes = p.contacts.filter((c) => c.type === 'email');
    if (mailboxes.some((c) => c.encryption) && !p.openpgp) {
      ctx.addIssue({ code: 'custom', path: ['openpgp'], message: 'an encrypted e-mail contact needs the desk key: add openpgp.keyUrl and openpgp.fingerprint' });
    }
  });

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
