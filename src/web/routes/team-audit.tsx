import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { dismissAdminNotice } from '../../app/admin-notices.js';
import { AppError } from '../../app/errors.js';
import { verifyAuditLog } from '../../app/verify-audit-log.js';
import type { Context } from '../../context.js';
import { sendPage } from '../render.js';
import { requireTeam } from '../team-session.js';
import { TeamNav } from '../views/team-nav.js';
import { AuditPage } from '../views/team-audit-page.js';

const PAGE = 100;

/** Admins read the audit log (with the chain checked) and dismiss admin notices. */
export async function registerTeamAudit(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get('/team/audit', async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: ['admin'] });
    const { before } = z.object({ before: z.coerce.number().int().positive().optional() }).parse(req.query);
    let q = ctx.db
      .selectFrom('audit_log')
      .leftJoin('users', (j) => j.on(sql<boolean>`users.id::text = audit_log.actor_id and audit_log.actor_kind = 'user'`))
      .leftJoin('reports', 'reports.id', 'audit_log.report_id')
      .select(['audit_log.seq', 'audit_log.at', 'audit_log.actor_kind', 'audit_log.action', 'audit_log.detail', 'users.name', 'reports.number'])
      .orderBy('audit_log.seq', 'desc')
      .limit(PAGE);
    if (before) q = q.where('audit_log.seq', '<', before);
    const [rows, verification] = await Promise.all([q.execute(), verifyAuditLog(ctx.db)]);
    return sendPage(
      reply,
      <AuditPage
        projectName={ctx.policy.project.name}
        timeZone={ctx.policy.calendar.timeZone}
        nav={<TeamNav user={principal.user} csrf={reply.generateCsrf()} current="audit" />}
        rows={rows.map((r) => ({ seq: r.seq, at: r.at, actor: r.name ?? r.actor_kind, action: r.action, report: r.number, detail: r.detail }))}
        verification={verification}
        before={before ?? null}
      />,
    );
  });

  app.post('/team/notices/:key/dismiss', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: ['admin'] });
    const { key } = z.object({ key: z.string().min(1).max(200) }).parse(req.params);
    const r = await dismissAdminNotice(ctx.db, { key, userId: principal.user.id }, ctx.clock());
    if (!r.ok && r.reason === 'not_found') throw new AppError('not_found', 'There is no such notice.');
    return reply.redirect('/team', 303);
  });
}
