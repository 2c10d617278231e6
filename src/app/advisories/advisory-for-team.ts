import type { Context } from '../../context.js';
import { embargoStatus, publishPlan, type EmbargoStatus, type MissingFix, type PublishPlan } from '../../domain/advisories/embargo.js';
import type { PathProblem } from '../../domain/advisories/parse-advisory.js';
import { resolveAdvisory, type ResolvedImage } from '../../domain/advisories/resolve.js';
import type { Advisory } from '../../domain/advisories/schema.js';
import { AppError } from '../errors.js';
import { earliestReceived, fixesMissing, linkedReleases, storedAdvisory } from './advisory-facts.js';
import { findAdvisoryByIdent, inventoriesOf, linkedReports, revisionsOf, type AdvisoryRow, type LinkedReport } from './store.js';

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

export interface TeamAdvisoryView {
  row: AdvisoryRow;
  advisory: Advisory;
  reports: LinkedReport[];
  revisions: Awaited<ReturnType<typeof revisionsOf>>;
  /** The concrete tags the statements resolve to against the inventory now. */
  images: ResolvedImage[];
  problems: PathProblem[];
  missing: MissingFix[];
  /** When scheduling now would publish it (drafts and scheduled ones). */
  plan: PublishPlan | null;
  embargo: EmbargoStatus;
  overrideByName: string | null;
}

/** Everything the team's advisory page shows. */
export async function advisoryForTeam(deps: Deps, ident: string): Promise<TeamAdvisoryView> {
  const row = await findAdvisoryByIdent(deps.db, ident);
  if (!row) throw new AppError('not_found', 'There is no such advisory.');
  const advisory = storedAdvisory(row);
  const now = deps.clock();
  const inventories = await inventoriesOf(
    deps.db,
    advisory.images.map((i) => i.name),
  );
  const resolved = resolveAdvisory(advisory, inventories, { tags: deps.policy.tags, support: deps.policy.support, images: deps.policy.project.images.map((i) => i.name) });
  const open = row.state === 'draft' || row.state === 'scheduled';
  const overrideBy = row.override_by ? await deps.db.selectFrom('users').select('name').where('id', '=', row.override_by).executeTakeFirst() : undefined;
  return {
    row,
    advisory,
    reports: await linkedReports(deps.db, row.id),
    revisions: await revisionsOf(deps.db, row.id),
    images: resolved.images,
    problems: resolved.problems,
    missing: open ? await fixesMissing(deps.db, deps.policy, advisory) : [],
    plan: open ? publishPlan(deps.policy, await linkedReleases(deps.db, row.id), now) : null,
    embargo: open ? embargoStatus(deps.policy, await earliestReceived(deps.db, row.id), now) : { kind: 'none' },
    overrideByName: overrideBy?.name ?? null,
  };
}
