import type { Db } from '../../adapters/db/open-database.js';
import type { Pause } from '../../domain/calendar/index.js';

const CHUNK = 5000; // well below PostgreSQL's limit of bind parameters per statement

/** The waiting-on-reporter pauses of these reports, as the clocks take them, by report id. */
export async function pausesByReport(db: Db, reportIds: readonly string[]): Promise<Map<string, Pause[]>> {
  const out = new Map<string, Pause[]>();
  for (let i = 0; i < reportIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('report_pauses')
      .select(['report_id', 'started_at', 'ended_at'])
      .where('report_id', 'in', reportIds.slice(i, i + CHUNK))
      .orderBy('started_at')
      .execute();
    for (const p of rows) out.set(p.report_id, [...(out.get(p.report_id) ?? []), { from: p.started_at, to: p.ended_at }]);
  }
  return out;
}
