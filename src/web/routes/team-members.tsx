import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { changeRole } from '../../app/change-role.js';
import { inviteMember } from '../../app/invite-member.js';
import { listMembers } from '../../app/list-members.js';
import { removeMember } from '../../app/remove-member.js';
import { revokeInvitation } from '../../app/revoke-invitation.js';
import type { Context } from '../../context.js';
import { sendPage } from '../render.js';
import { formFields } from '../team-form.js';
import { requireTeam, type TeamPrincipal } from '../team-session.js';
import { MembersPage, type MembersPageProps } from '../views/team-members-page.js';

type Extra = Partial<Pick<MembersPageProps, 'notice' | 'problems' | 'values' | 'created'>>;

const DONE: Record<string, MembersPageProps['notice']> = {
  granted: { level: 'ok', text: 'That coordinator can now see the report.' },
  revoked: { level: 'ok', text: 'The invitation is withdrawn; its link no longer works.' },
  role: { level: 'ok', text: 'The role is changed. It applies from their next click.' },
  removed: { level: 'ok', text: 'The member is removed and signed out everywhere.' },
};

const LAST_ADMIN = { level: 'bad', text: 'The desk needs at least one admin: make someone else admin first.' } as const;
const NOT_FOUND = { level: 'bad', text: 'There is no such member (any more).' } as const;

/** The admins' membership review: members with their activity, invitations, roles, removal. */
export async function registerTeamMembers(app: FastifyInstance, ctx: Context): Promise<void> {
  const admin = (req: FastifyRequest, reply: FastifyReply) => requireTeam(req, reply, { roles: ['admin'] });
  const memberId = (req: FastifyRequest) => z.uuid().safeParse((req.params as { id?: unknown }).id).data ?? null;

  async function render(reply: FastifyReply, principal: TeamPrincipal, extra: Extra = {}, status = 200) {
    const data = await listMembers(ctx);
    return sendPage(reply, <MembersPage projectName={ctx.policy.project.name} principal={principal} csrf={reply.generateCsrf()} now={ctx.clock()} {...data} {...extra} />, status);
  }

  app.get('/team/members', async (req, reply) => {
    const principal = await admin(req, reply);
    const done = (req.query as Record<string, unknown>).done;
    return render(reply, principal, { notice: typeof done === 'string' ? DONE[done] : undefined });
  });

  app.post('/team/members/invite', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await admin(req, reply);
    const f = formFields(req.body);
    const result = await inviteMember(ctx, { invitedBy: principal.user.id, email: f.email, role: f.role, reportNumber: f.report ?? null });
    if (result.kind === 'invalid') return render(reply, principal, { problems: result.problems, values: f }, 400);
    if (result.kind === 'granted') return reply.redirect('/team/members?done=granted', 303);
    // The link is shown on this answer only (not after a redirect): it exists nowhere else.
    return render(reply, principal, { created: { url: result.url, email: f.email?.trim().toLowerCase() ?? '', expiresAt: result.expiresAt, mailed: result.mailed } });
  });

  app.post('/team/members/invitations/revoke', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await admin(req, reply);
    const id = formFields(req.body).id ?? '';
    const result = await revokeInvitation(ctx, { actorId: principal.user.id, id });
    if (result.kind === 'not_found') return render(reply, principal, { notice: { level: 'bad', text: 'That invitation is gone already (used, withdrawn or expired).' } }, 404);
    return reply.redirect('/team/members?done=revoked', 303);
  });

  app.post('/team/members/:id/role', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await admin(req, reply);
    const userId = memberId(req);
    if (!userId) return render(reply, principal, { notice: NOT_FOUND }, 404);
    const result = await changeRole(ctx, { actorId: principal.user.id, userId, role: formFields(req.body).role });
    switch (result.kind) {
      case 'invalid':
        return render(reply, principal, { notice: { level: 'bad', text: 'Choose admin, member or coordinator.' } }, 400);
      case 'not_found':
        return render(reply, principal, { notice: NOT_FOUND }, 404);
      case 'last_admin':
        return render(reply, principal, { notice: LAST_ADMIN }, 409);
      default:
        // Demoting oneself ends one's access to this page: go where one may still go.
        return reply.redirect(userId === principal.user.id && result.kind === 'changed' ? '/team' : '/team/members?done=role', 303);
    }
  });

  app.post('/team/members/:id/remove', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await admin(req, reply);
    const userId = memberId(req);
    if (!userId) return render(reply, principal, { notice: NOT_FOUND }, 404);
    const result = await removeMember(ctx, { actorId: principal.user.id, userId });
    switch (result.kind) {
      case 'not_found':
        return render(reply, principal, { notice: NOT_FOUND }, 404);
      case 'self':
        return render(reply, principal, { notice: { level: 'bad', text: 'You cannot remove yourself; another admin can.' } }, 409);
      case 'last_admin':
        return render(reply, principal, { notice: LAST_ADMIN }, 409);
      default:
        return reply.redirect('/team/members?done=removed', 303);
    }
  });
}
