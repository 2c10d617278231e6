import type { Context } from '../../context.js';
import { addAdminNotice } from '../admin-notices.js';
import { freezeUnfrozen } from './freeze-advisory.js';
import { publishAdvisory } from './publish-advisory.js';

type Deps = Pick<Context, 'db' | 'policy' | 'config' | 'clock' | 'log'>;

export interface PublishRun {
  published: string[];
  /** Due but held back: no fixed build in the inventory (an admin notice says so). */
  held: Array<{ ident: string; reason: string }>;
}

/**
 * The publish job: every scheduled advisory whose time has come, published once (publishAdvisory
 * claims each row with a conditional UPDATE, so a second desk process running at the same moment
 * publishes nothing twice). One that lost its fixed build is held back with an admin notice.
 * Advisories published before revisions were frozen (migration 0012) are frozen here, once.
 */
export async function publishDueAdvisories(deps: Deps): Promise<PublishRun> {
  const now = deps.clock();
  const due = await deps.db.selectFrom('advisories').select(['id', 'ident']).where('state', '=', 'scheduled').where('scheduled_for', '<=', now).orderBy('scheduled_for').execute();
  const run: PublishRun = { published: [], held: [] };
  for (const a of due) {
    const r = await publishAdvisory(deps, { id: a.id, actor: null });
    if (r.ok) run.published.push(r.ident);
    else if (r.missing) {
      run.held.push({ ident: a.ident, reason: r.reason });
      await addAdminNotice(deps.db, { key: `advisory-publish:${a.ident}`, level: 'bad', message: `${a.ident} was due for publication but is held back: ${r.reason}.` }, now);
    }
  }
  await freezeUnfrozen(deps);
  return run;
}
