import type { Context } from '../../context.js';
import { embargoStatus } from '../../domain/advisories/embargo.js';
import { addAdminNotice } from '../admin-notices.js';
import { earliestReceived } from './advisory-facts.js';

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The policy's maximum embargo (disclosure.maxEmbargoDays from the earliest linked report's
 * arrival): for every unpublished advisory within disclosure.warnBeforeDays of it, or past it, an
 * admin notice (one per advisory, refreshed on each run).
 */
export async function warnExpiringEmbargoes(deps: Deps): Promise<Array<{ ident: string; kind: 'warn' | 'over' }>> {
  const now = deps.clock();
  const rows = await deps.db.selectFrom('advisories').select(['id', 'ident', 'state']).where('state', 'in', ['draft', 'scheduled']).orderBy('ident').execute();
  const warned: Array<{ ident: string; kind: 'warn' | 'over' }> = [];
  const max = deps.policy.disclosure.maxEmbargoDays;
  for (const a of rows) {
    const s = embargoStatus(deps.policy, await earliestReceived(deps.db, a.id), now);
    if (s.kind === 'warn') {
      await addAdminNotice(deps.db, { key: `advisory-embargo:${a.ident}`, level: 'warn', message: `The maximum embargo of ${max} days for ${a.ident} (${a.state}) ends on ${day(s.endsAt)}, in ${s.daysLeft} day${s.daysLeft === 1 ? '' : 's'}.` }, now);
      warned.push({ ident: a.ident, kind: 'warn' });
    } else if (s.kind === 'over') {
      await addAdminNotice(deps.db, { key: `advisory-embargo:${a.ident}`, level: 'bad', message: `The maximum embargo of ${max} days for ${a.ident} (${a.state}) ended on ${day(s.endsAt)}: publish it or tell the reporters why not.` }, now);
      warned.push({ ident: a.ident, kind: 'over' });
    }
  }
  return warned;
}
