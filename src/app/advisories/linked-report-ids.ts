import type { Db } from '../../adapters/db/open-database.js';
import { refuse, type Refusal } from './check-advisory.js';

/** Report numbers as the team types them, to ids; each must exist. */
export async function reportIdsOf(db: Db, numbers: readonly number[]): Promise<{ ok: true; ids: string[] } | Refusal> {
  const unique = [...new Set(numbers)];
  if (unique.length === 0) return { ok: true, ids: [] };
  const rows = await db.selectFrom('reports').select(['id', 'number']).where('number', 'in', unique).execute();
  const missing = unique.filter((n) => !rows.some((r) => r.number === n));
  if (missing.length) return refuse('invalid_input', `there is no report ${missing.map((n) => `#${n}`).join(', ')}`, [{ path: ['reports'], message: `there is no report ${missing.map((n) => `#${n}`).join(', ')}` }]);
  return { ok: true, ids: unique.map((n) => rows.find((r) => r.number === n)!.id) };
}
