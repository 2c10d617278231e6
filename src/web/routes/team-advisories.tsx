import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FieldProblem } from '../../app/accounts.js';
import { advisoryForTeam, type TeamAdvisoryView } from '../../app/advisories/advisory-for-team.js';
import { editablePart, type Refusal } from '../../app/advisories/check-advisory.js';
import { draftAdvisory } from '../../app/advisories/draft-advisory.js';
import { receivingTags } from '../../app/advisories/inventory-hints.js';
import { listAdvisories } from '../../app/advisories/list-advisories.js';
import { prefillAdvisory } from '../../app/advisories/prefill-advisory.js';
import { publishAdvisory } from '../../app/advisories/publish-advisory.js';
import { scheduleAdvisory } from '../../app/advisories/schedule-advisory.js';
import { findAdvisoryByIdent } from '../../app/advisories/store.js';
import { unscheduleAdvisory } from '../../app/advisories/unschedule-advisory.js';
import { updateAdvisory } from '../../app/advisories/update-advisory.js';
import { withdrawAdvisory } from '../../app/advisories/withdraw-advisory.js';
import { AppError } from '../../app/errors.js';
import type { Context } from '../../context.js';
import { documentFromForm, formFromDocument, formProblems, IMAGE_FIELDS, TOP_FIELDS, type FormValues } from '../advisory-form.js';
import { sendPage } from '../render.js';
import { formFields } from '../team-form.js';
import { requireTeam, type TeamPrincipal } from '../team-session.js';
import { AdvisoryEditor } from '../views/advisory-editor.js';
import { AdvisoriesPage } from '../views/team-advisories-page.js';
import { AdvisoryPage } from '../views/team-advisory-page.js';
import { TeamNav } from '../views/team-nav.js';

/** Members and admins write advisories; coordinators (invited to single reports) do not see them. */
const TEAM = ['admin', 'member'] as const;
const ADMIN = ['admin'] as const;

const identParam = z.object({ ident: z.string().regex(/^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+){1,8}$/).max(80) });
const newQuery = z.object({ reports: z.string().max(500).optional(), report: z.union([z.string().max(20), z.array(z.string().max(20)).max(50)]).optional() });
const reasonBody = z.object({ _csrf: z.string().optional(), reason: z.string().max(10_000).default('') });

const numbersIn = (s: string): number[] =>
  s
    .split(/[\s,]+/)
    .map((w) => Number(w.replace(/^#/, '')))
    .filter((n) => Number.isInteger(n) && n > 0 && n < 2_147_483_647);

/** The posted editor fields, nothing else. */
function editorFields(ctx: Context, body: unknown): FormValues {
  const all = formFields(body);
  const names = [...TOP_FIELDS, ...ctx.policy.project.images.flatMap((_, i) => IMAGE_FIELDS.map((s) => `img${i}${s}`))];
  return Object.fromEntries(names.filter((n) => all[n] !== undefined).map((n) => [n, all[n]!.slice(0, 100_000)]));
}

export async function registerTeamAdvisories(app: FastifyInstance, ctx: Context): Promise<void> {
  const nav = (p: TeamPrincipal, csrf: string) => <TeamNav user={p.user} csrf={csrf} current="advisories" />;

  async function identOf(req: FastifyRequest): Promise<{ id: string; ident: string }> {
    const parsed = identParam.safeParse(req.params);
    const row = parsed.success ? await findAdvisoryByIdent(ctx.db, parsed.data.ident) : undefined;
    if (!row) throw new AppError('not_found', 'There is no such advisory.');
    return { id: row.id, ident: row.ident };
  }

  interface Show {
    view: TeamAdvisoryView | null;
    values?: FormValues;
    problems?: FieldProblem[];
    flash?: { tone: 'ok' | 'bad'; text: string };
    actionProblems?: FieldProblem[];
    actionValues?: Record<string, string>;
    status?: number;
  }

  async function show(reply: FastifyReply, principal: TeamPrincipal, s: Show) {
    const csrf = reply.generateCsrf();
    const v = s.view;
    const values = s.values ?? (v ? formFromDocument(ctx.policy, editablePart(v.row.document), v.reports.map((r) => r.number)) : {});
    const editor =
      v?.row.state === 'withdrawn' ? null : (
        <AdvisoryEditor
          policy={ctx.policy}
          values={values}
          problems={s.problems ?? []}
          csrf={csrf}
          action={v ? `/team/advisories/${v.row.ident}` : '/team/advisories'}
          submitLabel={v ? (v.row.state === 'published' ? 'Publish this change' : 'Save') : 'Save draft'}
          published={v?.row.state === 'published'}
          inventoryTags={await receivingTags(ctx.db, ctx.policy)}
        />
      );
    return sendPage(
      reply,
      <AdvisoryPage
        policy={ctx.policy}
        nav={nav(principal, csrf)}
        view={v}
        editor={editor}
        csrf={csrf}
        role={principal.user.role}
        now={ctx.clock()}
        flash={s.flash}
        actionProblems={s.actionProblems}
        actionValues={s.actionValues}
      />,
      s.status ?? 200,
    );
  }

  const refusalFlash = (r: Refusal) => ({ tone: 'bad' as const, text: r.problems?.length ? 'Not saved: please correct the fields marked below.' : `Not done: ${r.reason}.` });
  const statusOf = (r: Refusal) => (r.code === 'conflict' ? 409 : 400);

  app.get('/team/advisories', async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: TEAM });
    const items = await listAdvisories(ctx.db);
    return sendPage(reply, <AdvisoriesPage projectName={ctx.policy.project.name} timeZone={ctx.policy.calendar.timeZone} nav={nav(principal, reply.generateCsrf())} items={items} />);
  });

  app.get('/team/advisories/new', async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: TEAM });
    const q = newQuery.parse(req.query);
    const numbers = [...numbersIn(q.reports ?? ''), ...(Array.isArray(q.report) ? q.report : q.report ? [q.report] : []).flatMap(numbersIn)];
    const pre = await prefillAdvisory(ctx, numbers);
    return show(reply, principal, { view: null, values: formFromDocument(ctx.policy, pre.document, pre.reportNumbers) });
  });

  app.post('/team/advisories', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: TEAM });
    const values = editorFields(ctx, req.body);
    const form = documentFromForm(ctx.policy, values);
    if (form.problems.length) return show(reply, principal, { view: null, values, problems: form.problems, flash: { tone: 'bad', text: 'Not saved: please correct the fields marked below.' }, status: 400 });
    const r = await draftAdvisory(ctx, { actorId: principal.user.id, reportNumbers: form.reportNumbers, document: form.document });
    if (!r.ok) return show(reply, principal, { view: null, values, problems: formProblems(r.problems ?? [], form.imageIndex, ctx.policy), flash: refusalFlash(r), status: statusOf(r) });
    return reply.redirect(`/team/advisories/${r.ident}`, 303);
  });

  app.get('/team/advisories/:ident', async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: TEAM });
    const { ident } = await identOf(req);
    return show(reply, principal, { view: await advisoryForTeam(ctx, ident) });
  });

  app.post('/team/advisories/:ident', { preHandler: app.csrfProtection }, async (req, reply) => {
    const principal = await requireTeam(req, reply, { roles: TEAM });
    const { id, ident } = await identOf(req);
    const values = editorFields(ctx, req.body);
    const form = documentFromForm(ctx.policy, values);
    const again = async (problems: FieldProblem[], flash: { tone: 'bad'; text: string }, status: number) => show(reply, principal, { view: await advisoryForTeam(ctx, ident), values, problems, flash, status });
    if (form.problems.length) return again(form.problems, { tone: 'bad', text: 'Not saved: please correct the fields marked below.' }, 400);
    const r = await updateAdvisory(ctx, { id, actorId: principal.user.id, reportNumbers: form.reportNumbers, document: form.document, changeSummary: form.changeSummary });
    if (!r.ok) return again(formProblems(r.problems ?? [], form.imageIndex, ctx.policy), refusalFlash(r), statusOf(r));
    return reply.redirect(`/team/advisories/${ident}`, 303);
  });

  /** An action on the advisory: done → back to its page; refused → the page again with the reason (and the typed reason kept). */
  const action = (path: string, roles: readonly ('admin' | 'member')[], run: (req: FastifyRequest, principal: TeamPrincipal, id: string) => Promise<{ ok: true } | Refusal>, field?: string) =>
    app.post(`/team/advisories/:ident/${path}`, { preHandler: app.csrfProtection }, async (req, reply) => {
      const principal = await requireTeam(req, reply, { roles });
      const { id, ident } = await identOf(req);
      const r = await run(req, principal, id);
      if (r.ok) return reply.redirect(`/team/advisories/${ident}`, 303);
      const typed = field ? { [field]: reasonBody.parse(req.body).reason } : undefined;
      const actionProblems = (r.problems ?? []).map((p) => ({ field: String(p.path[0] ?? field ?? 'form'), message: p.message }));
      return show(reply, principal, { view: await advisoryForTeam(ctx, ident), flash: { tone: 'bad', text: `Not done: ${r.reason}.` }, actionProblems, ...(typed ? { actionValues: typed } : {}), status: statusOf(r) });
    });

  action('schedule', TEAM, (_req, principal, id) => scheduleAdvisory(ctx, { id, actor: principal.user }));
  action(
    'override',
    ADMIN,
    (req, principal, id) => scheduleAdvisory(ctx, { id, actor: principal.user, override: { reason: reasonBody.parse(req.body).reason } }),
    'overrideReason',
  );
  action('unschedule', TEAM, (_req, principal, id) => unscheduleAdvisory(ctx, { id, actorId: principal.user.id }));
  action('publish', TEAM, (_req, principal, id) => publishAdvisory(ctx, { id, actor: principal.user }));
  action('withdraw', ADMIN, (req, principal, id) => withdrawAdvisory(ctx, { id, actorId: principal.user.id, reason: reasonBody.parse(req.body).reason }), 'withdrawReason');
}
