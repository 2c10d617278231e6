import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { AppError } from '../errors.js';
import { issueItem } from './backfill-gitlab.js';
import { forgeSources, gitlabSourceFor } from './forge-sources.js';
import { importForgeReport, type ImportDeps } from './import-forge-report.js';

export type HookOutcome = { outcome: 'imported'; number: number } | { outcome: 'exists' } | { outcome: 'ignored'; reason: string };

type Deps = ImportDeps & Pick<Context, 'config' | 'policy' | 'log'>;

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * The X-Gitlab-Token check, in constant time: both sides are hashed first, so neither the length
 * nor a common prefix of the secret shows in the time taken. No secret configured: nothing passes.
 */
export function gitlabTokenMatches(config: Pick<Context['config'], 'forges'>, token: string | undefined): boolean {
  const secret = config.forges.gitlabWebhookSecret;
  if (!secret || typeof token !== 'string') return false;
  return timingSafeEqual(sha256(secret), sha256(token));
}

// GitLab's "Issue Hook" / "Confidential Issue Hook" payload, as far as the import reads it.
const hookSchema = z.object({
  object_kind: z.string(),
  user: z.object({ id: z.number().nullish(), username: z.string().nullish() }).nullish(),
  project: z.object({ id: z.number().int().positive(), path_with_namespace: z.string().min(1), web_url: z.string().min(1) }),
  object_attributes: z.object({
    id: z.number().int().positive(),
    iid: z.number().int().positive(),
    title: z.string(),
    description: z.string().nullish(),
    confidential: z.boolean(),
    state: z.string(),
    url: z.url({ protocol: /^https?$/ }),
    author_id: z.number().nullish(),
    created_at: z.string().nullish(),
    action: z.string().nullish(),
  }),
  labels: z.array(z.object({ title: z.string() })).nullish(),
});

/**
 * A GitLab webhook call (the caller has checked the token): an open confidential issue of a project
 * the policy names becomes a report, once. Everything else (other events, public issues, other
 * projects, closed issues) is ignored, with the reason.
 */
export async function receiveGitLabHook(deps: Deps, body: unknown): Promise<HookOutcome> {
  const kind = (body as { object_kind?: unknown } | null)?.object_kind;
  if (kind !== 'issue') return { outcome: 'ignored', reason: typeof kind === 'string' ? `not an issue event (${kind.slice(0, 40)})` : 'not an issue event' };
  const parsed = hookSchema.safeParse(body);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new AppError('invalid_input', `The issue event is not as GitLab documents it: ${i.path.join('.')}: ${i.message}`);
  }
  const h = parsed.data;
  const source = gitlabSourceFor(forgeSources(deps.policy, deps.config.forges), { webUrl: h.project.web_url, path: h.project.path_with_namespace });
  if (!source) return { outcome: 'ignored', reason: 'the project is not a channel of this policy' };
  const a = h.object_attributes;
  if (!a.confidential) return { outcome: 'ignored', reason: 'the issue is not confidential' };
  if (a.state !== 'opened') return { outcome: 'ignored', reason: `the issue is ${a.state.slice(0, 20)}` };
  // The event's user is whoever acted; only when that is the issue's author is it the reporter.
  const author = h.user?.id != null && h.user.id === a.author_id ? (h.user.username ?? null) : null;
  const item = issueItem(source, {
    id: a.id,
    iid: a.iid,
    projectId: h.project.id,
    title: a.title,
    description: a.description ?? '',
    webUrl: a.url,
    authorUsername: author,
    createdAt: a.created_at ?? null,
    labels: (h.labels ?? []).map((l) => l.title),
  });
  const r = await importForgeReport(deps, item, 'webhook');
  if (r.outcome === 'exists') return { outcome: 'exists' };
  deps.log.info({ source: source.key, report: r.number }, 'imported a GitLab confidential issue from the webhook');
  return { outcome: 'imported', number: r.number };
}
