import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../app/errors.js';
import { changeCredit } from '../../app/reporter/change-credit.js';
import { setUpstreamConsent } from '../../app/reports/forward-upstream.js';
import { replyAsReporter } from '../../app/reporter/reply-as-reporter.js';
import { reportIdForToken } from '../../app/reporter/reporter-access.js';
import { reporterAttachment } from '../../app/reporter/reporter-attachment.js';
import { viewAsReporter } from '../../app/reporter/view-as-reporter.js';
import type { Context } from '../../context.js';
import { creditSchema, messageBodySchema } from '../../domain/reports/report-input.js';
import { offeredLanguages, pickLanguage } from '../i18n/languages.js';
import { reporterWords } from '../i18n/reporter.js';
import { fileFieldNames, formFiles, formText, isMultipart, STRICT_MULTIPART } from '../multipart-form.js';
import { rateLimit } from '../rate-limits.js';
import { sendPage } from '../render.js';
import { appErrorProblems, zodProblems } from '../report-problems.js';
import { clearReporterCookie, reporterCookie, setReporterCookie } from '../reporter-cookie.js';
import type { FieldProblem } from '../views/report-form-page.js';
import { ReporterNoticePage, ReporterPage } from '../views/reporter-page.js';
import { sendAttachment } from '../send-attachment.js';

/**
 * The reporter's side, without an account: the tracking link /r/<token> trades the token for an
 * HttpOnly cookie and redirects, so the secret leaves the address bar; /report/status shows the
 * report to whoever holds that cookie. Every page here is private: no-store, no referrer.
 */
export async function registerReporterView(app: FastifyInstance, ctx: Context): Promise<void> {
  const offered = offeredLanguages(ctx.policy.languages);
  const credit = creditSchema(ctx.policy.credit.offered);
  const lang = (req: FastifyRequest) => pickLanguage(req, offered);
  const langQuery = (req: FastifyRequest) => {
    const l = (req.query as Record<string, unknown>).lang;
    return typeof l === 'string' && (offered as string[]).includes(l) ? `lang=${l}` : '';
  };
  const statusUrl = (req: FastifyRequest, extra = '', hash = '') => `/report/status${[langQuery(req), extra].filter(Boolean).length ? `?${[langQuery(req), extra].filter(Boolean).join('&')}` : ''}${hash}`;

  /** The report this browser's cookie opens; otherwise a 401 page (and a stale cookie is dropped). */
  const reportOf = async (req: FastifyRequest, reply: FastifyReply): Promise<string | null> => {
    const id = await reportIdForToken(ctx.db, reporterCookie(req));
    if (id) return id;
    if (reporterCookie(req) !== undefined) clearReporterCookie(reply, ctx);
    const w = reporterWords[lang(req)];
    sendPage(reply.header('cache-control', 'no-store'), <ReporterNoticePage policy={ctx.policy} lang={lang(req)} title={w.noReportTitle} text={w.noReportText} />, 401);
    return null;
  };

  const page = async (req: FastifyRequest, reply: FastifyReply, reportId: string, extra: { notice?: 'reply' | 'credit'; problems?: FieldProblem[]; draft?: string } = {}, status = 200) => {
    const view = await viewAsReporter(ctx, reportId);
    reply.header('cache-control', 'no-store');
    return sendPage(reply, <ReporterPage view={view} policy={ctx.policy} lang={lang(req)} offered={offered} csrf={reply.generateCsrf()} limits={ctx.config.limits} {...extra} />, status);
  };

  const asReporter = { onRequest: rateLimit(ctx, 'reporter') };

  app.get<{ Params: { token: string } }>('/r/:token', asReporter, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const token = req.params.token;
    if (!(await reportIdForToken(ctx.db, token))) return reply.callNotFound();
    setReporterCookie(reply, ctx, token);
    return reply.redirect(statusUrl(req), 303);
  });

  app.get('/report/status', asReporter, async (req, reply) => {
    const id = await reportOf(req, reply);
    if (!id) return reply;
    const done = (req.query as Record<string, unknown>).done;
    return page(req, reply, id, done === 'reply' || done === 'credit' ? { notice: done } : {});
  });

  app.get<{ Params: { id: string } }>('/report/attachments/:id', asReporter, async (req, reply) => {
    const id = await reportOf(req, reply);
    if (!id) return reply;
    const file = await reporterAttachment(ctx, { reportId: id, attachmentId: req.params.id });
    if (!file) return reply.callNotFound();
    return sendAttachment(reply, file);
  });

  await app.register(async (scope) => {
    const post = { preHandler: app.csrfProtection, onRequest: rateLimit(ctx, 'reporter'), config: STRICT_MULTIPART };
    const writing = { ...post, onRequest: rateLimit(ctx, 'reporter', 'reply') };

    scope.post('/report/status/reply', writing, async (req, reply) => {
      const id = await reportOf(req, reply);
      if (!id) return reply;
      if (!isMultipart(req)) throw new AppError('invalid_input', 'Send the reply form as multipart/form-data.');
      const draft = formText(req.body, 'body') ?? '';
      if (fileFieldNames(req.body).some((n) => n !== 'attachments')) throw new AppError('invalid_input', 'Files are accepted only as attachments.');
      const attachments = await formFiles(req.body, 'attachments');
      const body = messageBodySchema.safeParse(draft);
      if (!body.success) return page(req, reply, id, { problems: zodProblems(body.error), draft }, 400);
      try {
        await replyAsReporter(ctx, { reportId: id, body: body.data, attachments });
      } catch (e) {
        const shown = appErrorProblems(e);
        if (!shown) throw e;
        return page(req, reply, id, { problems: shown.problems, draft }, shown.status);
      }
      return reply.redirect(statusUrl(req, 'done=reply', '#conversation'), 303);
    });

    scope.post('/report/status/credit', writing, async (req, reply) => {
      const id = await reportOf(req, reply);
      if (!id) return reply;
      if (!isMultipart(req)) throw new AppError('invalid_input', 'Send the credit form as multipart/form-data.');
      const wish = formText(req.body, 'credit');
      const parsed = credit.safeParse(wish === 'name' ? { wish, name: formText(req.body, 'creditName') ?? '' } : { wish });
      if (!parsed.success) return page(req, reply, id, { problems: zodProblems(parsed.error) }, 400);
      await changeCredit(ctx, { reportId: id, credit: parsed.data });
      return reply.redirect(statusUrl(req, 'done=credit'), 303);
    });

    scope.post('/report/status/upstream', writing, async (req, reply) => {
      const id = await reportOf(req, reply);
      if (!id) return reply;
      if (!isMultipart(req)) throw new AppError('invalid_input', 'Send the form as multipart/form-data.');
      const consent = formText(req.body, 'consent');
      if (consent !== 'yes' && consent !== 'no') throw new AppError('invalid_input', 'Choose yes or no.');
      await setUpstreamConsent(ctx, { reportId: id, consent: consent === 'yes' });
      return reply.redirect(statusUrl(req, 'done=credit'), 303);
    });

    scope.post('/report/status/forget', post, async (req, reply) => {
      clearReporterCookie(reply, ctx);
      const w = reporterWords[lang(req)];
      reply.header('cache-control', 'no-store');
      return sendPage(reply, <ReporterNoticePage policy={ctx.policy} lang={lang(req)} title={w.forgottenTitle} text={w.forgottenText} />);
    });
  });
}
