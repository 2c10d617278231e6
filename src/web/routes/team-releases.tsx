import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { decideReportOutOfCycle } from '../../app/releases/decide-out-of-cycle.js';
import { listReleasePlan } from '../../app/releases/list-release-plan.js';
import { markShipped } from '../../app/releases/mark-shipped.js';
import { recordFixBuild } from '../../app/releases/record-fix-build.js';
import type { ReleaseOutcome } from '../../app/releases/release-row.js';
import type { Context } from '../../context.js';
import { sendPage } from '../render.js';
import { requireTeam, type TeamPrincipal } from '../team-session.js';
import { TeamNav } from '../views/team-nav.js';
import { ReleasesPage } from '../views/team-releases-page.js';

const TEAM = ['admin', 'member'] as const;

const buildBody = z.object({ _csrf: z.string().optional(), repository: z.string().max(300).default(''), tag: z.string().max(300).default('') });
const outOfCycleBody = z.object({ _csrf: z.string().optional(), reason: z.string().max(5000).default(''), urgent: z.literal('yes').optional() });
const inCycleBody = z.object({ _csrf: z.string().optional(), reason: z.string().max(5000).default('') });
const shippedBody = z.object({ _csrf: z.string().optional(), date: z.string().max(40).optional() });

/** The release plan page: members and admins see every planned report, a coordinator those they were invited to. */
export async function registerTeamReleases(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get('/team/releases', async (req, reply) => {
    const principal = await requireTeam(req, reply);
    const limited = principal.user.role === 'coordinator';
    const plan = await listReleasePlan(ctx, limited ? { onlyGrantedTo: principal.user.id } : {});
    const csrf = reply.generateCsrf();
    return sendPage(reply, <ReleasesPage policy={ctx.policy} nav={<TeamNav user={principal.user} csrf={csrf} current="releases" />} plan={plan} now={ctx.clock()} limited={limited} />);
  });
}

export interface ReportPageHelpers {
  /** The report behind /team/reports/:number, if this principal may see it (else the 404 of a missing one). */
  reportOf(req: FastifyRequest, principal: TeamPrincipal): Promise<{ id: string; number: number }>;
  /** Renders the report page again with a message, for a change that was refused. */
  showReport(req: FastifyRequest, reply: FastifyReply, principal: TeamPrincipal, flash: { tone: 'ok' | 'bad'; text: string }, status: number): Promise<unknown>;
}

/** The report page's release forms (fix build, out of cycle and back, shipped): members and admins, with CSRF. */
export function registerReleaseActions(app: FastifyInstance, ctx: Context, pages: ReportPageHelpers): void {
  const action = (path: string, run: (req: FastifyRequest, principal: TeamPrincipal, reportId: string) => Promise<ReleaseOutcome>) =>
    app.post(`/team/reports/:number/release/${path}`, { preHandler: app.csrfProtection }, async (req, reply) => {
      const principal = await requireTeam(req, reply, { roles: TEAM });
      const { id, number } = await pages.reportOf(req, principal);
      const r = await run(req, principal, id);
      if (!r.ok) return pages.showReport(req, reply, principal, { tone: 'bad', text: `Not done: ${r.reason}.` }, r.code === 'conflict' ? 409 : 400);
      return reply.redirect(`/team/reports/${number}`, 303);
    });

  action('build', (req, principal, reportId) => {
    const b = buildBody.parse(req.body);
    return recordFixBuild(ctx, { reportId, actorId: principal.user.id, repository: b.repository, tag: b.tag });
  });
  action('out-of-cycle', (req, principal, reportId) => {
    const b = outOfCycleBody.parse(req.body);
    return decideReportOutOfCycle(ctx, { reportId, actorId: principal.user.id, outOfCycle: true, reason: b.reason, urgent: b.urgent === 'yes' });
  });
  action('in-cycle', (req, principal, reportId) => {
    const b = inCycleBody.parse(req.body);
    return decideReportOutOfCycle(ctx, { reportId, actorId: principal.user.id, outOfCycle: false, reason: b.reason });
  });
  action('shipped', (req, principal, reportId) => {
    const b = shippedBody.parse(req.body);
    return markShipped(ctx, { reportId, actorId: principal.user.id, ...(b.date ? { date: b.date } : {}) });
  });
}
