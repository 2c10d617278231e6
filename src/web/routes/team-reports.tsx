import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../app/errors.js';
import { forgeOrigin } from '../../app/forges/forge-origin.js';
import { requestMirror } from '../../app/forges/mirror-comment.js';
import { CHANNELS, DUE_FILTERS, listInboxPage, SEVERITY_FILTERS } from '../../app/reports/list-inbox.js';
import { forwardUpstream } from '../../app/reports/forward-upstream.js';
import { postTeamMessage } from '../../app/reports/post-team-message.js';
import { reportForTeam } from '../../app/reports/report-for-team.js';
import { PERFORMANCE_DAYS, slaReport } from '../../app/reports/sla-report.js';
import { transitionReport } from '../../app/reports/transition-report.js';
import { updateReportDetails } from '../../app/reports/update-report.js';
import { listAdminNotices } from '../../app/admin-notices.js';
import { releaseOfReport } from '../../app/releases/release-of-report.js';
import { listReleaseReminders } from '../../app/releases/remind-before-window.js';
import { auditRead } from '../../app/audit.js';
import type { Context } from '../../context.js';
import { formatDuration } from '../../domain/policy/duration.js';
import { NEXT_WINDOW } from '../../domain/policy/schema-sla.js';
import { REJECTION_REASONS, REPORT_STATES, type ReportAction } from '../../domain/reports/states.js';
import { sendPage } from '../render.js';
import { canSeeReport, requireTeam, type TeamPrincipal } from '../team-session.js';
import { AdminNotices } from '../views/admin-notices.js';
import { InboxPage } from '../views/team-inbox-page.js';
import { TeamNav } from '../views/team-nav.js';
import { ReportPage } from '../views/team-report-page.js';
import { SlaPage } from '../views/team-sla-page.js';
import { ReleasePanel } from '../views/release-panel.js';
import { ReleaseReminders } from '../views/team-releases-page.js';
import { registerReleaseActions } from './team-releases.js';
import { advisoriesOfReport } from '../../app/advisories/store.js';
import { ReportAdvisoryCard } from '../views/report-advisory-card.js';
import { allowWasm } from '../security-headers.js';

const TEAM = ['admin', 'member'] as const;
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

const inboxQuery = z.object({
  state: z.preprocess(blankToUndefined, z.enum([...REPORT_STATES, 'open']).optional()),
  severity: z.preprocess(blankToUndefined, z.enum(SEVERITY_FILTERS).optional()),
  channel: z.preprocess(blankToUndefined, z.enum(CHANNELS).optional()),
  due: z.preprocess(blankToUndefined, z.enum(DUE_FILTERS).optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1_000_000).optional()),
  lang: z.string().optional(),
});
const numberParam = z.object({ number: z.coerce.number().int().positive().max(2_147_483_647) });
const transitionBody = z.object({
  _csrf: z.string().optional(),
  action: z.enum(['acknowledge', 'request_info', 'accept', 'reject', 'start_fix', 'mark_fixed', 'reopen']),
  reason: z.enum(REJECTION_REASONS).optional(),
  duplicateOf: z.string().max(40).optional(),
  scopeArea: z.string().max(500).optional(),
});
const detailsBody = z.object({
  _csrf: z.string().optional(),
  cvss: z.string().max(300).optional(),
  cwe: z.string().max(20).optional(),
  assigneeId: z.string().max(40).optional(),
  scopeArea: z.string().max(500).optional(),
});
const messageBody = z.object({ _csrf: z.string().optional(), body: z.string().max(50_000), kind: z.enum(['message', 'note']), mirror: z.literal('gitlab').optional() });

/** The team's inbox, report pages and SLA performance. Coordinators see only reports they were invited to. */
export async function registerTeamReports(app: FastifyInstance, ctx: Context): Promise<void> {
  const nav = (p: TeamPrincipal, csrf: string, current?: 'inbox' | 'sla') => <TeamNav user={p.user} csrf={csrf} current={current} />;

  /** The report behind /team/reports/:number, if this principal may see it; otherwise the same 404 as a missing one. */
  async function reportOf(req: FastifyRequest, principal: TeamPrincipal): Promise<{ id: string; number: number }> {
    const { number } = numberParam.parse(req.params);
    const row = await ctx.db.selectFrom('reports').select(['id', 'number']).where('number', '=', number).executeTakeFirst();
    if (!row || !(await canSeeReport(ctx.db, principal, row.id))) throw new AppError('not_found', 'There is no such report.');
    return row;
  }

  async function showReport(
    req: FastifyRequest,
    reply: FastifyReply,
    principal: TeamPrincipal,
    flash?: { tone: 'ok' | 'bad'; text: string },
    status = 200,
    forwarded?: { upstream: { name: string; contact: string }; text: string },
  ) {
    const { id } = await reportOf(req, principal);
    const view = await reportForTeam(ctx, id, principal.user.id);
    const forge = await forgeOrigin(ctx.db, id);
    const members = await ctx.db.selectFrom('users').select(['id', 'name']).where('role', 'in', [...TEAM]).where('removed_at', 'is', null).orderBy('name').execute();
    const csrf = reply.generateCsrf();
    const canManage = principal.user.role !== 'coordinator';
    const rel = await releaseOfReport(ctx, id);
    const advisoryCard = canManage && <ReportAdvisoryCard number={view.report.number} advisories={await advisoriesOfReport(ctx.db, id)} />;
    if (view.report.encrypted) allowWasm(reply);
    const release = rel && <ReleasePanel view={rel} base={`/team/reports/${view.report.number}`} csrf={csrf} timeZone={ctx.policy.calendar.timeZone} now={ctx.clock()} canManage={canManage} />;
    return sendPage(
      reply,
      <ReportPage policy={ctx.policy} nav={nav(principal, csrf)} view={view} csrf={csrf} now={ctx.clock()} canManage={canManage} members={members} flash={flash} forwarded={forwarded} release={advisoryCard ? <>{release}{advisoryCard}</> : release} forge={forge} />,
      status,
    );
  }

  app.get('/team', async (req, reply) => {
    const principal = await requireTeam(req, reply);
    const q = inboxQuery.parse(req.query);
    const filters = { state: q.state ?? 'open', severity: q.severity, channel: q.channel, due: q.due, ...(principal.user.role === 'coordinator' ? { onlyGrantedTo: principal.user.id } : {}) };
    const inbox = await listInboxPage(ctx, filters, q.page ?? 1);
    const notices = principal.user.role === 'admin' ? await listAdminNotices(ctx.db) : [];
    // Reminders name reports: for members and admins, who see them all.
    const reminders = principal.user.role === 'coordinator' ? [] : await listReleaseReminders(ctx.db, ctx.policy, ctx.clock());
    const csrf = reply.generateCsrf();
    return sendPage(
      reply,
      <InboxPage
        projectName={ctx.policy.project.name}
        timeZone={ctx.policy.calendar.timeZone}
        nav={nav(principal, csrf, 'inbox')}
        rows={inbox.rows}
        total={inbox.total}
        page={inbox.page}
        pageSize={inbox.pageSize}
        filters={filters}
        now={ctx.clock()}
        notices={
          <>
            <AdminNotices notices={notices} csrf={csrf} />
            <ReleaseReminders reminders={reminders} now={ctx.clock()} />
          </>
        }
      />,
    );
  });

  app.get('/team/reports/:number', async (req, reply) => showReport(req, reply, await requireTeam(req, reply)));

  app.post('/team/reports/:number/transition', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: TEAM });
    const { id, number } = await reportOf(req, principal);
    const b = transitionBody.parse(req.body);
    const action: ReportAction =
      b.action === 'reject' ? { type: 'reject', reason: b.reason ?? 'invalid', ...(b.duplicateOf ? { duplicateOf: b.duplicateOf } : {}) } : { type: b.action };
    const r = await transitionReport(ctx, { reportId: id, actorId: principal.user.id, action, ...(b.scopeArea ? { scopeArea: b.scopeArea } : {}) });
    if (!r.ok) return showReport(req, reply, principal, { tone: 'bad', text: `Not done: ${r.reason}.` }, 409);
    return reply.redirect(`/team/reports/${number}`, 303);
  });

  app.post('/team/reports/:number/details', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: TEAM });
    const { id, number } = await reportOf(req, principal);
    const b = detailsBody.parse(req.body);
    const r = await updateReportDetails(ctx, { reportId: id, actorId: principal.user.id, cvss: b.cvss ?? null, cwe: b.cwe ?? null, assigneeId: b.assigneeId || null, scopeArea: b.scopeArea || null });
    if (!r.ok) return showReport(req, reply, principal, { tone: 'bad', text: `Not saved: ${r.field}: ${r.reason}` }, 400);
    return reply.redirect(`/team/reports/${number}`, 303);
  });

  app.post('/team/reports/:number/messages', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await requireTeam(req, reply);
    const { id, number } = await reportOf(req, principal);
    const b = messageBody.parse(req.body);
    // A coordinator may add notes for the team, but only the security team speaks to the reporter.
    if (b.kind === 'message' && principal.user.role === 'coordinator') throw new AppError('forbidden', 'Coordinators add private notes; the security team writes to the reporter.');
    const posted = await postTeamMessage(ctx, { reportId: id, authorId: principal.user.id, body: b.body, internal: b.kind === 'note' });
    if (b.kind === 'message' && b.mirror === 'gitlab') {
      const m = await requestMirror(ctx, { reportId: id, messageId: posted.id, actorId: principal.user.id });
      if (!m.ok) return showReport(req, reply, principal, { tone: 'bad', text: `Sent to the reporter here, but not posted to GitLab: ${m.reason}.` });
    }
    return reply.redirect(`/team/reports/${number}`, 303);
  });

  // A team message on a report from GitLab, posted there (again) as a comment.
  app.post('/team/reports/:number/forge-comments/:message', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: TEAM });
    const { id, number } = await reportOf(req, principal);
    const { message } = z.object({ message: z.uuid() }).parse(req.params);
    const m = await requestMirror(ctx, { reportId: id, messageId: message, actorId: principal.user.id });
    if (!m.ok) return showReport(req, reply, principal, { tone: 'bad', text: `Not posted: ${m.reason}.` }, 409);
    return reply.redirect(`/team/reports/${number}`, 303);
  });

  app.post('/team/reports/:number/forward', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: TEAM });
    const { id } = await reportOf(req, principal);
    const { area } = z.object({ _csrf: z.string().optional(), area: z.string().min(1).max(500) }).parse(req.body);
    const r = await forwardUpstream(ctx, { reportId: id, actorId: principal.user.id, area });
    if (!r.ok) return showReport(req, reply, principal, { tone: 'bad', text: `Not forwarded: ${r.reason}.` }, 409);
    return showReport(req, reply, principal, undefined, 200, r);
  });

  app.get('/team/reports/:number/attachments/:attachment', async (req, reply) => {
    const principal = await requireTeam(req, reply);
    const { id } = await reportOf(req, principal);
    const { attachment } = z.object({ attachment: z.uuid() }).parse(req.params);
    const a = await ctx.db.selectFrom('attachments').selectAll().where('id', '=', attachment).where('report_id', '=', id).executeTakeFirst();
    if (!a) throw new AppError('not_found', 'There is no such attachment.');
    await auditRead(ctx.db, { actorKind: 'user', actorId: principal.user.id, action: 'attachment.read', reportId: id, detail: { attachmentId: a.id } }, ctx.clock());
    // Served as a download of opaque bytes: the reporter chose its content, so the browser must not render it here.
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="${a.filename.replace(/[^\w.-]/g, '_')}"`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(Buffer.from(a.data));
  });

  registerReleaseActions(app, ctx, { reportOf, showReport });

  app.get('/team/sla', async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: TEAM });
    const r = await slaReport(ctx);
    const targets = Object.fromEntries(
      Object.entries(ctx.policy.sla)
        .filter(([, v]) => v && typeof v === 'object' && 'target' in v)
        .map(([k, v]) => {
          const target = (v as { target: typeof NEXT_WINDOW | Parameters<typeof formatDuration>[0] }).target;
          return [k, target === NEXT_WINDOW ? 'next security window' : formatDuration(target)];
        }),
    );
    return sendPage(reply, <SlaPage projectName={ctx.policy.project.name} nav={nav(principal, reply.generateCsrf(), 'sla')} days={PERFORMANCE_DAYS} reports={r.reports} stages={r.stages} targets={targets} />);
  });
}
