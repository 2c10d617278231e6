import { z } from 'zod';

/** The answer of GET /api/v1/images/<repository>/tags/<tag>/status; the route sends what this parses. */
export const tagAdvisorySchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.enum(['low', 'medium', 'high', 'critical']).nullable(),
  url: z.string().nullable().meta({ description: 'Where the advisory is published' }),
});

export const tagStatusSchema = z
  .object({
    tag: z.string(),
    kind: z.enum(['release', 'prerelease', 'rolling', 'build', 'unknown']),
    digest: z.string().nullable().meta({ description: 'The digest the tag points to (an index digest for a multi-arch image)' }),
    receivesAdvisories: z.boolean().meta({ description: "Whether the tag receives security advisories under the project's support rule" }),
    advisories: z.array(tagAdvisorySchema).meta({ description: 'The published advisories that affect the tag' }),
    moveTo: z.string().nullable().meta({ description: 'The newest supported release of the same variant (same major first); null when there is none' }),
    reason: z.string().meta({ description: 'One sentence saying why the tag does or does not receive advisories' }),
    pointsTo: z.string().nullable().optional().meta({ description: 'Rolling tags: the release the tag points to' }),
    pointsToBy: z.enum(['digest', 'rule']).optional().meta({ description: 'Rolling tags: found by identical digest or by the naming rule' }),
    version: z.string().optional(),
    variant: z.string().optional(),
    repository: z.string().meta({ description: 'The repository as the policy names it' }),
  })
  .meta({ description: 'Whether an image tag is supported, what affects it and which tag to move to' });
