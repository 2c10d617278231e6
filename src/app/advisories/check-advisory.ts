/**
 * An advisory document as the team wrote it, checked the way `cvdesk advisory render` checks a file:
 * the model's schema, then the resolver against the desk's image inventory under the policy's
 * support rule. Problems carry the path of the field at fault, for the editor to place them.
 */
import type { Db } from '../../adapters/db/open-database.js';
import { describeIssue } from '../../domain/policy/parse-policy.js';
import type { PathProblem } from '../../domain/advisories/parse-advisory.js';
import { resolveAdvisory, type ResolvedImage } from '../../domain/advisories/resolve.js';
import { advisorySchema, type Advisory } from '../../domain/advisories/schema.js';
import type { Policy } from '../../domain/policy/schema.js';
import { inventoriesOf } from './store.js';

/** Fields the desk keeps itself: the editor never sets them. */
export const DESK_FIELDS = ['id', 'status', 'published', 'revisions', 'withdrawn'] as const;

export type CheckedAdvisory = { ok: true; advisory: Advisory; images: ResolvedImage[] } | { ok: false; problems: PathProblem[] };

/** What an advisory's outcome says when it is refused: bad input (400) or the wrong state (409). */
export type Refusal = { ok: false; code: 'invalid_input' | 'conflict'; reason: string; problems?: PathProblem[] };
export const refuse = (code: Refusal['code'], reason: string, problems?: PathProblem[]): Refusal => ({ ok: false, code, reason, ...(problems ? { problems } : {}) });

/**
 * A fixed image named by its tag alone takes the digest the inventory holds for that tag now: the
 * editor picks fixed tags from the inventory, and the digest is what the registry serves.
 */
async function fillFixedDigests(db: Db, document: Record<string, unknown>): Promise<{ document: Record<string, unknown>; problems: PathProblem[] }> {
  const problems: PathProblem[] = [];
  if (!Array.isArray(document.images)) return { document, problems };
  const images = await Promise.all(
    (document.images as unknown[]).map(async (image, j) => {
      if (!image || typeof image !== 'object' || !Array.isArray((image as { fixed?: unknown }).fixed)) return image;
      const img = image as { name?: unknown; fixed: unknown[] };
      const name = typeof img.name === 'string' ? img.name : '';
      const fixed = await Promise.all(
        img.fixed.map(async (f, k) => {
          if (!f || typeof f !== 'object' || typeof (f as { tag?: unknown }).tag !== 'string' || (f as { digest?: unknown }).digest !== undefined) return f;
          const tag = (f as { tag: string }).tag;
          const row = await db.selectFrom('image_tags').select('digest').where('repository', '=', name).where('tag', '=', tag).executeTakeFirst();
          if (!row) problems.push({ path: ['images', j, 'fixed', k], message: `${tag} is not in the image inventory of ${name}; sync the images once the fixed build is pushed` });
          return row ? { ...f, digest: row.digest } : f;
        }),
      );
      return { ...img, fixed };
    }),
  );
  return { document: { ...document, images }, problems };
}

/** Where the document holds a NUL character: no text may (PostgreSQL cannot store it, and it truncates text elsewhere). */
function nulProblems(v: unknown, path: Array<string | number> = []): PathProblem[] {
  if (typeof v === 'string') return v.includes('\u0000') ? [{ path, message: 'must not contain a NUL character' }] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => nulProblems(x, [...path, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [...(k.includes('\u0000') ? [{ path, message: 'a field name must not contain a NUL character' }] : []), ...nulProblems(x, [...path, k])]);
  return [];
}

export async function checkAdvisory(deps: { db: Db; policy: Policy }, input: Record<string, unknown>): Promise<CheckedAdvisory> {
  const nul = nulProblems(input);
  if (nul.length) return { ok: false, problems: nul };
  const { document, problems: fillProblems } = await fillFixedDigests(deps.db, input);
  const parsed = advisorySchema.safeParse(document);
  if (!parsed.success) {
    const within = (p: PathProblem, q: PathProblem) => q.path.every((k, n) => p.path[n] === k);
    const problems = parsed.error.issues.flatMap((i): PathProblem[] =>
      i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ path: [...i.path, k], message: `unknown field "${k}"` })) : [{ path: i.path, message: describeIssue(i) }],
    );
    return { ok: false, problems: [...fillProblems, ...problems.filter((p) => !fillProblems.some((f) => within(p, f)))] };
  }
  if (fillProblems.length) return { ok: false, problems: fillProblems };
  const advisory = parsed.data;
  const inventories = await inventoriesOf(
    deps.db,
    advisory.images.map((i) => i.name),
  );
  const policy = deps.policy;
  const resolved = resolveAdvisory(advisory, inventories, { tags: policy.tags, support: policy.support, images: policy.project.images.map((i) => i.name) });
  if (resolved.problems.length) return { ok: false, problems: resolved.problems };
  return { ok: true, advisory, images: resolved.images };
}

/** The document the editor may change: everything but the desk's own fields. */
export function editablePart(document: Record<string, unknown>): Record<string, unknown> {
  const out = { ...document };
  for (const k of DESK_FIELDS) delete out[k];
  return out;
}

/** A stored document as plain JSON (the model's output is a valid input: instants and vectors normalised). */
export const asStored = (a: Advisory): Record<string, unknown> => JSON.parse(JSON.stringify(a)) as Record<string, unknown>;

export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** JSON with sorted keys: jsonb keeps its own key order, so documents are compared this way. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
