import type { Db } from '../../adapters/db/open-database.js';
import { applySupportRule, compareTagInfos } from '../../domain/images/index.js';
import type { Policy } from '../../domain/policy/schema.js';
import { inventoriesOf } from './store.js';

const MAX_HINTS = 40;

/** Per policy image (in the policy's order): the inventory's tags that receive advisories, newest first, to pick fixed tags from. */
export async function receivingTags(db: Db, policy: Policy): Promise<string[][]> {
  const names = policy.project.images.map((i) => i.name);
  const inventories = await inventoriesOf(db, names);
  return names.map((name) => {
    const tags = inventories.get(name) ?? [];
    const digests = Object.fromEntries(tags.map((t) => [t.tag, t.digest]));
    return applySupportRule(
      tags.map((t) => t.tag),
      policy.tags,
      policy.support,
      digests,
    )
      .filter((s) => s.receivesAdvisories && s.kind !== 'rolling')
      .sort(compareTagInfos)
      .slice(0, MAX_HINTS)
      .map((s) => s.tag);
  });
}
