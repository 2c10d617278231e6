import type { Db } from '../../adapters/db/open-database.js';
import type { Role } from '../team-sessions.js';

export interface TeamRecipient {
  id: string;
  name: string;
  email: string;
  role: Role;
}

/** Everyone on the team who may receive mail: accounts not removed. */
export async function activeTeam(db: Db): Promise<TeamRecipient[]> {
  return db.selectFrom('users').select(['id', 'name', 'email', 'role']).where('removed_at', 'is', null).orderBy('created_at').execute();
}

/**
 * Who on the team hears about each report: members and admins always, coordinators only for the
 * reports they were invited to (as they see them on the desk).
 */
export async function recipientsByReport(db: Db, reportIds: readonly string[]): Promise<Map<string, TeamRecipient[]>> {
  const out = new Map<string, TeamRecipient[]>();
  if (reportIds.length === 0) return out;
  const team = await activeTeam(db);
  const ids = [...new Set(reportIds)];
  const grants: Array<{ user_id: string; report_id: string }> = [];
  for (let i = 0; i < ids.length; i += 5000) {
    grants.push(...(await db.selectFrom('coordinator_grants').select(['user_id', 'report_id']).where('report_id', 'in', ids.slice(i, i + 5000)).execute()));
  }
  for (const id of reportIds) {
    const granted = new Set(grants.filter((g) => g.report_id === id).map((g) => g.user_id));
    out.set(id, team.filter((u) => u.role !== 'coordinator' || granted.has(u.id)));
  }
  return out;
}
